"""The Internship Field Guide's generator, one package per phase, in the order a build
runs them:

- `content/`   content in: every source under content/ read and validated, all problems at once
- `markdown/`  Markdown made safe: an article's Markdown converted to the HTML a reader gets
- `site/`      the site's pages: the graph, pages, feeds, search, cards, and the pipeline
               (with its lint) that `check` and the build both run
- `mkdocs/`    the MkDocs adapter: the only package that knows MkDocs exists
- `editors/`   the editors' tools: the command line (`python -m generator`) and its checks

Imports run one way, down this list: each package imports only itself and the packages
before it, as its own docstring says on its `May import:` line, so `content/` imports none
of the others and none imports `editors/`. tests/test_package_layout.py reads those lines
and fails on an import the other way. Outside the packages there is only `__main__.py`.

Order: content, markdown, site, mkdocs, editors
"""
