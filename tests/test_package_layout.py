"""generator/ is grouped by phase, and imports run one way (generator/__init__.py): each
package imports only itself and the packages before it in the order, as its `__init__`
docstring says on its `May import:` line. Imports are read from the source with `ast`
(tests/importkit.py), absolute and relative, at the top of a module or inside a function."""

from __future__ import annotations

import ast
import functools
import re
import tomllib
from pathlib import Path

from importkit import GENERATOR, generator_imports, module_name, modules

from sitekit import REPO

# The libraries only the adapter may import: MkDocs, its fork ProperDocs, and Material.
ADAPTER_ONLY = ("mkdocs", "material", "properdocs")


def docstring(package: str) -> str:
    path = GENERATOR.joinpath(*package.split(".")[1:], "__init__.py")
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""


@functools.cache
def packages() -> tuple[str, ...]:
    """The generator's packages, `generator.content` ..., as folders with an `__init__.py`."""
    return tuple(sorted(module_name(path) for path in GENERATOR.glob("*/__init__.py")))


def order() -> list[str]:
    """The packages in the order imports run, from generator/__init__.py's `Order:` line."""
    (line,) = re.findall(r"^Order: (.+)$", docstring("generator"), re.MULTILINE)
    return [f"generator.{name.strip()}" for name in line.split(",")]


def may_import(package: str) -> set[str]:
    """What `package` may import besides itself, from its docstring's `May import:` line."""
    (line,) = re.findall(r"^May import: (.+)\.$", docstring(package), re.MULTILINE)
    return set() if line == "nothing else of the generator" else {f"generator.{name.strip()}"
                                                                 for name in line.split(",")}


@functools.cache
def package_of(module: str) -> str:
    """`generator.site.pages` -> `generator.site`; `generator.__main__` -> `generator`."""
    package = ".".join(module.split(".")[:2])
    return package if package in packages() else "generator"


def wrong_way(path: Path, source: str | None = None) -> list[str]:
    """Each import of the module at `path` (holding `source`, if given) that its package
    may not make, as `module -> imported`."""
    module = module_name(path)
    package = package_of(module)
    if package == "generator":  # __init__ (imports nothing) and __main__ (runs the command line)
        return []
    allowed = may_import(package) | {package}
    return [f"{module} -> {imported}" for imported in sorted(generator_imports(path, source))
            if package_of(imported) not in allowed]


def test_the_top_of_generator_holds_only_the_packages_and_the_entry_point():
    assert sorted(path.name for path in GENERATOR.glob("*.py")) == ["__init__.py", "__main__.py"]
    assert sorted(path.name for path in GENERATOR.iterdir() if path.is_dir() and path.name != "__pycache__") == \
        sorted(package.removeprefix("generator.") for package in packages())


def test_the_order_names_every_package_once():
    assert sorted(order()) == list(packages())


def test_each_package_may_import_exactly_the_packages_before_it_in_the_order():
    for position, package in enumerate(order()):
        assert may_import(package) == set(order()[:position]), package


def test_every_import_runs_down_the_order():
    assert [problem for path in modules() for problem in wrong_way(path)] == []


def test_an_import_up_the_order_is_named():
    """The check above would fail: markdown/ importing the site's pipeline, or the command
    line, is named, at the top of the module or inside a function, relative or absolute."""
    settings = GENERATOR / "markdown" / "settings.py"
    for source in ("from ..site.pipeline import prepare\n",
                   "def f():\n    from ..site import pipeline\n",
                   "def f():\n    import generator.editors.cli\n",
                   "from .. import editors\n"):
        assert wrong_way(settings, source) != [], source
    assert wrong_way(settings, "from ..content.errors import ContentError\nfrom . import gfm\n") == []


def test_only_the_adapter_imports_mkdocs_or_material():
    importing = []
    for path in modules():
        if package_of(module_name(path)) == "generator.mkdocs":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            importing += [f"{path.relative_to(REPO)}: {name}" for name in names if name.split(".")[0] in ADAPTER_ONLY]
    assert importing == []


def test_the_distribution_lists_every_package():
    listed = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    assert sorted(listed) == sorted(["generator", *packages()])
