"""The site's pages: what readers, feed readers and search engines get, and the pipeline
that `check` and the build both run to get there. Plain Python: nothing here knows
MkDocs, so tests call it directly.

- `pipeline.py`     the whole pipeline without MkDocs: read, validate, build the graph,
                    derive the pages, lint (`prepare`, `PreparedSite`)
- `graph.py`        the site graph: every cross-reference and listing, computed once
- `pages.py`        one spec per page readers get, with its template and data
- `lint.py`         what is valid but will read badly, rank badly or break for a reader
- `media.py`        lead images, checked, and the variants the build draws of them
- `figures.py`      an image with its caption as a figure, with the same variants
- `feeds.py`        RSS, Atom and JSON Feed
- `seo.py`          what search engines and social sites read (Open Graph, JSON-LD)
- `social.py`       social preview cards, drawn offline
- `csp.py`          each page's Content-Security-Policy, from what we wrote
- `htmlfix.py`      the one repair to Material's markup no theme override can make
- `searchindex.py`  the Pagefind index of the written site, made reproducible
- `manifest.py`     every built file and its hash, and what changed between two builds
- `incremental.py`  which pages a preview rebuild must render again

The lint lives here, with the pipeline that runs it, because it judges an article as
the site will show it: its links against the site's pages, GitHub's preview (parity)
and the sanitizer's changes (rewrites), both from markdown/.

May import: content, markdown.
"""
