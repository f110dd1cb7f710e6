"""Another blog tool's site where Lemma's is expected: which folder holds the posts, and which
settings its configuration file has that site.toml would take.

A blog moving to Lemma is first built where it lies: Jekyll's `_posts/`, Hugo's
`content/posts/`, Pelican's `content/`, MkDocs' `docs/blog/posts/`. With no `posts/` folder, the
build's error names the folder to copy. With no site.toml, a note gives the site.toml lines for
the title, address, description, author, language and time zone the old configuration sets (and
Jupyter Book's bibliography and MathJax macros).
Configuration files are read as data and never run: `pelicanconf.py` is only searched for
`NAME = "text"` lines, and YAML tags such as MkDocs' `!!python/name:` are ignored.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from lemma.config import CONFIG_FILE, is_macro
from lemma.errors import Problem
from lemma.load.validation import LANGUAGE_CODE
from lemma.model import SourceLocation


@dataclass(frozen=True, slots=True)
class _Layout:
    tool: str
    posts: str  # the folder of its posts, relative to the root
    marker: str = ""  # a file that must be there too (Pelican's content/ is a common name)


_LAYOUTS = (
    _Layout("Jekyll", "_posts"),
    _Layout("Hugo", "content/posts"),
    _Layout("Hugo", "content/post"),
    _Layout("Hugo", "content/blog"),
    _Layout("MkDocs", "docs/blog/posts"),
    _Layout("Pelican", "content", "pelicanconf.py"),
)


def posts_elsewhere(root: Path) -> str | None:
    """How to fix a missing posts/ folder when another tool's posts are there, or None."""
    for layout in _LAYOUTS:
        marked = not layout.marker or (root / layout.marker).is_file()
        if marked and (root / layout.posts).is_dir():
            also = ""
            if layout.tool == "Jekyll" and (root / "_drafts").is_dir():
                also = " and _drafts/ to posts/_drafts/"
            elif layout.tool == "Pelican" and (root / "content" / "pages").is_dir():
                also = " without content/pages/ (Lemma has no stand-alone pages)"
            return (
                f"this looks like a {layout.tool} blog: copy {layout.posts}/ to posts/{also}, "
                "then run lemma build --keep-going"
            )
    return None


def settings_note(root: Path) -> Problem | None:
    """When there is no site.toml: a note with the site.toml lines another tool's
    configuration file gives (title, base_url, ...), or None when there is none to read."""
    if (root / CONFIG_FILE).is_file():
        return None
    for name, tool, read in _CONFIG_FILES:
        path = root / name
        if not path.is_file():
            continue
        try:
            raw = read(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError, tomllib.TOMLDecodeError):
            continue  # not ours to judge: a note only helps, it never fails a build
        settings = _checked(raw)
        if settings:
            lines = "\n".join(f"{k} = {_toml_string(v)}" for k, v in settings.items())
            lines += _more_files(raw.get("bibliographies")) + _macros_table(raw.get("macros"))
            return Problem(
                f"no {CONFIG_FILE}: {tool}'s settings in {name} are not read",
                SourceLocation(name),
                hint=f"write these lines into {CONFIG_FILE} to keep them",
                detail=lines,
                is_warning=True,
                is_note=True,
            )
    return None


def _toml_string(text: str) -> str:
    # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _jekyll(text: str) -> dict[str, Any]:
    raw = _yaml(text)
    url = str(raw.get("url") or "").rstrip("/") + str(raw.get("baseurl") or "")
    return {
        "title": raw.get("title"),
        "description": raw.get("description"),
        "author": _name(raw.get("author")),
        "base_url": url,
        "language": raw.get("lang"),
        "timezone": raw.get("timezone"),
        "bibliography": _scholar_bibliography(raw),
    }


def _scholar_bibliography(raw: Mapping[str, Any]) -> str | None:
    """jekyll-scholar's file (al-folio's `_bibliography/papers.bib`), from the site's root."""
    if not isinstance(raw.get("scholar"), dict):
        return None
    scholar = raw["scholar"]
    folder = str(scholar.get("source") or "_bibliography").strip("/").removeprefix("./")
    name = str(scholar.get("bibliography") or "references.bib")
    name = name if name.endswith(".bib") else f"{name}.bib"
    return f"{folder}/{name}" if folder and folder != "." else name


# Keys only Jupyter Book's _config.yml has (Jekyll's has none of them).
_JUPYTER_BOOK_KEYS = ("bibtex_bibfiles", "sphinx", "execute", "parse", "launch_buttons")


def _jupyter_book(text: str) -> dict[str, Any]:
    """Jupyter Book's `_config.yml`: its title, author and address, its `bibtex_bibfiles` as the
    site's bibliography, and MathJax's macros (`sphinx: config: mathjax3_config: tex: macros`)."""
    raw = _yaml(text)
    if not any(key in raw for key in _JUPYTER_BOOK_KEYS):
        return {}  # a Jekyll site's
    config = _table(_table(raw, "sphinx"), "config")
    files = raw.get("bibtex_bibfiles")
    files = [str(f) for f in files] if isinstance(files, list) else [files] if files else []
    macros = _table(_table(_table(config, "mathjax3_config"), "tex"), "macros")
    return {
        "title": raw.get("title"),
        "description": raw.get("description"),
        "author": _name(raw.get("author")),
        "base_url": _table(raw, "html").get("baseurl"),
        "language": config.get("language"),
        "bibliography": files[0] if files else None,
        "bibliographies": files[1:],
        "macros": {name.lstrip("\\"): value for name, value in macros.items()},
    }


