"""The GitHub Actions workflows: valid, audited, least-privileged, and deploying only from main.

check-jsonschema validates against GitHub's workflow schema (vendored, so offline) and
zizmor audits for known weaknesses (template injection, persisted credentials, excessive
permissions, ...) with `--offline`. The rest reads the YAML and asserts the promises made
in the README's "Deploying": pull requests check and never deploy, a push to main checks
then deploys, a daily schedule rebuilds main as of today, deploys it and reports what time
has turned up in one issue, and only the deploy jobs may write to Pages and only the
report job to issues.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest
import yaml

from sitekit import REPO

WORKFLOWS = REPO / ".github" / "workflows"
FILES = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])
SHA = re.compile(r"[0-9a-f]{40}")
VERSION_TAG = re.compile(r"v\d+(\.\d+){0,2}")
ALLOWED_TRIGGERS = {"pull_request", "push", "workflow_dispatch", "schedule"}
MAIN_ONLY = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
ON_MAIN = "github.ref == 'refs/heads/main'"  # a scheduled run is on main; one started by hand may not be
DAILY = re.compile(r"\d{1,2} \d{1,2} \* \* \*")


def tool(name: str) -> str:
    """A command installed with the test extra, next to this Python or on PATH."""
    found = shutil.which(name, path=os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")]))
    if not found:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def run(*command: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the bare key `on` as the boolean true.
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def triggers(workflow: dict) -> dict:
    on = workflow["on"]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses(step: dict) -> str:
    return step.get("uses", "").split("@")[0]


def writes(permissions) -> set[str]:
    if permissions in ("write-all",):
        return {"*"}
    if isinstance(permissions, dict):
        return {scope for scope, level in permissions.items() if level == "write"}
    return set()


@pytest.fixture(scope="module", params=FILES, ids=[path.name for path in FILES])
def workflow(request) -> dict:
    return load(request.param)


def all_workflows() -> list[tuple[str, dict]]:
    return [(path.name, load(path)) for path in FILES]


def all_jobs() -> list[tuple[str, dict]]:
    return [(f"{name}:{job_id}", job) for name, workflow in all_workflows() for job_id, job in workflow["jobs"].items()]


def all_steps() -> list[tuple[str, dict]]:
    return [(job_name, step) for job_name, job in all_jobs() for step in steps(job)]


def deploy_jobs() -> list[tuple[str, dict, dict]]:
    """(job id, job, workflow) of every job that deploys to Pages."""
    return [(job_id, job, workflow) for _, workflow in all_workflows() for job_id, job in workflow["jobs"].items()
            if any(uses(step) == "actions/deploy-pages" for step in steps(job))]


def test_there_is_a_workflow():
    assert FILES, f"no workflows in {WORKFLOWS}"


# The tools


def test_workflows_match_githubs_workflow_schema():
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *FILES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_in_the_workflows():
    result = run(tool("zizmor"), "--offline", "--format", "plain", WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_tools_do_reject_a_bad_workflow_offline(tmp_path):
    """So the two tests above cannot pass by checking nothing."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request_target\n"
        "jobs:\n"
        "  greet:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v6\n"
        "        with:\n"
        "          ref: ${{ github.event.pull_request.head.sha }}\n"
        "      - run: echo \"${{ github.event.pull_request.title }}\"\n",
        encoding="utf-8")
    zizmor = run(tool("zizmor"), "--offline", "--format", "plain", bad)
    assert zizmor.returncode != 0
    assert "template-injection" in zizmor.stdout and "artipacked" in zizmor.stdout
    bad.write_text("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    stepz: []\n", encoding="utf-8")
    schema = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", bad)
    assert schema.returncode != 0


# Triggers and permissions


def test_triggers_are_pull_requests_pushes_to_main_and_a_daily_schedule_only(workflow):
    on = triggers(workflow)
    assert set(on) <= ALLOWED_TRIGGERS, f"unexpected triggers: {set(on) - ALLOWED_TRIGGERS}"
    assert "pull_request_target" not in on and "workflow_run" not in on
    if "push" in on:
        assert (on["push"] or {}).get("branches") == ["main"]
    if "schedule" in on:
        assert [DAILY.fullmatch(entry["cron"]) is not None for entry in on["schedule"]] == [True]
        assert "push" not in on and "pull_request" not in on, "a scheduled workflow runs on main alone"


