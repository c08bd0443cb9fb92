"""YAML that remembers where every key and value came from.

PyYAML's constructors throw positions away, so we compose the node tree with a safe
loader and build the Python values ourselves, recording the line and column of each
key and value. Validation errors can then point at the exact place an editor typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from .errors import ContentError, ContentErrors

Loc = tuple[str | int, ...]

MAX_YAML_CHARS = 1_000_000
_UNPRINTABLE = yaml.reader.Reader.NON_PRINTABLE
MAX_DEPTH = 32

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP = yaml.constructor.SafeConstructor.timestamp_regexp
_SEQ_TAG = "tag:yaml.org,2002:seq"


# libyaml's parser when PyYAML has it: ten times faster than the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ContentLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """A safe loader that leaves dates as text, so that `2025-02-30` is a validation
    error with a position instead of a ValueError from deep inside PyYAML."""


_ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Position(NamedTuple):  # a tuple: made for every key and value, so made fast
    line: int
    column: int


@dataclass
class SourceMap:
    """Where each key and value of a document stands, by its location path."""

    path: str
    start: Position
    keys: dict[Loc, Position] = field(default_factory=dict)
    values: dict[Loc, Position] = field(default_factory=dict)
    # Values kept as text that PyYAML's own SafeLoader reads as a date or time (unquoted
    # `2025-01-31`): MkDocs reads the front matter that way (mkdocs/sources.py).
    timestamps: set[Loc] = field(default_factory=set)

    def key(self, loc: Loc) -> Position:
        """The key of `loc` (for unknown fields); falls back to the nearest value."""
        return self.keys.get(tuple(loc)) or self.value(loc)

    def value(self, loc: Loc) -> Position:
        """The value at `loc`, or of its nearest ancestor that exists (for missing fields)."""
        loc = tuple(loc)
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), self.start)

    def error(self, loc: Loc, name: str, message: str, code: str, *, at_key: bool = False) -> ContentError:
        position = self.key(loc) if at_key else self.value(loc)
        return ContentError(self.path, position.line, position.column, name, message, code)


@dataclass
class YamlDocument:
    data: Any
    where: SourceMap


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark | None, message: str, code: str):
        self.mark = mark
        self.message = message
        self.code = code


class _Builder:
    def __init__(self, loader: _ContentLoader, where: SourceMap, first_line: int):
        self.loader = loader
        self.where = where
        self.first_line = first_line
        self.seen: set[int] = set()
        self.problems: list[ContentError] = []

    def position(self, mark: yaml.Mark) -> Position:
        return Position(mark.line + self.first_line, mark.column + 1)

    def problem(self, mark: yaml.Mark, name: str, message: str, code: str) -> None:
        position = self.position(mark)
        self.problems.append(
            ContentError(self.where.path, position.line, position.column, name, message, code)
        )

    def build(self, node: yaml.Node, loc: Loc, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise _Refused(node.start_mark, f"nested more than {MAX_DEPTH} levels deep", "yaml-depth")
        if id(node) in self.seen:
            # Aliases share nodes; refusing them also defuses "billion laughs" documents.
            raise _Refused(node.start_mark, "YAML aliases (*name) are not supported: write the value out",
                           "yaml-alias")
        self.seen.add(id(node))
        self.where.values[loc] = self.position(node.start_mark)

        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _SCALAR_TAGS:
                raise _Refused(node.start_mark, f"the tag {node.tag} is not allowed here: remove it", "yaml-tag")
            if node.tag == _STR_TAG:  # what the constructor would do, without its bookkeeping
                if not node.style and _TIMESTAMP.match(node.value):  # plain: None or ""
                    self.where.timestamps.add(loc)
                return node.value
            return self.loader.construct_object(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise _Refused(node.start_mark, f"the tag {node.tag} is not allowed here: remove it", "yaml-tag")
            return [self.build(item, loc + (index,), depth + 1) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                raise _Refused(node.start_mark, f"the tag {node.tag} is not allowed here: remove it", "yaml-tag")
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                    raise _Refused(key_node.start_mark, "a key must be plain text", "yaml-tag")
                key = key_node.value if key_node.tag == _STR_TAG else self.loader.construct_object(key_node)
                if isinstance(key, bool) or key is None:
                    key = key_node.value  # `yes:` or `null:` as a key means the word
                if key in mapping:
                    self.problem(
                        key_node.start_mark,
                        field_name(loc + (key,)),
                        f"duplicate key {key!r}: it is already set above; keep one",
                        "yaml-duplicate-key",
                    )
                    continue
                self.where.keys[loc + (key,)] = self.position(key_node.start_mark)
                mapping[key] = self.build(value_node, loc + (key,), depth + 1)
            return mapping
        raise _Refused(node.start_mark, "unsupported YAML node", "yaml-syntax")


def field_name(loc: Loc) -> str:
    """`('resources', 3, 'url')` -> `resources[3].url`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(document)"


