"""Benchmark the field-guide build against plain Material and bare Python-Markdown.

    .venv/bin/python bench/run.py                    # N = 250, 1000, 4000
    .venv/bin/python bench/run.py --full             # and 10000
    .venv/bin/python bench/run.py --sizes 250,1000 --json results.json --keep
    .venv/bin/python bench/run.py --profile 1000     # where our build spends its time

For each N it writes a synthetic corpus (corpus.py), then measures four builds, each
in a fresh process (child.py): ours from cold (`mkdocs build --strict` with our plugin,
no build cache), ours warm (the same again after a one-article edit, with the cache the
cold build left), plain Material on the same Markdown, and Python-Markdown alone. See
bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import corpus

BENCH = Path(__file__).resolve().parent
CHILD = BENCH / "child.py"
DEFAULT_SIZES = (250, 1000, 4000)
FULL_SIZE = 10_000
SEED = 2026
MB = 1_000_000
GB = 1_000_000_000
# The targets; see bench/README.md for where they come from.
MAX_TIME_RATIO = 1.0  # ours from cold / plain, wall time, at every N
MAX_CPU_RATIO = 1.3  # ours from cold / plain, CPU time, at every N
MAX_WARM_RATIO = 0.5  # ours warm / plain, wall time, at every N
MAX_SCALING = 4.4  # ours: time(4000) / time(1000), linear plus 10 %
SCALING_SIZES = (1000, 4000)
MAX_PEAK_AT_FULL = 1.0 * GB  # ours at N = 10000
# MkDocs always adds these to the configured extensions; the floor must parse the same way.
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
CACHE_DIR = ".cache"  # the plugin's default `cache_dir`, beside mkdocs.yml
PROFILE_LINES = 25
LOG_TAIL = 30


class BenchError(Exception):
    """The benchmark cannot go on (invalid corpus, failed build); the message says why."""


@dataclass(frozen=True)
class Measurement:
    """One build of one corpus: wall time and peak memory of its process, and its output."""

    seconds: float  # wall time
    cpu_seconds: float
    peak_rss: int  # bytes
    pages: int
    output_bytes: int
    peak_self: int = 0  # bytes: the build's own process
    peak_children: int = 0  # bytes: its largest child (a worker, or the search indexer)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds


@dataclass(frozen=True)
class SizeResult:
    """The four builds of one corpus size, each the fastest of its runs."""

    articles: int
    resources: int
    corpus_seconds: float
    load_average: float  # of the machine, over the minute before the builds started
    ours: Measurement  # from cold: no build cache, no social cards
    warm: Measurement  # after a one-article edit, with the cache the cold build left
    plain: Measurement
    markdown: Measurement


@dataclass(frozen=True)
class Target:
    """One performance goal, as measured in this run."""

    description: str
    value: float
    limit: float
    shown: str  # the value as printed
    passed: bool


# Running measured jobs


def child_env(today: dt.date) -> dict[str, str]:
    """The environment of every build: no MkDocs 2 banner, and the corpus's day as the
    build's "today" (SOURCE_DATE_EPOCH), so that what is published cannot drift."""
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=dt.timezone.utc)
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(int(midnight.timestamp()))}


def run_child(job: str, arguments: Sequence[str], work: Path, env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """Run child.py `arguments` as `job`; its wall time from the outside, and its report.

    The time includes starting Python and importing MkDocs, as `mkdocs build` would.
    Output goes to a log file rather than a pipe, so a chatty build cannot block.
    """
    report, log = work / f"{job}.json", work / f"{job}.log"
    with log.open("w", encoding="utf-8") as output:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(CHILD), *arguments, "--report", str(report)],
                              stdout=output, stderr=subprocess.STDOUT, env=env, check=False)
        seconds = time.perf_counter() - started
    if done.returncode != 0 or not report.is_file():
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-LOG_TAIL:])
        raise BenchError(f"{job} failed (exit code {done.returncode}); the end of {log}:\n{tail}")
    return seconds, json.loads(report.read_text(encoding="utf-8"))


def output_size(folder: Path) -> tuple[int, int]:
    """(HTML pages, total bytes) of a built site."""
    pages = total = 0
    for directory, _, names in os.walk(folder):
        for name in names:
            pages += name.endswith(".html")
            total += os.path.getsize(os.path.join(directory, name))
    return pages, total


