"""The pages' Content-Security-Policy: the strict default, what site.toml's [csp] adds, and
which of a post's images and embeds a browser would block."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Directives a site may widen, each with what it allows by default. Scripts are not among them:
# the theme needs no other script, and a page's only defence against injected markup is that
# no script but the site's own runs.
DEFAULTS: Mapping[str, tuple[str, ...]] = {
    "img-src": ("'self'", "data:", "https:"),
    "media-src": ("'self'",),
    "frame-src": ("'self'",),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "style-src": ("'self'",),
}
WIDENABLE = tuple(DEFAULTS)
# A source as CSP writes one: a scheme ("https:"), a host with an optional scheme, port and path
# (wildcard subdomains allowed), or 'self'. Nothing that could end the directive or the header.
_SOURCE = re.compile(
    r"^(?:'self'|[a-z][a-z0-9+.-]*:|"
    r"(?:[a-z][a-z0-9+.-]*://)?(?:\*\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::\d{1,5})?"
    r"(?:/[^\s;,']*)?)$"
)
# Elements that load something, and the directive that decides it.
_LOADS = {
    "img": "img-src",
    "iframe": "frame-src",
    "frame": "frame-src",
    "video": "media-src",
    "audio": "media-src",
    "source": "media-src",  # also <picture>'s images; media-src is the stricter reading
    "track": "media-src",
    "embed": "object-src",
    "object": "object-src",
    "script": "script-src",
}


def is_source(text: str) -> bool:
    return bool(_SOURCE.match(text))


@dataclass(frozen=True, slots=True)
class ContentPolicy:
    """The sources each widenable directive allows, and whether the search needs WebAssembly."""

    sources: Mapping[str, tuple[str, ...]]
    search: bool = False

    @classmethod
    def for_site(cls, extra: Mapping[str, Sequence[str]], search: bool) -> ContentPolicy:
        sources = {
            name: tuple(dict.fromkeys((*default, *extra.get(name, ()))))
            for name, default in DEFAULTS.items()
        }
        return cls(sources, search)

    def header(self) -> str:
        """The policy as the pages' <meta http-equiv> carries it."""
        script = "'self' 'wasm-unsafe-eval'" if self.search else "'self'"
        parts = ["default-src 'self'"]
        parts += [f"{name} {' '.join(values)}" for name, values in self.sources.items()]
        parts += [
            f"script-src {script}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
        return "; ".join(parts)

    def blocks(self, directive: str, url: str) -> bool:
        """Whether a browser would refuse to load `url` (as written in a post) for `directive`."""
        if directive == "object-src":
            return True
        if directive == "script-src":
            return not url or _is_external(url)  # inline scripts and other origins' scripts
        if not _is_external(url):
            return False
        return not any(_matches(source, url) for source in self.sources.get(directive, ()))


def blocked_in_html(html: str, policy: ContentPolicy) -> list[tuple[str, str, str]]:
    """(element, url, directive) of each thing in a post's raw HTML the policy would block."""
    finder = _LoadFinder()
    finder.feed(html)
    finder.close()
    return [
        (tag, url, directive)
        for tag, url in finder.found
        if policy.blocks(directive := _LOADS[tag], url)
    ]


class _LoadFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _LOADS:
            return
        values = dict(attrs)
        url = values.get("src") or values.get("data") or ""
        if url or tag in ("script", "embed", "object"):
            self.found.append((tag, url.strip()))


def _is_external(url: str) -> bool:
    """A URL of another origin (relative and site-absolute URLs are the site's own)."""
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", url))


def _matches(source: str, url: str) -> bool:
    parts = urlsplit(url if not url.startswith("//") else "https:" + url)
    if source == "'self'":
        return False  # only relative URLs are the site's own; its host is not known here
    if source.endswith(":") and "/" not in source:
        return parts.scheme == source[:-1].lower()
    wanted = urlsplit(source if "://" in source else f"{parts.scheme or 'https'}://{source}")
    if wanted.scheme and wanted.scheme != parts.scheme:
        return False
    host, pattern = (parts.hostname or ""), (wanted.hostname or "")
    host_ok = host.endswith(pattern[1:]) if pattern.startswith("*.") else host == pattern
    return (
        host_ok
        and _port(wanted.port, wanted.scheme) == _port(parts.port, parts.scheme)
        and parts.path.startswith(wanted.path or "/")
    )


def _port(port: int | None, scheme: str) -> int | None:
    return port or {"http": 80, "https": 443}.get(scheme)