def _check_shape(text: str) -> None:
    """Refuse deep nesting before composing: PyYAML's composer recurses once per level."""
    depth = 0
    for event in yaml.parse(text, Loader=_ContentLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(event.start_mark, f"nested more than {MAX_DEPTH} levels deep", "yaml-depth")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def load_yaml(text: str, path: str, *, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; raise ContentErrors naming `path` and the line.

    `first_line` is the file line the text starts on (2 for front matter after `---`).
    """
    where = SourceMap(path, Position(first_line, 1))
    if len(text) > MAX_YAML_CHARS:
        raise ContentErrors([
            ContentError(path, first_line, 1, "(file)",
                         f"too large: {len(text):,} characters, the limit is {MAX_YAML_CHARS:,}; split it",
                         "file-too-large")
        ])
    unprintable = _UNPRINTABLE.search(text)
    if unprintable:
        # PyYAML refuses these before parsing, with an offset instead of a line.
        before = text[: unprintable.start()]
        line = first_line + before.count("\n")
        column = unprintable.start() - (before.rfind("\n") + 1) + 1
        raise ContentErrors([ContentError(
            path, line, column, "(yaml)",
            f"the invisible character U+{ord(unprintable.group()):04X} is not allowed: delete it", "yaml-syntax")])
    loader = _ContentLoader(text)
    builder = _Builder(loader, where, first_line)
    try:
        _check_shape(text)
        root = loader.get_single_node()
        data = None if root is None else builder.build(root, ())
    except _Refused as refused:
        line, column = _position(text, refused.mark, first_line)
        raise ContentErrors(builder.problems + [
            ContentError(path, line, column, "(yaml)", refused.message, refused.code)
        ])
    except yaml.MarkedYAMLError as error:
        line, column = _position(text, error.problem_mark or error.context_mark, first_line)
        message = " ".join(part for part in (error.context, error.problem) if part)
        raise ContentErrors(builder.problems + [
            ContentError(path, line, column, "(yaml)", f"not valid YAML: {message}", "yaml-syntax")
        ])
    except yaml.YAMLError as error:
        raise ContentErrors([ContentError(path, first_line, 1, "(yaml)", f"not valid YAML: {error}", "yaml-syntax")])
    finally:
        loader.dispose()
    if builder.problems:
        raise ContentErrors(builder.problems)
    return YamlDocument(data, where)


def _position(text: str, mark: yaml.Mark | None, first_line: int) -> tuple[int, int]:
    """A mark's line and column in the file. PyYAML puts the end of a text that does not end
    in a newline on a line after the last: that is the end of the last line."""
    if mark is None:
        return first_line, 1
    lines = text.split("\n")
    if mark.line >= len(lines) or (mark.line == len(lines) - 1 and not lines[-1] and len(lines) > 1):
        last = len(lines) - 1 if lines[-1] or len(lines) == 1 else len(lines) - 2
        return first_line + last, len(lines[last]) + 1
    return mark.line + first_line, mark.column + 1
