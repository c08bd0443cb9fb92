"""Markdown made safe: how an article's Markdown becomes the HTML a reader gets, and
where that HTML is not what its editor saw in GitHub's preview.

- `settings.py`  the Markdown extensions the site converts with, for code outside MkDocs
- `gfm.py`       GitHub Flavored Markdown where pymdown-extensions differs: lists, heading ids
- `mdext.py`     the extensions on every page: safe links, lazy images, fact and chart
                 placeholders, table alignment as classes, the sanitizer last
- `sanitize.py`  the output sanitizer: only the HTML our extensions write reaches a reader
- `markup.py`    Markdown written in YAML data (benefit summaries), rendered once
- `parity.py`    where the site and GitHub's preview render an article differently
- `rewrites.py`  where the sanitizer changes what an article's Markdown makes

May import: content.
"""