def _more_files(files: Any) -> str:
    """site.toml names one bibliography: the others of a list, as a comment to act on."""
    if not files:
        return ""
    return f"\n# and {', '.join(files)}: put their entries into the first file"


def _macros_table(macros: Any) -> str:
    """MathJax's macros as site.toml's `[macros]` table (the same shapes, see config.is_macro)."""
    if not isinstance(macros, dict):
        return ""
    lines = [
        f"{name} = {json.dumps(value, ensure_ascii=False)}"
        for name, value in macros.items()
        if is_macro(name, value)
    ]
    return "\n[macros]\n" + "\n".join(lines) if lines else ""


def _hugo_toml(text: str) -> dict[str, Any]:
    return _hugo(tomllib.loads(text))


def _hugo_yaml(text: str) -> dict[str, Any]:
    return _hugo(_yaml(text))


def _hugo(raw: Mapping[str, Any]) -> dict[str, Any]:
    params = _table(raw, "params")
    return {
        "title": raw.get("title"),
        "description": params.get("description"),
        "author": _name(params.get("author") or raw.get("author")),
        "base_url": raw.get("baseURL") or raw.get("baseurl"),
        "language": raw.get("languageCode"),
        "timezone": raw.get("timeZone"),
    }


_PELICAN_SETTING = re.compile(r"""^([A-Z_]+)\s*=\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*(?:#.*)?$""", re.M)


def _pelican(text: str) -> dict[str, Any]:
    raw = {m[1]: m[2] if m[2] is not None else m[3] for m in _PELICAN_SETTING.finditer(text)}
    return {
        "title": raw.get("SITENAME"),
        "description": raw.get("SITESUBTITLE"),
        "author": raw.get("AUTHOR"),
        "base_url": raw.get("SITEURL"),
        "language": raw.get("DEFAULT_LANG"),
        "timezone": raw.get("TIMEZONE"),
    }


def _quarto(text: str) -> dict[str, Any]:
    raw = _yaml(text)
    website = _table(raw, "website")
    return {
        "title": website.get("title"),
        "description": website.get("description"),
        "base_url": website.get("site-url"),
        "language": raw.get("lang"),
    }


def _mkdocs(text: str) -> dict[str, Any]:
    raw = _yaml(text)
    return {
        "title": raw.get("site_name"),
        "description": raw.get("site_description"),
        "author": raw.get("site_author"),
        "base_url": raw.get("site_url"),
    }


_CONFIG_FILES: tuple[tuple[str, str, Callable[[str], dict[str, Any]]], ...] = (
    ("_config.yml", "Jupyter Book", _jupyter_book),
    ("_config.yml", "Jekyll", _jekyll),
    ("hugo.toml", "Hugo", _hugo_toml),
    ("hugo.yaml", "Hugo", _hugo_yaml),
    ("config.toml", "Hugo", _hugo_toml),
    ("config.yaml", "Hugo", _hugo_yaml),
    ("pelicanconf.py", "Pelican", _pelican),
    ("_quarto.yml", "Quarto", _quarto),
    ("mkdocs.yml", "MkDocs", _mkdocs),
)


class _DataLoader(yaml.SafeLoader):
    """A safe loader that reads an unknown tag's node as nothing (`!!python/name:x` in
    mkdocs.yml, `!ENV` ...): configuration files are data here."""


_DataLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_DataLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _yaml(text: str) -> dict[str, Any]:
    raw = yaml.load(text, Loader=_DataLoader)  # a safe loader: unknown tags are None
    return raw if isinstance(raw, dict) else {}


def _table(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = raw.get(key)
    return value if isinstance(value, dict) else {}


def _name(value: Any) -> Any:
    """`author: Ada` or `author: {name: Ada, email: ...}`."""
    return value.get("name") if isinstance(value, dict) else value


def _checked(settings: Mapping[str, Any]) -> dict[str, str]:
    """The settings site.toml would accept, in its own spelling; the rest left out."""
    kept = {k: str(v).strip() for k, v in settings.items() if isinstance(v, str | int | float)}
    kept = {k: v for k, v in kept.items() if v}
    if "base_url" in kept:
        url = kept.pop("base_url")
        if re.match(r"^https?://[^/\s]+", url):
            kept["base_url"] = url.rstrip("/") + "/"
    if "language" in kept:
        language = kept.pop("language").replace("_", "-")
        if LANGUAGE_CODE.match(language):
            kept["language"] = language
    if "timezone" in kept:
        try:
            ZoneInfo(kept["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            del kept["timezone"]
    order = ("title", "description", "author", "base_url", "language", "timezone", "bibliography")
    return {key: kept[key] for key in order if key in kept}
