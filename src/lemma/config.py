"""Site configuration: `SiteConfig` from the optional `site.toml` at the root."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lemma.csp import WIDENABLE, is_source
from lemma.errors import ConfigError, did_you_mean
from lemma.model import FreezeMode, SourceLocation, freeze_mode
from lemma.wording import toml_wording

CONFIG_FILE = "site.toml"
LOCK_FILE = "build.lock"  # in the cache folder: one `lemma build` per site at a time
SEARCH_PART_PAGES = 500  # pages per part of the search index, on average (write/search_parts)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    root: Path
    output_dir: Path
    title: str = "A Lemma blog"
    description: str = "Executable notes on mathematics and machine learning."
    author: str = ""
    # Where the site is published; "" when site.toml does not say (`lemma serve` sets its own).
    base_url: str = ""
    language: str = "en"
    posts_per_page: int = 10
    timezone: str = "UTC"
    repo_url: str = ""  # enables "Open in Colab" links for notebooks
    jobs: int = 0  # parallel posts; 0 means the number of CPUs
    memory_limit_mb: int = 0  # per post's child process; 0 means a quarter of the machine
    cache_limit_mb: int = 500  # the execution cache's size bound (reuse/prune.py)
    figure_svg_limit_kb: int = 1024  # an SVG figure heavier than this is written as PNG; 0: never
    search: bool = True  # build a Pagefind index when pagefind is installed
    search_part_pages: int = SEARCH_PART_PAGES  # pages per part of the search index
    execute: Mapping[str, Any] = field(default_factory=dict)  # site-wide snippet option defaults
    freeze: FreezeMode = "off"  # posts use the results committed in _freeze/ (freeze/)
    cache_url: str = ""  # shared execution cache, an fsspec URL (reuse/shared.py)
    cache_options: Mapping[str, Any] = field(default_factory=dict)  # fsspec storage options
    in_ci: bool = False  # CI=true: a stale frozen post is an error, never a re-run
    theme: Mapping[str, Any] = field(default_factory=dict)  # free-form settings for templates
    macros: Mapping[str, Any] = field(default_factory=dict)  # TeX macros for every post's math
    csp: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # sources added to the CSP
    bibliography: str = ""  # every post's bibliography file, relative to the root
    citation_style: str = "author-year"  # or "numeric"; a post's `citation-style:` wins
    include_drafts: bool = False
    strict: bool = False
    use_cache: bool = True
    refresh_cache: bool = False  # execute every post even on a hit; store the new runs
    keep_going: bool = False
    shard: tuple[int, int] | None = None  # `--shard K/N`: execute only share K of N (shard.py)
    no_execute: bool = False  # `--no-execute`: every run must come from a cache or _freeze/
    serve_mode: bool = False  # a `lemma serve` build: inject the live-reload script

    @property
    def has_base_url(self) -> bool:
        """Whether the site's address is known: canonical and Open Graph links, the sitemap and
        the feed's ids need it; without it they are left out or relative."""
        return bool(self.base_url)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with "/"."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".lemma-cache"

    @property
    def posts_dir(self) -> Path:
        return self.root / "posts"

    def absolute_url(self, path: str) -> str:
        """The absolute URL of `path`, a path relative to the site's base (site-absolute, "/x/",
        when base_url is not set: never an address the site will not have)."""
        if not self.has_base_url:
            return self.url(path)
        base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        return base + path.lstrip("/")

    def url(self, path: str) -> str:
        """The site-absolute URL of `path` (relative to the site's base), e.g. "/blog/tags/"."""
        return self.base_path + path.lstrip("/")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


_FILE_KEYS = (
    "title",
    "description",
    "author",
    "base_url",
    "language",
    "posts_per_page",
    "timezone",
    "repo_url",
    "jobs",
    "memory_limit_mb",
    "cache_limit_mb",
    "figure_svg_limit_kb",
    "search",
    "search_part_pages",
    "execute",
    "theme",
    "macros",
    "csp",
    "bibliography",
    "citation_style",
    "freeze",
    "cache_url",
    "cache_options",
)


def output_settings(config: SiteConfig) -> SiteConfig:
    """`config` with the settings that never change what a build writes set to their defaults.

    How many posts run at once (`jobs`), whether warnings fail the build (`strict`, applied to
    the problems after every memo and page is made) and whether a failed post stops the others
    (`keep_going`) change how a build runs, not what it writes: a warm build after `--jobs 1`
    keeps the memos of a build with `--jobs 2`, and a build with nothing changed is skipped
    whatever these flags (`reuse/last_build.py` checks `--strict` against the warnings it
    recorded). `--quiet` is not in the configuration at all; site.toml is in the memo's stamp by
    its text, so its `jobs` key still counts there.
    """
    return replace(config, jobs=0, strict=False, keep_going=False)


