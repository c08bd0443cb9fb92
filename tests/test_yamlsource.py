import pytest

from generator.content.errors import ContentErrors
from generator.content.yamlsource import load_yaml


def errors_of(text: str, first_line: int = 1) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_yaml(text, "data.yml", first_line=first_line)
    return [str(error) for error in caught.value.errors]


def test_positions_of_keys_and_values_are_one_based():
    document = load_yaml("a: 1\nlist:\n  - name: x\n    url: y\n", "data.yml")
    assert document.data == {"a": 1, "list": [{"name": "x", "url": "y"}]}
    assert (document.where.key(("list", 0, "url")).line, document.where.key(("list", 0, "url")).column) == (4, 5)
    assert (document.where.value(("list", 0, "url")).line, document.where.value(("list", 0, "url")).column) == (4, 10)


def test_front_matter_positions_count_from_the_first_line_given():
    document = load_yaml("title: x\ndate: 2026-01-01\n", "a.md", first_line=2)
    assert document.where.value(("date",)).line == 3


def test_dates_stay_text_so_impossible_dates_do_not_crash_the_loader():
    assert load_yaml("d: 2025-02-30\n", "data.yml").data == {"d": "2025-02-30"}


def test_missing_value_falls_back_to_the_enclosing_item():
    document = load_yaml("- id: a\n- id: b\n", "data.yml")
    assert document.where.value((1, "title")).line == 2


def test_duplicate_key_is_an_error_at_the_second_key():
    assert errors_of("name: a\nbio: b\nname: c\n") == [
        "data.yml:3:1: name: duplicate key 'name': it is already set above; keep one [yaml-duplicate-key]"
    ]


def test_syntax_error_names_the_line():
    (message,) = errors_of("a: [1, 2\nb: 3\n")
    assert message.startswith("data.yml:2:")
    assert "not valid YAML" in message


def test_python_tags_are_refused():
    (message,) = errors_of("a: !!python/object/apply:os.system ['echo hi']\n")
    assert message.startswith("data.yml:1:4: (yaml): the tag tag:yaml.org,2002:python/object/apply:os.system")


def test_aliases_are_refused_which_defuses_billion_laughs():
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    bomb += "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    (message,) = errors_of(bomb)
    assert "aliases" in message


def test_deep_nesting_is_refused():
    (message,) = errors_of("a: " + "[" * 40 + "]" * 40 + "\n")
    assert "nested more than" in message


@pytest.mark.parametrize("text", [
    "- " * 40 + "x\n",  # compact sequences on one line
    "".join(" " * depth + "k:\n" for depth in range(40)) + " " * 40 + "k: x\n",  # a mapping indented a step a level
    "".join("  " * depth + "- a:\n" for depth in range(20)) + "  " * 20 + "- x\n",  # both
])
def test_deep_block_nesting_is_refused_before_composing(text):
    (message,) = errors_of(text)
    assert "nested more than 32 levels deep" in message


def test_more_than_one_document_is_an_error():
    (message,) = errors_of("a: 1\n---\nb: 2\n")
    assert message.startswith("data.yml:2:1:")
