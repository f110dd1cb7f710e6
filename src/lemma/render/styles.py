"""Styles of rich HTML under the CSP: `<style>` blocks and style attributes become a stylesheet.

pandas writes `<style scoped>` before a DataFrame and `style="text-align: right;"` on its header
row; a Styler writes its colours as a `<style>` block keyed by element ids. The pages' CSP allows
styles only from the site's own files, so these rules move into one stylesheet per page, written
into the cache under its content hash and linked from the page's head.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from lemma.model import Asset
from lemma.reuse.atomic import write_atomically

_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
# A style attribute inside a start tag (not text that happens to read style="...").
_STYLE_ATTRIBUTE = re.compile(
    r"""(<[A-Za-z][^<>]*?)\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')([^<>]*>)""", re.DOTALL
)
_CLASS_ATTRIBUTE = re.compile(r"""\sclass\s*=\s*(["'])(.*?)\1""", re.DOTALL)


@dataclass
class PageStyles:
    """The CSS lifted out of one page's rich HTML outputs."""

    cache_dir: Path
    assets: dict[str, Asset]
    rules: list[str] = field(default_factory=list)

    def lift(self, markup: str) -> str:
        """`markup` without `<style>` blocks or style attributes; their rules are kept here."""
        markup = _STYLE_BLOCK.sub(self._keep_block, markup)
        return _STYLE_ATTRIBUTE.sub(self._keep_attribute, markup)

    def _keep_block(self, match: re.Match[str]) -> str:
        css = match.group(1).strip()
        if css:
            self.rules.append(css)
        return ""

    def _keep_attribute(self, match: re.Match[str]) -> str:
        start, double, single, end = match.groups()
        declarations = html.unescape(double if double is not None else single).strip()
        if not declarations:
            return start + end
        name = "lemma-style-" + hashlib.sha256(declarations.encode()).hexdigest()[:10]
        rule = f".{name} {{ {declarations} }}"
        if rule not in self.rules:
            self.rules.append(rule)
        tag = start + end
        found = _CLASS_ATTRIBUTE.search(tag)
        if found is None:
            return f'{start} class="{name}"{end}'
        classes = f"{found.group(2)} {name}".strip()
        quote = found.group(1)
        return tag[: found.start()] + f" class={quote}{classes}{quote}" + tag[found.end() :]

    def stylesheet(self) -> str | None:
        """The output path of the page's stylesheet, written to the cache; None when empty."""
        if not self.rules:
            return None
        css = "\n".join(self.rules) + "\n"
        digest = hashlib.sha256(css.encode("utf-8")).hexdigest()[:16]
        path = self.cache_dir / "styles" / f"{digest}.css"
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, css)
        output_path = f"assets/css/{digest}.css"
        self.assets[output_path] = Asset(output_path, str(path))
        return output_path