def load_config(root: Path, output_dir: Path | None = None, **overrides: Any) -> SiteConfig:
    """Read ROOT/site.toml (optional) and apply command-line overrides."""
    root = root.resolve()
    path = root / CONFIG_FILE
    values: dict[str, Any] = {}
    if path.is_file():
        values = _read_config_file(path)
    config = SiteConfig(root=root, output_dir=(output_dir or root / "_site").resolve(), **values)
    config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
    return config


# Other tools' names of site.toml's settings (Jekyll, Hugo, Pelican, Quarto, MkDocs), as a
# migrating author writes them first.
_OTHER_TOOLS_KEYS = {
    "baseurl": "base_url",
    "url": "base_url",
    "site_url": "base_url",
    "site-url": "base_url",
    "siteurl": "base_url",
    "lang": "language",
    "languagecode": "language",
    "default_lang": "language",
    "locale": "language",
    "site_name": "title",
    "sitename": "title",
    "name": "title",
    "site_description": "description",
    "sitesubtitle": "description",
    "subtitle": "description",
    "site_author": "author",
    "paginate": "posts_per_page",
    "default_pagination": "posts_per_page",
    "paginate_by": "posts_per_page",
}


def _unknown_key_hint(key: str) -> str:
    """Lemma's name for another tool's key (`baseURL`: base_url), a close key, or them all."""
    folded = key.lower()
    ours = folded if folded in _FILE_KEYS else _OTHER_TOOLS_KEYS.get(folded)
    if ours is not None:
        return f"Lemma's name for it is '{ours}'"
    return did_you_mean(key, _FILE_KEYS) or f"known keys: {', '.join(_FILE_KEYS)}"


def _read_config_file(path: Path) -> dict[str, Any]:
    where = SourceLocation(CONFIG_FILE)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError("is not UTF-8 text", where, hint="save it as UTF-8") from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        said = toml_wording(exc)
        raise ConfigError(
            f"invalid TOML: {said.message}",
            where.at_line(said.line, said.column),
            hint=said.hint,
            detail=said.detail,
        ) from exc
    values: dict[str, Any] = {}
    types = {f.name: f.type for f in fields(SiteConfig)}
    for key, value in raw.items():
        location = where.at_line(_key_line(text, key))
        if key not in _FILE_KEYS:
            raise ConfigError(f"unknown key '{key}'", location, hint=_unknown_key_hint(key))
        if key == "freeze":
            values[key] = _freeze_mode(value, location)
            continue
        values[key] = _check_type(key, value, str(types[key]), location)
    if "timezone" in values:
        try:
            ZoneInfo(values["timezone"])
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"unknown timezone '{values['timezone']}'",
                where.at_line(_key_line(text, "timezone")),
                hint="use an IANA name such as 'Europe/Paris' or 'UTC'",
            ) from exc
    if "base_url" in values and not re.match(r"https?://[^/]+", values["base_url"]):
        raise ConfigError(
            f"base_url '{values['base_url']}' is not an absolute http(s) URL",
            where.at_line(_key_line(text, "base_url")),
            hint="write it as https://example.org/ or https://example.org/blog/",
        )
    for name, value in values.get("macros", {}).items():
        _check_macro(name, value, where.at_line(_key_line(text, name)))
    if values.get("citation_style", "author-year") not in ("author-year", "numeric"):
        raise ConfigError(
            f"unknown citation_style '{values['citation_style']}'",
            where.at_line(_key_line(text, "citation_style")),
            hint="use author-year or numeric",
        )
    if "theme" in values and not (path.parent / "templates" / "base.html").is_file():
        _check_theme_nav(values["theme"].get("nav"), where.at_line(_key_line(text, "nav")))
    if "csp" in values:
        table_line = _key_line(text, "csp")
        values["csp"] = _check_csp(
            values["csp"], lambda name: where.at_line(_key_line(text, name) or table_line)
        )
    if values.get("figure_svg_limit_kb", 0) < 0:
        raise ConfigError(
            "figure_svg_limit_kb must be 0 (no limit) or more",
            where.at_line(_key_line(text, "figure_svg_limit_kb")),
            hint="e.g. figure_svg_limit_kb = 1024 writes SVG figures over 1 MB as PNG",
        )
    if values.get("search_part_pages", 1) < 1:
        raise ConfigError(
            "search_part_pages must be at least 1",
            where.at_line(_key_line(text, "search_part_pages")),
            hint="e.g. search_part_pages = 500: the index in parts of about 500 pages",
        )
    if values.get("posts_per_page", 1) < 1:
        raise ConfigError(
            "posts_per_page must be at least 1", where.at_line(_key_line(text, "posts_per_page"))
        )
    return values


