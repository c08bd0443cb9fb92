"""The Decap CMS configuration (admin/config.yml) comes from the models and agrees with the
JSON Schemas: the CMS is exactly as strict as `check` where it can express a rule."""

import json
import re

import pytest
import yaml

from generator.content import decap
from generator.content.regions import REGIONS
from sitekit import REPO

CONFIG = yaml.safe_load((REPO / decap.CONFIG_PATH).read_text(encoding="utf-8"))
DATA_FILES = {"resources": "data", "benefits": "data", "categories": "data", "authors": "authors"}


def _collection(name: str) -> dict:
    return next(collection for collection in CONFIG["collections"] if collection["name"] == name)


def _data_file(name: str) -> dict:
    return next(file for file in _collection(DATA_FILES[name])["files"] if file["name"] == name)


def _by_name(fields: list[dict]) -> dict[str, dict]:
    return {field["name"]: field for field in fields}


def _item_fields(name: str) -> dict[str, dict]:
    items = _by_name(_data_file(name)["fields"])["items"]
    return _by_name(items["fields"])


def test_committed_cms_config_is_up_to_date():
    assert not decap.is_stale(REPO), "run `python -m generator schemas` and commit admin/config.yml"


def test_a_model_change_makes_the_cms_config_stale(tmp_path):
    assert decap.write_config(tmp_path) and not decap.is_stale(tmp_path)
    path = tmp_path / decap.CONFIG_PATH
    path.write_text(path.read_text().replace("max: 12", "max: 13"))
    assert decap.is_stale(tmp_path)


def test_every_article_field_is_in_the_articles_collection_with_the_same_required_ness():
    schema = json.loads((REPO / "schemas/article.schema.json").read_text())
    fields = _by_name(_collection("articles")["fields"])
    assert set(fields) == set(schema["properties"]) | {"body"}
    for name in schema["properties"]:
        assert fields[name]["required"] == (name in schema["required"]), name
    assert fields["body"]["widget"] == "markdown" and fields["body"].get("required", True)  # Decap: required unless false


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_data_file_field_is_in_its_files_collection_with_the_same_required_ness(name):
    schema = json.loads((REPO / f"schemas/{name}.schema.json").read_text())
    entry = schema["items"] if schema["type"] == "array" else schema["additionalProperties"]
    fields = _item_fields(name)
    keyed = schema["type"] == "object"  # authors.yml: a mapping by id, shown with its id as a field
    assert set(fields) == set(entry["properties"]) | ({"id"} if keyed else set())
    for field in entry["properties"]:
        assert fields[field]["required"] == (field in entry.get("required", [])), (name, field)
    assert _data_file(name)["file"] == f"content/data/{name}.yml"
    assert (REPO / _data_file(name)["file"]).is_file()


def test_lengths_and_patterns_of_the_model_are_decap_patterns():
    fields = _by_name(_collection("articles")["fields"])
    description = re.compile(fields["description"]["pattern"][0])
    assert description.fullmatch("x" * 50) and description.fullmatch("x" * 160)
    assert not description.fullmatch("x" * 49) and not description.fullmatch("x" * 161)
    tag = re.compile(fields["tags"]["field"]["pattern"][0])
    assert tag.fullmatch("first-weeks") and not tag.fullmatch("First Weeks") and not tag.fullmatch("a" * 25)
    assert fields["tags"]["max"] == 12 and fields["authors"]["min"] == 1
    source = _by_name(fields["sources"]["fields"])
    assert set(source) == {"title", "url", "publisher", "accessed"} and fields["sources"]["widget"] == "list"
    url = re.compile(source["url"]["pattern"][0])
    assert url.match("https://www.dol.gov/") and not url.match("http://www.dol.gov/") \
        and not url.match("javascript:alert(1)")
    for name in ("date", "updated", "reviewed"):
        assert fields[name]["widget"] == "datetime" and fields[name]["time_format"] is False
        assert fields[name]["format"] == "YYYY-MM-DD"
        assert not re.match(fields[name]["pattern"][0], "2206-01-01")