def test_some_workflow_checks_pull_requests_to_main_and_pushes_to_main():
    events = [triggers(workflow) for _, workflow in all_workflows()]
    assert any("pull_request" in on and (on["pull_request"] or {}).get("branches", ["main"]) == ["main"]
               for on in events)
    assert any("push" in on for on in events)


def test_top_level_permissions_are_read_only(workflow):
    permissions = workflow.get("permissions")
    assert permissions is not None, "set permissions at the top; the default token may write"
    assert permissions == "read-all" or (
        isinstance(permissions, dict) and set(permissions.values()) <= {"read", "none"}), permissions


def report_jobs() -> list[tuple[str, dict, dict]]:
    """(job id, job, workflow) of every job that keeps an issue with the gh CLI."""
    return [(job_id, job, workflow) for _, workflow in all_workflows() for job_id, job in workflow["jobs"].items()
            if any("gh issue" in step.get("run", "") for step in steps(job))]


def scheduled() -> list[dict]:
    return [workflow for _, workflow in all_workflows() if "schedule" in triggers(workflow)]


def test_only_deploy_jobs_write_to_pages_and_only_the_report_to_issues():
    writing = {(name, job_id): writes(job.get("permissions")) for name, workflow in all_workflows()
               for job_id, job in workflow["jobs"].items() if writes(job.get("permissions"))}
    deploying = {(name, job_id) for name, workflow in all_workflows() for job_id, job in workflow["jobs"].items()
                 if any(uses(step) == "actions/deploy-pages" for step in steps(job))}
    reporting = {(name, job_id) for name, workflow in all_workflows() for job_id, job in workflow["jobs"].items()
                 if any("gh issue" in step.get("run", "") for step in steps(job))}
    assert deploying, "no job uses actions/deploy-pages"
    assert len(reporting) == 1, reporting
    assert writing == {**{job: {"pages", "id-token"} for job in deploying}, **{job: {"issues"} for job in reporting}}
    for _, job, _ in report_jobs():
        assert job["permissions"] == {"contents": "read", "issues": "write"}


def test_the_deploy_job_runs_nothing_but_the_deployment():
    for job_id, job, _ in deploy_jobs():
        assert [uses(step) for step in steps(job)] == ["actions/deploy-pages"], job_id
        assert not any("run" in step for step in steps(job)), job_id


# The deployment's guards


def test_deploy_runs_only_on_main_after_the_checks():
    for job_id, job, workflow in deploy_jobs():
        on_push = "push" in triggers(workflow)
        assert job.get("if") == (MAIN_ONLY if on_push else ON_MAIN), job_id
        needs = job.get("needs")
        needs = [needs] if isinstance(needs, str) else needs
        assert needs, f"{job_id} must need the build job"
        build = workflow["jobs"][needs[0]]
        commands = "\n".join(step.get("run", "") for step in steps(build))
        assert "python -m generator check --strict --format github" in commands
        assert "mkdocs build --strict" in commands
        guard = MAIN_ONLY if on_push else ON_MAIN
        assert any(uses(step) == "actions/upload-pages-artifact" and guard in (step.get("if"), build.get("if"))
                   for step in steps(build)), "the Pages artifact is uploaded only on main"
        assert job["environment"]["name"] == "github-pages"


def test_a_deployment_in_progress_is_never_cancelled():
    for job_id, job, workflow in deploy_jobs():
        assert job.get("concurrency", {}).get("cancel-in-progress") is False, job_id
        # A workflow-level group may cancel superseded pull-request checks, never a push.
        top = workflow.get("concurrency") or {}
        assert top.get("cancel-in-progress", False) in (False, "${{ github.event_name == 'pull_request' }}")


# Steps


