"""What each module of generator/ imports of the generator, read from its source with `ast`
(never by importing it): every `import` and `from ... import`, absolute or relative, at the
top of the module or inside a function."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"


def modules() -> Iterator[Path]:
    """Every Python file of the generator, packages' `__init__.py` included."""
    yield from sorted(GENERATOR.rglob("*.py"))


def module_name(path: Path) -> str:
    """`generator/site/pages.py` -> `generator.site.pages`; a package's `__init__.py` -> the package."""
    parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def path_of(name: str) -> Path | None:
    """The file of module `name` (`generator.site.pages`), a package's `__init__.py`; None
    if the generator has no such module."""
    path = GENERATOR.parent.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def is_module(name: str) -> bool:
    return path_of(name) is not None


def is_package(name: str) -> bool:
    path = path_of(name)
    return path is not None and path.name == "__init__.py"


def generator_imports(path: Path, source: str | None = None) -> set[str]:
    """The generator modules `path` imports (or would, holding `source`), by full name:
    `from ..content import facts` and `from ..content.facts import rows` both give
    `generator.content.facts`."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8") if source is None else source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "generator"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                imported = ".".join(base + ([node.module] if node.module else []))
            else:
                imported = node.module or ""
            if imported.split(".")[0] != "generator":
                continue
            for alias in node.names:
                name = f"{imported}.{alias.name}"
                found.add(name if is_module(name) else imported)
    return found
