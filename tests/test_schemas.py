"""JSON Schemas for editors come from the models and agree with the content."""

import json

import jsonschema
import pytest
import yaml

from generator.content.reader import split_front_matter
from generator.content.schemas import build_schemas, render, stale_schemas
from sitekit import REPO

DATA_FILES = ["benefits", "categories", "resources", "authors"]


def test_committed_schemas_are_up_to_date():
    assert stale_schemas(REPO) == [], "run `python -m generator schemas` and commit the result"


def test_a_model_change_makes_the_schemas_stale(tmp_path):
    (tmp_path / "schemas").mkdir()
    for name, schema in build_schemas().items():
        (tmp_path / "schemas" / name).write_text(render(schema))
    assert stale_schemas(tmp_path) == []
    (tmp_path / "schemas/resources.schema.json").write_text("{}\n")
    assert stale_schemas(tmp_path) == ["resources.schema.json"]


@pytest.mark.parametrize("name", DATA_FILES)
def test_each_data_file_names_its_schema_on_its_first_line(name):
    first = (REPO / f"content/data/{name}.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../../schemas/{name}.schema.json"
    assert (REPO / "content/data" / f"../../schemas/{name}.schema.json").resolve().is_file()


@pytest.mark.parametrize("name", DATA_FILES)
def test_shipped_data_satisfies_its_schema(name):
    schema = json.loads((REPO / f"schemas/{name}.schema.json").read_text())
    data = yaml.safe_load((REPO / f"content/data/{name}.yml").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_shipped_front_matter_satisfies_the_article_schema():
    schema = json.loads((REPO / "schemas/article.schema.json").read_text())
    for path in (REPO / "content/articles").glob("*.md"):
        front_matter, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
        jsonschema.validate(json.loads(json.dumps(yaml.safe_load(front_matter), default=str)), schema)


def test_shipped_pages_front_matter_satisfies_the_page_schema():
    schema = json.loads((REPO / "schemas/page.schema.json").read_text())
    pages = [path for path in (REPO / "content").rglob("*.md") if "articles" not in path.parts]
    assert {path.name for path in pages} >= {"index.md", "about.md"}
    for path in pages:
        front_matter, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
        jsonschema.validate(json.loads(json.dumps(yaml.safe_load(front_matter), default=str)), schema)


def test_page_schema_rejects_what_the_page_model_rejects():
    validator = jsonschema.Draft202012Validator(json.loads((REPO / "schemas/page.schema.json").read_text()))
    assert validator.is_valid({"title": "About", "subtitle": "Us", "status": "new", "hide": ["toc"],
                               "icon": "material/information-outline"})
    for bad in ({"status": "<script>"}, {"hide": ["tac"]}, {"icon": "Not An Icon"}, {"template": "redirect.html"},
                {"subtitle": 3}, {"title": "x" * 91}):
        assert not validator.is_valid(bad), bad


def test_article_schema_refuses_implausible_years_like_the_model():
    schema = json.loads((REPO / "schemas/article.schema.json").read_text())
    date = schema["properties"]["date"]
    validator = jsonschema.Draft202012Validator(date)
    assert validator.is_valid("2026-10-01") and validator.is_valid("1990-01-01") and validator.is_valid("2100-12-31")
    assert not validator.is_valid("2206-10-01") and not validator.is_valid("1989-12-31")


def test_schema_rejects_what_the_models_reject():
    schema = json.loads((REPO / "schemas/resources.schema.json").read_text())
    bad = [{"title": "x", "url": "javascript:alert(1)", "category": "a", "description": "d",
            "cost": "cheap", "last_checked": "2026-01-01", "colour": "red"}]
    errors = {e.validator for e in jsonschema.Draft202012Validator(schema).iter_errors(bad)}
    assert errors >= {"pattern", "enum", "additionalProperties"}


@pytest.mark.parametrize("path", sorted((REPO / "content/data/facts").glob("*.yml")), ids=lambda path: path.name)
def test_each_facts_file_names_its_schema_and_satisfies_it(path):
    """Its `$ref`s resolve from the schema's root (a nested model's `$defs` under `items`
    left every reference pointing nowhere, and editors' tools reported the file broken)."""
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../../schemas/facts.schema.json"
    schema = json.loads((REPO / "schemas/facts.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(json.loads(json.dumps(yaml.safe_load(text), default=str))))
    bad = json.loads(json.dumps(yaml.safe_load(text), default=str))
    bad[0]["values"][0]["when"] = "soon"
    assert [error.validator for error in validator.iter_errors(bad)] == ["additionalProperties"]