def test_every_action_is_pinned_to_a_commit_or_a_version_never_a_branch():
    for job, step in all_steps():
        if "uses" not in step or step["uses"].startswith("./"):
            continue
        action, _, ref = step["uses"].partition("@")
        assert SHA.fullmatch(ref) or VERSION_TAG.fullmatch(ref), f"{job}: {step['uses']} is not pinned"


def test_every_commit_pin_names_its_version_in_a_comment():
    for path in FILES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.search(r"uses:\s*\S+@([0-9a-f]{40})\b(.*)", line)
            if match:
                assert re.search(r"#\s*v\d+\.\d+\.\d+\b", match.group(2)), f"{path.name}:{number}: add `# vX.Y.Z`"


def test_every_checkout_leaves_no_credentials_behind():
    checkouts = [(job, step) for job, step in all_steps() if uses(step) == "actions/checkout"]
    assert checkouts
    for job, step in checkouts:
        assert (step.get("with") or {}).get("persist-credentials") is False, job


def test_python_is_311_with_a_pip_cache():
    setups = [(job, step) for job, step in all_steps() if uses(step) == "actions/setup-python"]
    assert setups
    for job, step in setups:
        settings = step.get("with") or {}
        assert str(settings.get("python-version")) == "3.11", job
        assert settings.get("cache") == "pip" and settings.get("cache-dependency-path") == "pyproject.toml", job


def test_no_expression_is_expanded_inside_a_script():
    """Values reach scripts through `env:`; `${{ }}` in `run:` is how injection happens."""
    for job, step in all_steps():
        assert "${{" not in step.get("run", ""), f"{job}: {step.get('name', step['run'][:40])}"


def test_the_build_checks_content_runs_the_tests_and_builds_strictly():
    builds = [(name, job) for name, job in all_jobs()
              if any(uses(step) == "actions/upload-artifact" for step in steps(job))]
    assert builds, "no job uploads the built site"
    for name, job in builds:
        commands = [step.get("run", "") for step in steps(job)]
        order = [next(i for i, command in enumerate(commands) if needle in command) for needle in
                 ("python -m generator check --strict --format github", ".ci/run", "mkdocs build --strict")]
        assert order == sorted(order), f"{name}: check, then tests, then build"
        assert job["runs-on"] == "ubuntu-latest"


def test_every_deployed_build_installs_the_cms_from_the_lock_file_first():
    """/admin/ is built only with node_modules: every job that uploads a site for Pages
    runs `npm ci --ignore-scripts` (itself or through .ci/run) before it builds."""
    deployed = [(name, job) for name, job in all_jobs()
                if any(uses(step) == "actions/upload-pages-artifact" for step in steps(job))]
    assert deployed
    for name, job in deployed:
        commands = [step.get("run", "") for step in steps(job)]
        install = [i for i, command in enumerate(commands) if "npm ci --ignore-scripts" in command
                   or command.strip() == "bash .ci/run"]
        build = next(i for i, command in enumerate(commands) if "mkdocs build --strict" in command)
        assert install and install[0] < build, f"{name}: npm ci --ignore-scripts before the build"
    assert "npm ci --ignore-scripts" in (REPO / ".ci/run").read_text()


def test_pull_requests_get_a_summary_of_page_changes_against_their_base():
    summaries = [(job, step) for job, step in all_steps()
                 if "python -m generator diff" in step.get("run", "")]
    assert summaries
    for job, step in summaries:
        assert step.get("if") == "github.event_name == 'pull_request'", job
        assert '>> "$GITHUB_STEP_SUMMARY"' in step["run"]
    base_checkouts = [step for _, step in all_steps()
                      if uses(step) == "actions/checkout" and "base.sha" in str((step.get("with") or {}).get("ref"))]
    assert base_checkouts and all(step.get("if") == "github.event_name == 'pull_request'" for step in base_checkouts)


