"""The MkDocs adapter: the only part of the generator that imports `mkdocs`.

Everything else in `generator/` is plain Python; this package wires it to MkDocs (or
ProperDocs, its maintained fork, which answers to `import mkdocs` too). Each file does
one job:

- `plugin.py`     the `field-guide` plugin: MkDocs' events, each handed to a file below
- `config.py`     the plugin's options, and what the pipeline takes from mkdocs.yml (also for `check`)
- `files.py`      the file set: data and unpublished articles dropped, generated pages added
- `sources.py`    articles' bodies and front matter handed to MkDocs as the pipeline read them
- `templates.py`  what each page's template is given, the Jinja settings, each page's HTML finished
- `conversion.py` one page's conversion as a value, and the one rule for reusing it
- `cache.py`      the build cache: articles' converted Markdown kept between builds
- `rendered.py`   the build cache's pages: finished HTML reused when nothing it shows changed
- `parallel.py`   articles' Markdown converted in worker processes while the build renders
- `workers.py`    the worker processes
- `cards.py`      social cards drawn by the workers and linked into the site
- `output.py`     feeds, robots.txt and the manifest, written after the pages
- `admin.py`      /admin/: Decap CMS from node_modules, with our page, script and config
- `preview.py`    `mkdocs serve`: the generator reloaded, `--dirty` rendering only what changed
- `search.py`     search: the Pagefind index of the written site (indexing: ../site/searchindex.py)
- `internals.py`  every undocumented part of MkDocs and Material we rely on, each tested

It runs the pipeline (../site/pipeline.py) inside MkDocs' events; `check` (../editors/)
reads mkdocs.yml through `config.py`, so nothing below the editors' tools imports it.

May import: content, markdown, site.
"""