def measure_build(job: str, site: Path, *, strict: bool, env: dict[str, str], warm: bool = False) -> Measurement:
    """Build `site` from cold: without `.cache/` (our build cache and social cards), like
    CI's fresh clone, so that every run of every size does the same work. With `warm`,
    keep the cache the previous build left, as CI restores it."""
    if not warm:
        shutil.rmtree(site / CACHE_DIR, ignore_errors=True)
    seconds, report = run_child(job, ["build", str(site), *(["--strict"] if strict else [])], site.parent, env)
    pages, total = output_size(site / "site")
    return Measurement(seconds, report["cpu_seconds"], report["peak_rss"], pages, total,
                       report["peak_self"], report["peak_children"])


def edit_one_article(site: Path, round_number: int) -> None:
    """The edit a warm build follows: a sentence added to the body of the middle article."""
    articles = sorted((site / "content" / "articles").glob("*.md"))
    path = articles[len(articles) // 2]
    with path.open("a", encoding="utf-8") as text:
        text.write(f"\nOne more sentence, added before warm build {round_number}.\n")


def markdown_extensions(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """mkdocs.yml's `markdown_extensions` with their settings, after MkDocs's built-ins."""
    extensions: dict[str, dict[str, Any]] = {name: {} for name in MKDOCS_BUILTIN_EXTENSIONS}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict):
            extensions.update({name: settings or {} for name, settings in item.items()})
        else:
            extensions.setdefault(item, {})
    return extensions


def measure_markdown(site: Path, env: dict[str, str]) -> Measurement:
    """The floor: Python-Markdown alone over the articles of `site`."""
    extensions = json.dumps({name: {key: value.tagged() if isinstance(value, corpus.PythonName) else value
                                    for key, value in settings.items()}
                             for name, settings in markdown_extensions(corpus.repository_config()).items()})
    seconds, report = run_child("markdown", ["markdown", str(site), "--extensions", extensions], site.parent, env)
    return Measurement(seconds, report["cpu_seconds"], report["peak_rss"], report["pages"], report["output_bytes"])


def verify_corpus(site: Path, env: dict[str, str]) -> None:
    """The corpus must be valid and lint-clean, or the build would be measuring errors."""
    done = subprocess.run([sys.executable, "-m", "generator", "check", "--strict"], cwd=site, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0 or done.stdout.strip():
        problems = "\n".join(done.stdout.splitlines()[:LOG_TAIL])
        raise BenchError(f"the generated corpus in {site} does not pass `python -m generator check --strict` "
                         f"(exit code {done.returncode}); fix bench/corpus.py:\n{problems}\n{done.stderr.strip()}")


# One size


def bench_size(count: int, folder: Path, *, seed: int, today: dt.date, verify: bool, repeat: int) -> SizeResult:
    """Write the corpus for `count` articles in `folder` and measure the four builds."""
    env = child_env(today)
    progress(f"N={count}: writing the corpus")
    started = time.perf_counter()
    written = corpus.write_corpus(folder, count, seed=seed, today=today)
    corpus_seconds = time.perf_counter() - started
    if verify:
        progress(f"N={count}: checking it with `python -m generator check --strict`")
        verify_corpus(written.root, env)
    load_average = os.getloadavg()[0]
    def warm() -> Measurement:
        edit_one_article(written.root, round_number)
        return measure_build("warm", written.root, strict=True, env=env, warm=True)

    # The warm build follows the cold one, with the cache it left and one article edited.
    jobs: dict[str, tuple[str, Callable[[], Measurement]]] = {
        "ours": ("building with our plugin, from cold",
                 lambda: measure_build("ours", written.root, strict=True, env=env)),
        "warm": ("building with our plugin again, warm, after a one-article edit", warm),
        "plain": ("building with plain Material",
                  lambda: measure_build("plain", written.plain_root, strict=False, env=env)),
        "markdown": ("converting with Python-Markdown alone", lambda: measure_markdown(written.root, env)),
    }
    # Rounds rather than one build R times in a row, so that a busy spell on the machine
    # does not land on one build only. The fastest run counts: other work only adds time.
    runs: dict[str, list[Measurement]] = {name: [] for name in jobs}
    for round_number in range(1, repeat + 1):
        for name, (doing, measure) in jobs.items():
            progress(f"N={count}: {doing}" + (f" (round {round_number} of {repeat})" if repeat > 1 else ""))
            runs[name].append(measure())
    best = {name: min(measured, key=lambda m: m.seconds) for name, measured in runs.items()}
    return SizeResult(written.articles, written.resources, corpus_seconds, load_average,
                      best["ours"], best["warm"], best["plain"], best["markdown"])


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# Reporting


def format_table(result: SizeResult) -> str:
    """One row per build, then the ratios to plain of every column, cold and warm."""
    header = (f"{'build':<22}{'time (s)':>10}{'cpu (s)':>9}{'peak (MB)':>11}{'pages':>8}{'pages/s':>10}"
              f"{'output (MB)':>13}")
    rows = [f"N = {result.articles} ({result.resources} resources; corpus written in "
            f"{result.corpus_seconds:.1f} s; load average {result.load_average:.2f} before the builds)", header]
    for label, m in (("ours, cold", result.ours), ("ours, warm (1 edit)", result.warm),
                     ("plain Material", result.plain), ("Python-Markdown only", result.markdown)):
        rows.append(f"{label:<22}{m.seconds:>10.2f}{m.cpu_seconds:>9.2f}{m.peak_rss / MB:>11.1f}{m.pages:>8}"
                    f"{m.pages_per_second:>10.1f}{m.output_bytes / MB:>13.1f}")
    plain = result.plain
    widths = (10, 9, 11, 8, 10, 13)
    for label, ours in (("cold / plain", result.ours), ("warm / plain", result.warm)):
        ratios = (ours.seconds / plain.seconds, ours.cpu_seconds / plain.cpu_seconds,
                  ours.peak_rss / plain.peak_rss, ours.pages / plain.pages,
                  ours.pages_per_second / plain.pages_per_second, ours.output_bytes / plain.output_bytes)
        rows.append(f"{label:<22}" + "".join(f"{f'{r:.2f}x':>{w}}" for r, w in zip(ratios, widths)))
    return "\n".join(rows)


def evaluate_targets(results: dict[int, SizeResult]) -> list[Target]:
    """Each target that the sizes measured allow; the others are left out, not failed."""
    targets = []
    for count, result in sorted(results.items()):
        for description, ratio, limit in (
            (f"time ours cold / plain at N={count} <= {MAX_TIME_RATIO}",
             result.ours.seconds / result.plain.seconds, MAX_TIME_RATIO),
            (f"cpu ours cold / plain at N={count} <= {MAX_CPU_RATIO}",
             result.ours.cpu_seconds / result.plain.cpu_seconds, MAX_CPU_RATIO),
            (f"time ours warm / plain at N={count} <= {MAX_WARM_RATIO}",
             result.warm.seconds / result.plain.seconds, MAX_WARM_RATIO),
        ):
            targets.append(Target(description, ratio, limit, f"{ratio:.2f}", ratio <= limit))
    small, large = SCALING_SIZES
    if small in results and large in results:
        scaling = results[large].ours.seconds / results[small].ours.seconds
        targets.append(Target(f"time ours N={large} / N={small} <= {MAX_SCALING}",
                              scaling, MAX_SCALING, f"{scaling:.2f}", scaling <= MAX_SCALING))
    if FULL_SIZE in results:
        peak = results[FULL_SIZE].ours.peak_rss
        targets.append(Target(f"peak memory ours cold at N={FULL_SIZE} <= {MAX_PEAK_AT_FULL / GB:g} GB",
                              peak, MAX_PEAK_AT_FULL, f"{peak / GB:.2f} GB", peak <= MAX_PEAK_AT_FULL))
    return targets


def format_target(target: Target) -> str:
    return f"{'PASS' if target.passed else 'FAIL'}  {target.description}: {target.shown}"


def results_json(results: dict[int, SizeResult], targets: list[Target], *, seed: int, today: dt.date,
                 repeat: int, seconds: float) -> dict[str, Any]:
    """Everything printed, unrounded, with what is needed to compare runs: machine, seed, day."""
    def builds(result: SizeResult) -> dict[str, Any]:
        return {name: {**asdict(m), "pages_per_second": m.pages_per_second}
                for name, m in (("ours", result.ours), ("warm", result.warm), ("plain", result.plain),
                                ("markdown", result.markdown))}

    return {
        "date": today.isoformat(),
        "seed": seed,
        "repeat": repeat,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "total_seconds": seconds,
        "sizes": [{"articles": r.articles, "resources": r.resources, "corpus_seconds": r.corpus_seconds,
                   "load_average": r.load_average, "builds": builds(r)} for _, r in sorted(results.items())],
        "targets": [asdict(target) for target in targets],
    }


# Profiling


def profile(count: int, folder: Path, *, seed: int, today: dt.date) -> str:
    """Our strict build of a corpus of `count` articles under cProfile, as a table of
    the functions with the most cumulative time."""
    env = child_env(today)
    progress(f"N={count}: writing the corpus")
    written = corpus.write_corpus(folder, count, seed=seed, today=today)
    progress(f"N={count}: building with our plugin under cProfile (slower than without)")
    stats_path = folder / "ours.pstats"
    seconds, _ = run_child("profile", ["build", str(written.root), "--strict", "--profile", str(stats_path)],
                           folder, env)
    return f"Our build of N = {count} under cProfile: {seconds:.1f} s\n" + format_profile(stats_path)


def format_profile(path: Path, limit: int = PROFILE_LINES) -> str:
    """The top `limit` functions by cumulative time, with paths shortened to the package."""
    stats = pstats.Stats(str(path)).sort_stats(pstats.SortKey.CUMULATIVE)
    lines = [f"{'calls':>10}{'own (s)':>9}{'cum (s)':>9}  function"]
    for function in stats.fcn_list[:limit]:  # type: ignore[attr-defined]  # set by sort_stats
        _, calls, own, cumulative, _ = stats.stats[function]  # type: ignore[attr-defined]
        lines.append(f"{calls:>10}{own:>9.2f}{cumulative:>9.2f}  {_where(function)}")
    return "\n".join(lines)


def _where(function: tuple[str, int, str]) -> str:
    """`mkdocs/commands/build.py:249(build)` rather than the full path to site-packages."""
    filename, line, name = function
    if filename == "~":  # a built-in
        return name
    for marker in ("site-packages/", f"{corpus.REPO}/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}:{line}({name})"


# Command line


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more (got {text!r})")
    return int(text)


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes are whole numbers separated by commas (got {text!r})") from None
    if not sizes or sizes[0] < 2:
        raise argparse.ArgumentTypeError("give at least one size, each of 2 articles or more")
    return sizes


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0],
                                     epilog="Details and how to read the table: bench/README.md")
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES), metavar="N,N,...",
                        help=f"corpus sizes to measure (default: {','.join(map(str, DEFAULT_SIZES))})")
    parser.add_argument("--full", action="store_true", help=f"also measure N={FULL_SIZE} (about 3 minutes more)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results to PATH as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites and print where they are")
    parser.add_argument("--profile", type=positive, metavar="N",
                        help="instead of benchmarking, profile our build of N articles")
    parser.add_argument("--repeat", type=positive, default=1, metavar="R",
                        help="run each build R times and keep the fastest (default: 1)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"the corpus's random seed (default: {SEED})")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    today = dt.date.today()
    workspace = Path(tempfile.mkdtemp(prefix="field-guide-bench-"))
    started = time.perf_counter()
    try:
        if args.profile:
            print(profile(args.profile, workspace / f"n{args.profile}", seed=args.seed, today=today))
            return 0
        sizes = sorted(set(args.sizes) | ({FULL_SIZE} if args.full else set()))
        results: dict[int, SizeResult] = {}
        for count in sizes:
            folder = workspace / f"n{count}"
            results[count] = bench_size(count, folder, seed=args.seed, today=today,
                                        verify=count == sizes[0], repeat=args.repeat)
            print(format_table(results[count]) + "\n", flush=True)
            if not args.keep:
                shutil.rmtree(folder)
        targets = evaluate_targets(results)
        print("\n".join(format_target(target) for target in targets))
        seconds = time.perf_counter() - started
        print(f"\nMeasured N = {', '.join(map(str, sizes))} in {seconds / 60:.1f} min.")
        if args.json:
            report = results_json(results, targets, seed=args.seed, today=today, repeat=args.repeat,
                                  seconds=seconds)
            args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        return 0
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            kept = sorted(path for path in workspace.glob("n*/*") if (path / "mkdocs.yml").is_file())
            print("Sites kept (with each build's log beside them):", *kept, sep="\n  ", file=sys.stderr)
        else:
            shutil.rmtree(workspace, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