def test_the_build_job_builds_with_properdocs_too_and_compares_the_two_sites():
    for name, job in all_jobs():
        commands = [step.get("run", "") for step in steps(job)]
        if not any("mkdocs build --strict" in command for command in commands):
            continue
        mkdocs = next(i for i, command in enumerate(commands) if ".venv/bin/mkdocs build --strict" in command)
        properdocs = [i for i, command in enumerate(commands)
                      if ".venv/bin/properdocs build --strict -f mkdocs.yml" in command]
        assert properdocs and properdocs[0] > mkdocs, f"{name}: build with ProperDocs after MkDocs"
        compare = commands[properdocs[0]]
        assert "diff -r -x manifest.json -I '<meta name=\"generator\" content=' site " in compare, name
        assert "set +e" not in compare and "|| true" not in compare, f"{name}: a difference must fail the job"


# The daily schedule


def test_a_daily_schedule_rebuilds_main_as_of_today_and_deploys_it():
    (workflow,) = scheduled()
    assert set(triggers(workflow)) == {"schedule", "workflow_dispatch"}
    (deploy,) = [job_id for job_id, _, flow in deploy_jobs() if flow["name"] == workflow["name"]]
    build = workflow["jobs"][workflow["jobs"][deploy]["needs"]]
    assert build.get("if") == ON_MAIN
    day = next(step for step in steps(build) if "SOURCE_DATE_EPOCH" not in str(step.get("env"))
               and "date -u -d 'today 00:00' +%s" in step.get("run", ""))
    built = next(step for step in steps(build) if "mkdocs build --strict" in step.get("run", ""))
    assert built["env"]["SOURCE_DATE_EPOCH"] == "${{ steps.%s.outputs.epoch }}" % day["id"]
    # No --since, no --scheduled: time-based findings never stop the day's deployment.
    checked = next(step for step in steps(build) if "python -m generator check" in step.get("run", ""))
    assert "--scheduled" not in checked["run"] and checked["env"]["SOURCE_DATE_EPOCH"] == built["env"]["SOURCE_DATE_EPOCH"]


def test_the_daily_report_counts_every_time_based_finding_and_keeps_one_issue():
    ((job_id, job, workflow),) = report_jobs()
    assert workflow["name"] == scheduled()[0]["name"] and job.get("if") == ON_MAIN
    commands = [step.get("run", "") for step in steps(job)]
    assert any("python -m generator check --strict --scheduled --external" in command for command in commands)
    script = next(command for command in commands if "gh issue" in command)
    for action in ("gh issue list", "gh issue create", "gh issue edit", "gh issue close"):
        assert action in script, action
    # Exactly one issue: found by its title among the open ones the workflow opened.
    assert "--state open" in script and "--author app/github-actions" in script
    assert {uses(step) for step in steps(job) if "uses" in step} == {"actions/checkout", "actions/setup-python"}, \
        "the issue is kept with the runner's gh CLI, not a third-party action"


