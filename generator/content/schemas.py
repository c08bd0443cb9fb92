"""JSON Schemas for editors' tools, generated from the models (never written by hand).

VS Code's YAML extension reads the `# yaml-language-server: $schema=…` line at the top
of each data file and validates and completes as the editor types.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .models import SLUG_PATTERN, ArticleMeta, Author, Benefit, Category, Fact, Model, PageMeta, Resource

SCHEMA_DIR = "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _entry(model: type[Model]) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    schema.pop("title", None)
    return schema


def _list_of(model: type[Model], title: str, description: str) -> dict[str, Any]:
    entry = _entry(model)
    # `$ref`s name `#/$defs/...` from the document's root: the nested models go there.
    defs = entry.pop("$defs", None)
    return {"$schema": DIALECT, "title": title, "description": description, "type": "array",
            "items": entry, **({"$defs": defs} if defs else {})}


def build_schemas() -> dict[str, dict[str, Any]]:
    """Every schema by file name."""
    return {
        "article.schema.json": {"$schema": DIALECT, "title": "Article front matter",
                                "description": "The YAML front matter of content/articles/<slug>.md.",
                                **_entry(ArticleMeta)},
        "page.schema.json": {"$schema": DIALECT, "title": "Page front matter", **_entry(PageMeta)},
        "benefits.schema.json": _list_of(Benefit, "Benefits", "content/data/benefits.yml: display order."),
        "categories.schema.json": _list_of(Category, "Resource categories", "content/data/categories.yml"),
        "resources.schema.json": _list_of(Resource, "Resources", "content/data/resources.yml"),
        "facts.schema.json": _list_of(Fact, "Facts", "content/data/facts/<topic>.yml: figures articles name "
                                                     "with [label](fact:<id>), each with dated values and a source."),
        "authors.schema.json": {
            "$schema": DIALECT, "title": "Authors", "description": "content/data/authors.yml: desks by id.",
            "type": "object", "propertyNames": {"pattern": SLUG_PATTERN},
            "additionalProperties": _entry(Author),
        },
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def stale_schemas(root: Path) -> list[str]:
    """Schema files that differ from what the models generate (or are missing)."""
    folder = root / SCHEMA_DIR
    return [name for name, schema in build_schemas().items()
            if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != render(schema)]


def write_schemas(root: Path) -> list[str]:
    """Write the schemas that changed; return their names."""
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    changed = stale_schemas(root)
    for name, schema in build_schemas().items():
        if name in changed:
            (folder / name).write_text(render(schema), encoding="utf-8")
    return changed
