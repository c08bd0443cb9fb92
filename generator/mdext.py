"""A Python-Markdown extension that makes rendered links safe, as a second line of defence.

The policy (policy.py) rejects unsafe Markdown before a build; this extension makes sure
that whatever reaches the HTML has no script URL, and that a link opening a new tab
cannot reach back into ours (`rel="noopener noreferrer"`).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from .policy import is_unsafe_url


class _SafeLinks(Treeprocessor):
    def run(self, root: Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and is_unsafe_url(value):
                    del element.attrib[attribute]
            if element.tag == "a" and element.get("target") == "_blank":
                rel = set((element.get("rel") or "").split()) | {"noopener", "noreferrer"}
                element.set("rel", " ".join(sorted(rel)))


class SafeLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After attr_list (priority 8) has set attributes such as target.
        md.treeprocessors.register(_SafeLinks(md), "field_guide_safe_links", 1)
