"""The Decap CMS configuration (admin/config.yml), generated from the models.

Every field an editor fills in the browser comes from the same model that `check`
validates with: required or optional as the model says, lengths and patterns as Decap
`pattern`s, dates as date pickers, ids of other data files as relation widgets. It is
never written by hand; `python -m generator schemas` writes it beside the JSON Schemas.

Decap edits a data file only as a mapping of fields, and ours are a list at the top
(resources.yml) or a mapping by id (authors.yml); admin/cms.js registers two formats
that show each file to Decap as `{items: [...]}` and write it back in its own shape
(its first comment lines kept, the comments between entries not).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from . import models
from .reader import ARTICLES_DIR
from .models import ArticleMeta, Author, Benefit, Category, Fact, Model, Resource
from .regions import EU, REGIONS, region_name

CONFIG_PATH = "admin/config.yml"
DATA_DIR = "content/data"
# Formats admin/cms.js registers with CMS.registerCustomFormat.
LIST_FORMAT = "field-guide-list"  # a YAML list at the top of the file
MAP_FORMAT = "field-guide-map"  # a YAML mapping by id (authors.yml)
# A field whose values are ids of another data file: (collection, file) it points to.
RELATIONS = {
    (ArticleMeta, "authors"): ("authors", "authors"),
    (ArticleMeta, "benefits"): ("data", "benefits"),
    (Resource, "benefits"): ("data", "benefits"),
    (Resource, "category"): ("data", "categories"),
}
# The field each data file's entries are shown by in lists and relation pickers.
DISPLAY = {"benefits": "title", "categories": "title", "resources": "title", "authors": "name"}
HEADER = ("# Generated from generator/content/models.py by `python -m generator schemas`: do not edit.\n"
          "# Decap CMS reads it on /admin/; the build fills in `backend` from mkdocs.yml\n"
          "# (plugin option cms).\n")


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _unwrap_optional(prop: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """(the schema of the value, whether null is allowed)."""
    options = prop.get("anyOf")
    if options and any(option.get("type") == "null" for option in options):
        rest = [option for option in options if option.get("type") != "null"]
        return {**prop, **rest[0], "anyOf": None}, True
    return prop, False


def _length_pattern(prop: dict[str, Any]) -> list[str] | None:
    low, high = prop.get("minLength"), prop.get("maxLength")
    if low is None and high is None:
        return None
    low = low or 0
    if high is None:
        return [f"^[\\s\\S]{{{low},}}$", f"At least {low} characters."] if low > 1 else None
    if low <= 1:
        return [f"^[\\s\\S]{{1,{high}}}$", f"At most {high} characters."]
    return [f"^[\\s\\S]{{{low},{high}}}$", f"{low} to {high} characters."]


def _string_field(prop: dict[str, Any]) -> dict[str, Any]:
    """A string's widget: a date picker, or text with the model's pattern or lengths."""
    if prop.get("format") == "date":
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD",
                "time_format": False, "picker_utc": True,
                "pattern": [prop["pattern"], "A date from 1990 to 2100, YYYY-MM-DD."]}
    field: dict[str, Any] = {"widget": "string"}
    if "pattern" in prop:
        pattern = prop["pattern"]
        if "maxLength" in prop:  # both, as the model checks both: the length as a lookahead
            pattern = f"^(?=[\\s\\S]{{0,{prop['maxLength']}}}$){pattern.removeprefix('^')}"
        field["pattern"] = [pattern, _pattern_hint(prop["pattern"])]
    elif (lengths := _length_pattern(prop)) is not None:
        field["pattern"] = lengths
    return field


def _pattern_hint(pattern: str) -> str:
    if pattern.startswith("^[a-z0-9]+(?:-"):
        return "Lowercase letters, digits and hyphens, like career-clarity."
    if pattern.startswith("^https://"):
        return "An address that starts with https://"
    if pattern.startswith("^https?://"):
        return "An address that starts with https:// (or http://)."
    if pattern.startswith("^[a-z0-9-]+/"):
        return "An icon name like material/briefcase-outline."
    return f"Must match {pattern}"


def _relation(collection: str, file: str, *, multiple: bool) -> dict[str, Any]:
    shown = f"items.*.{DISPLAY[file]}"
    return {"widget": "relation", "collection": collection, "file": file, "value_field": "items.*.id",
            "search_fields": [shown], "display_fields": [shown], "multiple": multiple,
            "options_length": 100}


def _field(model: type[Model], name: str, prop: dict[str, Any], required: bool,
           defs: dict[str, Any]) -> dict[str, Any]:
    prop, nullable = _unwrap_optional(prop)
    field: dict[str, Any] = {"name": name, "label": prop.get("title") or _label(name)}
    if "description" in prop:
        field["hint"] = prop["description"]
    field["required"] = required and not nullable
    relation = RELATIONS.get((model, name))
    kind = prop.get("type")
    if relation is not None:
        field.update(_relation(*relation, multiple=kind == "array"))
        if kind == "array" and prop.get("minItems"):
            field["min"] = prop["minItems"]
    elif "$ref" in prop:  # a nested model (a fact's source): its fields, as one object
        sub_name = prop["$ref"].rsplit("/", 1)[1]
        field.update(widget="object", fields=_fields(getattr(models, sub_name), defs[sub_name], defs))
    elif "enum" in prop or "const" in prop:
        field.update(widget="select", options=_options(prop))
    elif kind == "boolean":
        field.update(widget="boolean", default=prop.get("default", False))
    elif kind == "string":
        field.update(_string_field(prop))
    elif kind == "array":
        items = prop["items"]
        if "$ref" in items:
            sub_name = items["$ref"].rsplit("/", 1)[1]
            # A nested model (Source) is named in the JSON Schema as in models.py.
            field.update(widget="list", fields=_fields(getattr(models, sub_name), defs[sub_name], defs))
        elif "enum" in items:
            field.update(widget="select", multiple=True, options=_options(items))
        else:
            field.update(widget="list", field={"name": name.rstrip("s"), "label": _label(name.rstrip("s")),
                                               **_string_field(items)})
        if prop.get("minItems"):
            field["min"] = prop["minItems"]
        if prop.get("maxItems"):
            field["max"] = prop["maxItems"]
        # An empty list is written as nothing rather than `[]`, which reads the same.
        field["required"] = field["required"] or bool(prop.get("minItems"))
    else:
        raise ValueError(f"{model.__name__}.{name}: no Decap widget for {prop!r}")
    return field


def _options(prop: dict[str, Any]) -> list[Any]:
    values = prop.get("enum") or [prop["const"]]
    if set(values) <= set(REGIONS) | {EU}:
        return [{"label": f"{region_name(code)} ({code})", "value": code} for code in values]
    return list(values)


def _fields(model: type[Model], schema: dict[str, Any], defs: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    return [_field(model, name, prop, name in required, defs) for name, prop in schema["properties"].items()]


def model_fields(model: type[Model]) -> list[dict[str, Any]]:
    """Decap's fields of `model`, from its JSON Schema (the one editors' tools read)."""
    schema = model.model_json_schema(mode="validation")
    return _fields(model, schema, schema.get("$defs", {}))


def _data_file(name: str, model: type[Model], label: str, *, keyed: bool = False) -> dict[str, Any]:
    fields = model_fields(model)
    if keyed:  # authors.yml is a mapping by id: Decap sees each entry with its id as a field
        fields = [{"name": "id", "label": "Id", "widget": "string", "required": True,
                   "hint": "Lowercase words and hyphens; articles name the desk by it.",
                   "pattern": [models.SLUG_PATTERN, _pattern_hint(models.SLUG_PATTERN)]}, *fields]
    return {"name": name, "label": label, "file": f"{DATA_DIR}/{name}.yml",
            "fields": [{"name": "header", "widget": "hidden", "required": False},
                       {"name": "items", "label": label, "widget": "list", "summary": f"{{{{fields.{DISPLAY[name]}}}}}",
                        "fields": fields}]}


def build_config() -> dict[str, Any]:
    """Decap's whole configuration, but the parts mkdocs.yml sets (backend)."""
    article_fields = model_fields(ArticleMeta)
    return {
        "backend": {"name": "github", "branch": "main"},
        # Every save is a branch cms/<collection>/<slug> and a pull request that CI checks.
        "publish_mode": "editorial_workflow",
        # Only on 127.0.0.1 or localhost: `python -m generator cms` serves this file with
        # the address of decap-server's API (forwarded on the editor's own origin).
        "local_backend": True,
        # Images go to content/images/ (CONTRIBUTING.md), written relative to the article
        # as its lead image and its figures are: ../images/<file>.
        "media_folder": "content/images",
        "public_folder": "../images",
        # The models refuse `updated: ""`: an optional field left empty is left out.
        "omit_empty_optional_fields": True,
        # As `generator new` makes a file name from the title (cli.slugify).
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            {"name": "articles", "label": "Articles", "label_singular": "Article",
             "folder": f"content/{ARTICLES_DIR}", "extension": "md", "format": "yaml-frontmatter",
             "create": True, "slug": "{{slug}}", "identifier_field": "title",
             "summary": "{{title}} ({{date}})",
             "fields": [*article_fields,
                        {"name": "body", "label": "Body", "widget": "markdown", "modes": ["raw"],
                         # Markdown as written, as GitHub reads it: Decap's rich text mode
                         # rewrites it (`\\## ` for a typed heading, blank lines doubled).
                         "sanitize_preview": True,
                         "hint": "GitHub Flavored Markdown; the title above is the heading, start sections at ##."}]},
            {"name": "data", "label": "Data files", "format": LIST_FORMAT, "extension": "yml",
             "files": [_data_file("resources", Resource, "Resources"),
                       _data_file("benefits", Benefit, "Benefits"),
                       _data_file("categories", Category, "Resource categories")]},
            {"name": "authors", "label": "Authors", "format": MAP_FORMAT, "extension": "yml",
             "files": [_data_file("authors", Author, "Authors", keyed=True)]},
            # content/data/facts/<topic>.yml, each a list of facts: one entry per topic file.
            # New topics come by pull request (a file name is a slug that `check` judges).
            {"name": "facts", "label": "Key figures", "label_singular": "Facts file",
             "folder": f"{DATA_DIR}/facts", "extension": "yml", "format": LIST_FORMAT,
             "create": False, "identifier_field": "header", "summary": "{{filename}}",
             "fields": [{"name": "header", "widget": "hidden", "required": False},
                        {"name": "items", "label": "Facts", "widget": "list", "summary": "{{fields.label}}",
                         "fields": model_fields(Fact)}]},
        ],
    }


def render(config: dict[str, Any]) -> str:
    return HEADER + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)


def with_backend(text: str, *, repo: str, branch: str, base_url: str | None) -> str:
    """The committed config with the backend mkdocs.yml names (as the build writes it)."""
    config = yaml.safe_load(text)
    backend = {"name": "github", "repo": repo, "branch": branch}
    if base_url:
        backend["base_url"] = base_url
    config["backend"] = backend
    return render(config)


def is_stale(root: Path) -> bool:
    path = root / CONFIG_PATH
    return not path.is_file() or path.read_text(encoding="utf-8") != render(build_config())


def write_config(root: Path) -> bool:
    """Write admin/config.yml if it changed; whether it did."""
    if not is_stale(root):
        return False
    (root / CONFIG_PATH).parent.mkdir(exist_ok=True)
    (root / CONFIG_PATH).write_text(render(build_config()), encoding="utf-8")
    return True

