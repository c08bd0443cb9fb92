"""The editors' tools: the command line (`python -m generator`, the `field-guide` script)
and the checks only it runs.

- `cli.py`        `new`, `check`, `facts`, `schemas`, `cms`, `diff`, `catalogue`
- `changes.py`    what a pull request changed, which its time-based findings count against
- `linkcheck.py`  dead external links (`check --external`)
- `catalogue.py`  every error code with an example and the fix: ERRORS.md
- `cms.py`        Decap CMS in the browser, locally, on a separate git worktree

The top of the order: `check` reads mkdocs.yml through the adapter (mkdocs/config.py),
so that it and the build run the pipeline with one configuration.

May import: content, markdown, site, mkdocs.
"""