def test_regions_are_a_select_of_every_country_by_name():
    regions = _by_name(_collection("articles")["fields"])["regions"]
    assert regions["widget"] == "select" and regions["multiple"] is True
    options = {option["value"]: option["label"] for option in regions["options"]}
    assert set(options) == set(REGIONS)
    assert options["gb"] == "United Kingdom (gb)" and options["us"] == "United States (us)"


def test_ids_of_other_data_files_are_relation_widgets_to_their_files():
    articles = _by_name(_collection("articles")["fields"])
    resources = _item_fields("resources")
    for field, target in ((articles["authors"], "authors"), (articles["benefits"], "benefits"),
                          (resources["benefits"], "benefits"), (resources["category"], "categories")):
        assert field["widget"] == "relation" and field["file"] == target
        assert field["collection"] == DATA_FILES[target] and field["value_field"] == "items.*.id"
        assert "id" in _item_fields(target)
    assert resources["category"]["multiple"] is False and articles["authors"]["multiple"] is True


def test_every_save_is_a_branch_and_a_pull_request():
    assert CONFIG["publish_mode"] == "editorial_workflow"
    assert CONFIG["backend"]["name"] == "github" and CONFIG["omit_empty_optional_fields"] is True
    articles = _collection("articles")
    assert articles["folder"] == "content/articles" and articles["slug"] == "{{slug}}"


def test_the_build_names_the_repository_and_the_sign_in_proxy():
    text = decap.with_backend(decap.render(decap.build_config()), repo="owner/guide", branch="main",
                              base_url="https://auth.example.org")
    assert yaml.safe_load(text)["backend"] == {"name": "github", "repo": "owner/guide", "branch": "main",
                                               "base_url": "https://auth.example.org"}


def test_security_md_names_the_admin_pages_policy_as_built():
    from generator.mkdocs.admin import ADMIN_POLICY

    text = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    section = text.split("### The editors' CMS (/admin/)", 1)[1].split("\n## ", 1)[0]
    block = section.split("```\n", 2)[1]
    assert " ".join(block.split()) == ADMIN_POLICY


@pytest.mark.parametrize(("setting", "value"), [("auth_url", "http://auth.example.org"),
                                                ("auth_url", "javascript:alert(1)"),
                                                ("repo", "not a repository")])
def test_a_cms_setting_that_is_not_an_address_or_a_repository_is_refused(setting, value):
    from generator.mkdocs.config import CmsConfig

    config = CmsConfig()
    config.load_dict({setting: value})
    failed, _ = config.validate()
    assert [name for name, _ in failed] == [setting]


def test_the_cms_settings_accept_a_workers_address_and_a_repository():
    from generator.mkdocs.config import CmsConfig

    config = CmsConfig()
    config.load_dict({"repo": "owner/internship-field-guide", "auth_url": "https://decap-proxy.me.workers.dev"})
    assert config.validate() == ([], [])


def test_every_fact_field_is_in_the_facts_collection_with_the_same_required_ness():
    schema = json.loads((REPO / "schemas/facts.schema.json").read_text())
    defs = schema.get("$defs", {}) | schema["items"].get("$defs", {})
    facts = _collection("facts")
    assert facts["folder"] == "content/data/facts" and any((REPO / facts["folder"]).glob("*.yml"))
    [items] = [field for field in facts["fields"] if field["name"] == "items"]

    def same(fields, entry):
        fields = _by_name(fields)
        assert set(fields) == set(entry["properties"])
        for name, prop in entry["properties"].items():
            assert fields[name]["required"] == (name in entry.get("required", [])), name
            ref = prop.get("$ref") or prop.get("items", {}).get("$ref")
            if ref:  # the source (an object) and the values (a list of objects)
                same(fields[name]["fields"], defs[ref.rsplit("/", 1)[1]])

    same(items["fields"], schema["items"])
    region = _by_name(items["fields"])["region"]
    assert {"label": "European Union (eu)", "value": "eu"} in region["options"]
