"""One measured job in a process of its own; run.py starts one per measurement.

Running each build in a fresh process keeps measurements independent (no warm caches,
imports or memory from an earlier build) and lets the process report its own usage,
which covers this job alone: CPU time and peak memory (`ru_maxrss`) of the process and
of the worker processes it started (our build converts Markdown and draws social cards
in workers). The result is written as JSON to `--report`, so that whatever the job
prints cannot garble it.

    child.py build SITE --report PATH [--strict] [--profile PSTATS]
    child.py markdown SITE --report PATH --extensions JSON
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import json
import os
import resource
import sys
from pathlib import Path
from typing import Any

from corpus import PYTHON_NAME


def own_usage() -> dict[str, float]:
    """CPU time, which other work on a busy machine disturbs far less than wall time, and
    peak resident memory of this process and its workers (all ended by now).

    The peaks are added: the workers run while the build does, so their sum bounds the
    memory the job needs at once (Linux reports kilobytes, macOS bytes)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    unit = 1 if sys.platform == "darwin" else 1024
    return {"peak_rss": (own.ru_maxrss + workers.ru_maxrss) * unit,
            # Apart: the build's own process, and the largest of its children (a worker, or
            # the search indexer, which runs after the workers have stopped).
            "peak_self": own.ru_maxrss * unit, "peak_children": workers.ru_maxrss * unit,
            "cpu_seconds": own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime}


def mkdocs_build(site: Path, strict: bool) -> int:
    """`mkdocs build [--strict]` in `site` through MkDocs's own command line, so it sets
    up logging (and strict mode's warning count) exactly as the real command does."""
    from mkdocs.__main__ import cli

    os.chdir(site)
    try:
        cli.main(args=["build", *(["--strict"] if strict else [])], prog_name="mkdocs")
    except SystemExit as done:  # click always exits, also on success
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


def strip_front_matter(text: str) -> str:
    """The body after a leading `---` … `---` block, as MkDocs removes it before Markdown."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5:]
    return text


def _resolved(extensions: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Settings given as `!!python/name:module.attribute` (mkdocs.yml's tags), imported."""
    def value(setting: Any) -> Any:
        if isinstance(setting, str) and setting.startswith(PYTHON_NAME):
            module, _, attribute = setting[len(PYTHON_NAME):].rpartition(".")
            return getattr(importlib.import_module(module), attribute)
        return setting
    return {name: {key: value(setting) for key, setting in settings.items()} for name, settings in extensions.items()}


def convert_articles(site: Path, extensions: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Python-Markdown alone over every article: the floor no site build can go below."""
    import markdown

    converter = markdown.Markdown(extensions=list(extensions), extension_configs=_resolved(extensions))
    pages = output_bytes = 0
    for path in sorted((site / "content" / "articles").glob("*.md")):
        html = converter.reset().convert(strip_front_matter(path.read_text(encoding="utf-8")))
        pages += 1
        output_bytes += len(html.encode("utf-8"))
    return {"pages": pages, "output_bytes": output_bytes}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("job", choices=["build", "markdown"])
    parser.add_argument("site", type=Path)
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--profile", type=Path, help="run the build under cProfile and save the stats here")
    parser.add_argument("--extensions", type=json.loads, default={}, help="Markdown extensions and their configs")
    return parser


def main() -> int:
    args = _parser().parse_args()
    # The build changes into the site folder: fix our own paths first.
    args.report = args.report.resolve()
    profile = args.profile.resolve() if args.profile else None
    report: dict[str, Any] = {}
    exit_code = 0
    if args.job == "markdown":
        report.update(convert_articles(args.site, args.extensions))
    elif profile:
        profiler = cProfile.Profile()
        exit_code = profiler.runcall(mkdocs_build, args.site, args.strict)
        profiler.dump_stats(profile)
    else:
        exit_code = mkdocs_build(args.site, args.strict)
    report.update(own_usage())
    args.report.write_text(json.dumps(report), encoding="utf-8")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
