"""The preview reloads the plain-Python pipeline before each rebuild (preview.PIPELINE):
every module of generator/ the plugin uses, each after the modules it imports."""

from __future__ import annotations

import ast
from pathlib import Path

from generator.mkdocs import preview

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
TOP_LEVEL = {path.stem for path in GENERATOR.glob("*.py")} - {"__main__", "__init__"}


def generator_imports(path: Path, level: int) -> set[str]:
    """The top-level generator modules `path` imports (`from .x import`, `from . import x`,
    seen from `level` folders down)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == level:
            found |= {node.module.split(".")[0]} if node.module else {alias.name for alias in node.names}
    return found & TOP_LEVEL


def test_the_preview_reloads_every_module_the_plugin_uses_after_those_it_imports():
    reloaded = [module.__name__.removeprefix("generator.") for module in preview.PIPELINE]
    used = set().union(*(generator_imports(path, 2) for path in (GENERATOR / "mkdocs").glob("*.py")))
    pending = list(used)
    while pending:
        for imported in generator_imports(GENERATOR / f"{pending.pop()}.py", 1) - used:
            used.add(imported)
            pending.append(imported)
    assert sorted(used - set(reloaded)) == []
    for position, name in enumerate(reloaded):
        assert generator_imports(GENERATOR / f"{name}.py", 1) <= set(reloaded[:position]), name