def _check_macro(name: str, value: Any, location: SourceLocation) -> None:
    if not is_macro(name, value):
        raise ConfigError(
            f"macro '{name}': write it as {name.lstrip(chr(92))} = '\\\\mathbb{{R}}' "
            f"or {name.lstrip(chr(92))} = ['{{#1}}^\\\\top', 1]",
            location,
        )


def is_macro(name: str, value: Any) -> bool:
    """A macro is `name = "body"` or `name = ["body with #1", 1]`, or MathJax's
    `name = ["body with #1 #2", 2, "default of #1"]` (its `tex: macros:` have these shapes);
    the name may keep its backslash, as MyST's `math:` writes it."""
    shape_ok = isinstance(value, str) or (
        isinstance(value, list)
        and len(value) in (2, 3)
        and isinstance(value[0], str)
        and isinstance(value[1], int)
        and 0 <= value[1] <= 9
        and (len(value) == 2 or (isinstance(value[2], str) and value[1] >= 1))
    )
    return shape_ok and re.fullmatch(r"\\?[A-Za-z]+", name) is not None


def _check_csp(
    table: Mapping[str, Any], at: Callable[[str], SourceLocation]
) -> dict[str, tuple[str, ...]]:
    example = 'frame-src = ["https://www.youtube-nocookie.com"]'
    checked: dict[str, tuple[str, ...]] = {}
    for name, sources in table.items():
        location = at(name)
        if name == "script-src":
            raise ConfigError(
                "[csp] script-src cannot be widened: only the site's own scripts run on its pages",
                location,
                hint="embed other sites' tools in an iframe and allow them with frame-src",
            )
        if name not in WIDENABLE:
            hint = did_you_mean(name, WIDENABLE) or f"known directives: {', '.join(WIDENABLE)}"
            raise ConfigError(f"[csp] unknown directive '{name}'", location, hint=hint)
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise ConfigError(f"[csp] '{name}' must be a list of sources", location, hint=example)
        for source in sources:
            if not is_source(source):
                raise ConfigError(
                    f"[csp] {name}: {source!r} is not a source Lemma accepts",
                    location,
                    hint="write a scheme (https:) or a host such as https://www.desmos.com;"
                    " keywords like 'unsafe-inline' are refused",
                )
        checked[name] = tuple(sources)
    return checked


def _freeze_mode(value: Any, location: SourceLocation) -> FreezeMode:
    mode = freeze_mode(value)
    if mode is not None:
        return mode
    raise ConfigError(
        f"'freeze' must be true, false or \"auto\", not {value!r}",
        location,
        hint='freeze = "auto" uses the results in _freeze/ while the code is unchanged',
    )


def _check_theme_nav(nav: Any, location: SourceLocation) -> None:
    """The one [theme] key the packaged theme reads: checked here, so that a mistake is shown
    at its line in site.toml rather than as an error inside the packaged base.html."""
    if nav is None:
        return
    example = 'nav = [{ title = "About", url = "about/" }]'
    if not isinstance(nav, list):
        raise ConfigError("[theme] 'nav' must be a list of links", location, hint=example)
    for item in nav:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("title"), str)
            and isinstance(item.get("url"), str)
        ):
            raise ConfigError(
                "[theme] each 'nav' link needs a text 'title' and a text 'url'",
                location,
                hint=example,
            )


def _check_type(key: str, value: Any, type_name: str, location: SourceLocation) -> Any:
    expected: type | tuple[type, ...]
    if "Mapping" in type_name:
        expected, label = dict, "a table"
    elif type_name == "bool":
        expected, label = bool, "true or false"
    elif type_name == "int":
        expected, label = int, "a whole number"
    else:
        expected, label = str, "a string"
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ConfigError(f"'{key}' must be {label}, not {value!r}", location)
    return value


def _key_line(text: str, key: str) -> int:
    # [ \t]*, not \s*: \s would match across blank lines and report the line before the key.
    pattern = re.compile(
        rf"^[ \t]*(\[[ \t]*)?[\"']?{re.escape(key)}[\"']?[ \t]*(=|\])", re.MULTILINE
    )
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def build_now() -> datetime:
    """ "Now" for deciding which posts are published: SOURCE_DATE_EPOCH when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise ConfigError(
                f"SOURCE_DATE_EPOCH={epoch.strip()} is not a date Lemma can use ({exc})",
                hint="set it to seconds since 1970, e.g. $(git log -1 --format=%ct), or unset it",
            ) from exc
    return datetime.now(UTC)
