"""The preview reloads the plain-Python pipeline before each rebuild (preview.PIPELINE):
every module of generator/ the plugin uses, each after the modules it imports."""

from __future__ import annotations

from importkit import GENERATOR, generator_imports, is_package, path_of

from generator.mkdocs import preview

ADAPTER = "generator.mkdocs"


def pipeline_imports(path) -> set[str]:
    """The modules outside the adapter that `path` imports (packages left out: each
    `__init__` holds only its docstring)."""
    return {name for name in generator_imports(path)
            if name != ADAPTER and not name.startswith(f"{ADAPTER}.") and not is_package(name)}


def test_the_preview_reloads_every_module_the_plugin_uses_after_those_it_imports():
    reloaded = [module.__name__ for module in preview.PIPELINE]
    used = set().union(*(pipeline_imports(path) for path in (GENERATOR / "mkdocs").glob("*.py")))
    pending = list(used)
    while pending:
        for imported in pipeline_imports(path_of(pending.pop())) - used:
            used.add(imported)
            pending.append(imported)
    assert sorted(used - set(reloaded)) == []
    for position, name in enumerate(reloaded):
        assert pipeline_imports(path_of(name)) <= set(reloaded[:position]), name
