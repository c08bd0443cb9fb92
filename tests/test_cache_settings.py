"""How the build cache names what the Markdown settings reference: by import path and the
version of the distribution that provides it (generator/mkdocs/cache.py)."""

from importlib.metadata import packages_distributions, version

import pytest

from generator.mkdocs import cache


@pytest.mark.parametrize("module", ["pymdownx.emoji", "material.extensions.emoji", "markdown.extensions.toc", "yaml"])
def test_a_module_is_named_by_the_version_of_what_installed_it(module):
    top = module.partition(".")[0]
    expected = " ".join(f"{name} {version(name)}" for name in sorted(packages_distributions()[top]))
    assert cache.reference(module, "f") == f"{module}:f {expected}"


def test_the_standard_library_is_named_by_python_and_the_generator_by_its_own_hash():
    assert cache.reference("json", "dumps").startswith("json:dumps python 3.")
    assert cache.reference("generator.markdown.gfm", "github_emoji") == "generator.markdown.gfm:github_emoji generator"