def test_pull_requests_are_held_to_the_time_based_findings_they_touch_only():
    (build,) = [job for name, job in all_jobs() if name.startswith("site.yml:")
                and any(uses(step) == "actions/upload-artifact" for step in steps(job))]
    checkout = next(step for step in steps(build) if uses(step) == "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 2  # the merge commit's first parent is the base
    check = next(step for step in steps(build) if "python -m generator check --strict" in step.get("run", ""))
    assert "since=(--since HEAD^1)" in check["run"] and "[[ $EVENT == pull_request ]]" in check["run"]
    assert check["env"]["EVENT"] == "${{ github.event_name }}"


def test_ci_runs_the_tests_ten_years_on_too():
    commands = [step.get("run", "") for _, step in all_steps()]
    assert "bash .ci/run" in commands and "bash .ci/run --faketime +3653d" in commands
    script = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "apt_packages+=(faketime)" in script and 'faketime -f "$faked" .venv/bin/python -m pytest' in script


def test_the_readme_explains_the_schedule_not_a_manual_rerun():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    deploying = readme.split("## Deploying", 1)[1].split("\n## ", 1)[0]
    assert ".github/workflows/daily.yml" in deploying
    assert "Re-run all jobs" not in deploying


FAKE_GH = """#!/bin/sh
echo "$*" >> "$GH_CALLS"
case "$1 $2" in "issue list") cat "$GH_OPEN" ;; esac
"""


@pytest.mark.parametrize(("found", "open_issue", "expected"), [
    ("yes", "", "issue create --title Daily report: stale resources, reviews due and dead links --body-file"),
    ("yes", "12", "issue edit 12 --body-file"),
    ("no", "12", "issue close 12 --comment All clear on"),
    ("no", "", None),
])
def test_the_report_script_opens_edits_and_closes_one_issue(tmp_path, found, open_issue, expected):
    """The script itself, with a stand-in `gh` that records its calls."""
    ((_, job, _),) = report_jobs()
    step = next(step for step in steps(job) if "gh issue" in step.get("run", ""))
    (tmp_path / "bin").mkdir()
    gh = tmp_path / "bin/gh"
    gh.write_text(FAKE_GH)
    gh.chmod(0o755)
    (tmp_path / "open").write_text(open_issue)
    (tmp_path / "findings.txt").write_text("content/data/resources.yml:6:17: warning: last_checked: ... [stale-resource]\n")
    env = {**os.environ, **{name: value for name, value in step["env"].items() if "${{" not in value},
           "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}", "GH_CALLS": str(tmp_path / "calls"),
           "GH_OPEN": str(tmp_path / "open"), "FOUND": found, "FINDINGS": str(tmp_path / "findings.txt"),
           "BODY": str(tmp_path / "report.md"), "RUN_URL": "https://example.org/run/1",
           "CATALOGUE_URL": "https://example.org/ERRORS.md"}
    result = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "calls").read_text().splitlines()
    assert calls[0].startswith("issue list --state open --author app/github-actions")
    assert calls[1:] == ([] if expected is None else [calls[1]]) and (expected is None or calls[1].startswith(expected))
    if found == "yes":
        body = (tmp_path / "report.md").read_text()
        assert "[stale-resource]" in body and "https://example.org/run/1" in body


BUILD_COMMANDS = ("mkdocs build", "properdocs build")
BASE_URL = "${{ steps.pages.outputs.base_url }}"


def test_every_build_takes_site_url_from_github_pages_and_only_deploying_builds_are_marked():
    """Canonical links, the sitemap, feeds and social images come from SITE_URL: every job that
    builds a site asks GitHub Pages for its address, and every build step is given it."""
    building = [(name, job) for name, job in all_jobs()
                if any(word in step.get("run", "") for step in steps(job) for word in BUILD_COMMANDS)]
    assert len(building) >= 2, "the push/pull-request build and the daily build"
    for name, job in building:
        configure = [step for step in steps(job) if uses(step) == "actions/configure-pages"]
        assert len(configure) == 1 and configure[0].get("id") == "pages", name
        assert job.get("permissions") == {"contents": "read", "pages": "read"}, name
        first_build = next(i for i, step in enumerate(steps(job))
                           if any(word in step.get("run", "") for word in BUILD_COMMANDS))
        assert steps(job).index(configure[0]) < first_build, name
        for step in steps(job):
            if any(word in step.get("run", "") for word in BUILD_COMMANDS):
                assert step.get("env", {}).get("SITE_URL") == BASE_URL, (name, step["name"])
    # The deploy marker: on the step whose site is published, never anywhere else, never from CI.
    marked = [(name, step) for name, step in all_steps() if "FIELD_GUIDE_DEPLOY" in step.get("env", {})]
    assert {step["name"] for _, step in marked} == {"Build the site"}
    assert all(step["run"].strip().endswith("mkdocs build --strict") for _, step in marked)
    for _, workflow in all_workflows():
        assert "FIELD_GUIDE_DEPLOY" not in workflow.get("env", {})
        for job in workflow["jobs"].values():
            assert "FIELD_GUIDE_DEPLOY" not in job.get("env", {})


def test_the_pull_request_summary_names_pages_at_the_sites_address():
    (step,) = [step for _, step in all_steps() if "python -m generator diff" in step.get("run", "")]
    assert '--site-url "$SITE_URL"' in step["run"] and step["env"]["SITE_URL"] == BASE_URL
