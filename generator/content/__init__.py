"""Content in: every source under content/ read, classified and validated into models,
every problem reported at once with its file, line and field. A reader never renders.

- `inventory.py`   what content/ may hold: every file classified before anything is read
- `yamlsource.py`  YAML that remembers the line and column of every key and value
- `models.py`      one model per content type: the single source of truth for every field
- `errors.py`      the errors an editor can fix, which every later phase reports too
- `regions.py`     the countries an article can name, with their English names
- `limits.py`      structural limits on a page's Markdown, measured on the source
- `policy.py`      the raw HTML policy: what a Markdown source may not carry (the source
                   lint; markdown/sanitize.py is the guarantee on the output)
- `facts.py`       facts: dated, sourced figures, and how a reference to one is filled in
- `charts.py`      chart groups of facts, and the chart drawn for a reference to one
- `reader.py`      everything under content/ read into one `Content`, cross-checked
- `schemas.py`     the JSON Schemas editors' tools validate data files with, from the models
- `decap.py`       the Decap CMS configuration (admin/config.yml), from the models

The errors, the limits and the HTML policy sit here, at the bottom, because reading
already applies them: the reader refuses unsafe raw HTML at its line, as it refuses a bad
field.

May import: nothing else of the generator.
"""
