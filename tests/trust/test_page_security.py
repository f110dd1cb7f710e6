"""Security of the pages and the dev server: escaping, paths, CSP, noopener, local serving."""

from __future__ import annotations

import re
import socket
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lemma.errors import LemmaError
from lemma.slugs import slugify, tag_slug
from lemma.write import safe_output_path

from .conftest import (
    TrustSite,
    assert_no_traceback,
    engine_available,
    needs_engine,
    post_text,
    snapshot,
    wait_until,
)

XSS = "<script>alert(1)</script>"
SAFE_SEGMENT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-?$")
WINDOWS_RESERVED = (
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


class PageScan(HTMLParser):
    """Collects what a CSP-safe page must not have, and its links and CSP meta tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers: list[str] = []
        self.inline_scripts: list[str] = []
        self.style_attributes: list[str] = []
        self.csp: list[str] = []
        self.links: list[dict[str, str]] = []
        self.scripts_with_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        self.handlers += [f"<{tag} {n}=...>" for n in values if re.fullmatch(r"on\w+", n)]
        self.style_attributes += [f"<{tag} style=...>" for n in values if n == "style"]
        for name in ("href", "src", "action"):
            if values.get(name, "").strip().lower().startswith("javascript:"):
                self.handlers.append(f"<{tag} {name}=javascript:...>")
        if tag == "script":
            self._in_script = True
            if "src" not in values:
                self.inline_scripts.append(str(values))
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.csp.append(values.get("content", ""))
        if tag == "a" and "href" in values:
            self.links.append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.scripts_with_text.append(data.strip()[:80])


def scan(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    parser.close()
    return parser


def html_pages(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*.html"))
        if "pagefind" not in p.relative_to(out).parts
    }


# Escaping --------------------------------------------------------------------------------------


def test_markup_in_front_matter_is_escaped_on_every_page_feed_and_sitemap(
    trust_site: Callable[..., TrustSite],
) -> None:
    # Proves: Jinja autoescape in every template, ElementTree escaping in the feed, tag URLs
    # from tag_slug. Turning autoescape off puts a live <script> into the pages.
    site = trust_site(
        {
            "posts/2025-01-01-xss.md": post_text(
                f'"{XSS}"',
                "Body text.\n",
                author=f'"{XSS}"',
                tags=f'["{XSS}", "ok"]',
                excerpt=f'"{XSS}"',
                extra_key=f'"{XSS}"',
            ),
            "site.toml": f'title = "{XSS}"\ndescription = "{XSS}"\nauthor = "{XSS}"\n'
            'base_url = "https://example.org/"\n',
        }
    )
    run = site.build()
    assert run.code == 0, str(run)
    files = {
        path: content.decode("utf-8")
        for path, content in snapshot(site.out).items()
        if path.endswith((".html", ".xml", ".txt")) and not path.startswith("pagefind/")
    }
    assert files
    for path, text in files.items():
        assert "<script>alert" not in text, f"unescaped markup in {path}"
    post_page = files["posts/xss/index.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in post_page
    assert post_page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # title, author, tag
    feed = files["feed.xml"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</title>" in feed
    assert 'term="&lt;script&gt;alert(1)&lt;/script&gt;"' in feed
    sitemap_urls = re.findall(r"<loc>([^<]*)</loc>", files["sitemap.xml"])
    assert sitemap_urls
    for url in sitemap_urls:
        assert re.fullmatch(r"https://example.org/[a-z0-9/-]*", url), url


@needs_engine
def test_snippet_text_outputs_are_escaped_and_repr_html_is_kept(
    trust_site: Callable[..., TrustSite],
) -> None:
    # Proves: stdout, stderr, values and tracebacks are escaped by partials/snippet.html; rich
    # HTML from _repr_html_ is the author's own output and is kept raw (as Jupyter does).
    body = (
        "```python\n"
        "import sys\n"
        f"print({XSS!r})\n"
        f"print({XSS!r}, file=sys.stderr)\n"
        "class Rich:\n"
        "    def _repr_html_(self):\n"
        "        return '<b class=\"author-rich\">kept</b>'\n"
        "display(Rich())\n"
        f"{XSS!r}\n"
        "```\n\n"
        "```python\n"
        "#| error: true\n"
        f"raise ValueError({XSS!r})\n"
        "```\n"
    )
    site = trust_site({"posts/2025-01-01-out.md": post_text("Outputs", body)})
    run = site.build()
    assert run.code == 0, str(run)
    page = (site.out / "posts/out/index.html").read_text()
    assert "<script>alert" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # stdout, stderr, value
    assert "ValueError" in page
    assert '<b class="author-rich">kept</b>' in page


# Paths -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "output_path",
    [
        "../escape.html",
        "a/../../escape.html",
        "/etc/passwd",
        "C:/Windows/evil.html",
        "C:evil.html",
        "..\\..\\evil.html",
        "tags\\..\\..\\evil.html",
    ],
)
def test_output_paths_that_leave_the_output_folder_are_refused(
    tmp_path: Path, output_path: str
) -> None:
    # Proves: write.safe_output_path is the one gate every page and asset goes through.
    with pytest.raises(LemmaError):
        safe_output_path(tmp_path / "_site", output_path)


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_a_safe_slug_and_tag_segment(text: str) -> None:
    # Proves: slugify/tag_slug only ever give one plain path segment, never a reserved name.
    for segment in (slugify(text), tag_slug(text)):
        if segment == "" and segment == slugify(text):
            continue  # load.py refuses a post whose slug is empty
        assert SAFE_SEGMENT.fullmatch(segment), (text, segment)
        assert segment.rstrip("-") not in WINDOWS_RESERVED or segment.endswith("-"), segment
        assert segment not in WINDOWS_RESERVED
    assert tag_slug(text)  # a tag always gets a URL


def test_tag_urls_are_distinct_and_stable() -> None:
    # Proves: a lossy slug gets a hash of the tag, fixed across runs and machines (sha256).
    assert tag_slug("C++") != tag_slug("C") != tag_slug("C#")
    assert tag_slug("a/b") == "a-b-c14cddc0"
    assert tag_slug("日本語") == tag_slug("日本語") and tag_slug("日本語").startswith("tag-")
    assert tag_slug("math") == "math"


def test_hostile_tags_and_file_names_write_only_inside_the_output_folder(
    trust_site: Callable[..., TrustSite], tmp_path: Path
) -> None:
    # Proves: tags, slugs and file names never become paths outside _site/ (tag_slug, slugify,
    # the slug pattern in load.py and safe_output_path together).
    tags = ["../../escape", "/abs/path", "C:\\evil", "con", "a/b", "日本語", "..", "nul.txt"]
    quoted = ", ".join('"' + t.replace("\\", "\\\\") + '"' for t in tags)
    site = trust_site(
        {
            "posts/con.md": post_text("Reserved file name", "Body.\n", tags=f"[{quoted}]"),
            "posts/C:drive.md": post_text("Drive letter", "Body.\n", tags="[x]"),
            "posts/aux.md": post_text("Another reserved", "Body.\n"),
            "site.toml": "search = false\n",
        }
    )
    before = {p for p in tmp_path.rglob("*")}
    run = site.build()
    assert run.code == 0, str(run)
    assert_no_traceback(run)
    created = {p for p in tmp_path.rglob("*")} - before
    outside = [
        p
        for p in created
        if not (
            p.is_relative_to(site.out)
            or p.is_relative_to(site.cache)
            or p.name.endswith((".stdout", ".stderr"))
        )
    ]
    assert outside == []
    written = snapshot(site.out)
    for path in written:
        for segment in path.split("/"):
            assert segment.split(".")[0].lower() not in WINDOWS_RESERVED, path
            assert ":" not in segment and "\\" not in segment, path
    tag_dirs = sorted(
        {p.split("/")[1] for p in written if p.startswith("tags/") and p.count("/") == 2}
    )
    assert len(tag_dirs) == len(tags) + 1  # every hostile tag got its own page, plus "x"
    assert all(SAFE_SEGMENT.fullmatch(d) for d in tag_dirs), tag_dirs
    assert {"posts/con-/index.html", "posts/aux-/index.html", "posts/c-drive/index.html"} <= set(
        written
    )


def test_a_slug_with_a_path_in_front_matter_is_an_error_with_its_line(
    trust_site: Callable[..., TrustSite],
) -> None:
    # Proves: the front matter slug pattern; without it "../../x" would be a folder name.
    site = trust_site({"posts/a.md": post_text("A", "Body.\n", slug="../../outside")})
    run = site.build()
    assert run.code == 1, str(run)
    assert re.search(r"^posts/a\.md:4: .*slug", run.stderr, re.MULTILINE), str(run)
    assert not (site.root.parent / "outside").exists()
    assert not site.out.exists()


# CSP, inline code and external links -----------------------------------------------------------

FEATURE_POST = """\
Intro with [an external link](https://example.org/page), [a protocol-relative one](//example.net/x),
[a local one](#section) and an image ![diagram](diagram.svg).

## Section

Inline math $e^{i\\pi} + 1 = 0$ and display math:

$$
\\sum_{k=1}^n k = \\frac{n(n+1)}{2}
$$

| a | b |
|---|---|
| 1 | 2 |

```text
not executed
```

> a quote with a footnote[^1]

[^1]: The footnote.
"""


# Snippet markup: outputs, an expected error, a figure, folded code (when the engine is there).
EXECUTED_POST = {
    "posts/2025-01-03-executed.md": post_text(
        "Executed",
        "```python\nimport matplotlib.pyplot as plt\nprint('out')\nplt.plot([0, 1])\nplt.show()\n"
        "{'a': 1}\n```\n\n```python\n#| error: true\n#| code-fold: true\n1 / 0\n```\n",
    )
}


def test_every_page_has_a_strict_csp_and_no_inline_code(
    trust_site: Callable[..., TrustSite],
) -> None:
    # Proves: base.html's CSP meta tag, and that the theme needs no inline script, inline style
    # or event handler (any of them would be blocked by that CSP, or would weaken it).
    site = trust_site(
        {
            "posts/2025-01-01-features.md": post_text("Features", FEATURE_POST, tags="[a, b]"),
            "posts/diagram.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>',
            "posts/2025-01-02-second.md": post_text("Second", "Short.\n", tags="[a]"),
            **(EXECUTED_POST if engine_available() else {}),
        }
    )
    run = site.build()
    assert run.code == 0, str(run)
    pages = html_pages(site.out)
    assert len(pages) >= 8
    assert "posts/executed/index.html" in pages or not engine_available()
    for path, html in pages.items():
        found = scan(html)
        assert len(found.csp) == 1, f"{path}: expected one CSP meta tag, found {found.csp}"
        policy = {
            part.split()[0]: part.split()[1:] for part in found.csp[0].split(";") if part.strip()
        }
        assert policy.get("default-src") == ["'self'"], (path, policy)
        assert policy.get("object-src") == ["'none'"], (path, policy)
        for directive in ("script-src", "style-src"):
            sources = policy.get(directive, policy["default-src"])
            assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, (
                path,
                policy,
            )
            assert "*" not in sources and "data:" not in sources, (path, policy)
        assert found.handlers == [], (path, found.handlers)
        assert found.inline_scripts == [] and found.scripts_with_text == [], path
        assert found.style_attributes == [], (path, found.style_attributes)
    for script in sorted(site.out.glob("assets/*.js")):
        source = script.read_text()
        assert not re.search(r"\beval\s*\(|\bnew\s+Function\s*\(", source), script.name
        assert not re.search(r"set(Timeout|Interval)\s*\(\s*['\"]", source), script.name


def test_external_links_carry_rel_noopener(trust_site: Callable[..., TrustSite]) -> None:
    # Proves: render/links.py adds rel="noopener" to external body links and the theme to its own
    # external links (repo_url in the footer, nav entries).
    site = trust_site(
        {
            "posts/2025-01-01-links.md": post_text(
                "Links",
                "[one](https://example.org/) [two](http://example.com/a) [three](//example.net/)\n",
            ),
            "site.toml": (
                'repo_url = "https://github.com/someone/blog"\nsearch = false\n'
                '[theme]\nnav = [{title = "Elsewhere", url = "https://elsewhere.example/"}]\n'
            ),
        }
    )
    run = site.build()
    assert run.code == 0, str(run)
    external = 0
    for path, html in html_pages(site.out).items():
        for link in scan(html).links:
            href = link["href"]
            parts = urlsplit(href)
            if parts.netloc and parts.netloc != "localhost:8000":
                external += 1
                assert "noopener" in link.get("rel", "").split(), f"{path}: {link}"
    assert external >= 5  # three in the post, the footer's Source and the nav entry


# The dev server --------------------------------------------------------------------------------


def _listen_addresses(port: int) -> list[str]:
    """Local addresses of sockets listening on `port`, from /proc/net/tcp{,6}."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.append(address)
    return found


def _request(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    """One raw HTTP/1.1 GET, sent byte for byte (no client-side path normalisation)."""
    host_header = host if host is not None else f"localhost:{port}"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(
            f"GET {path} HTTP/1.1\r\nHost: {host_header}\r\nConnection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


@pytest.fixture
def served(trust_site: Callable[..., TrustSite]) -> object:
    site = trust_site(
        {
            "posts/2025-01-01-a.md": post_text("A", "Body of A.\n"),
            "posts/data.csv": "secret,1\n",
            "site.toml": 'search = false\ntitle = "Served"\n',
        }
    )
    process = site.start("serve", "--port", "0")
    ready: list[int] = []

    def is_ready() -> bool:
        match = re.search(r"ready: http://localhost:(\d+)/", site.started_output())
        if match:
            ready.append(int(match.group(1)))
        return bool(match) or process.poll() is not None

    try:
        assert wait_until(is_ready, 60), "lemma serve did not print 'ready:'"
        assert ready, f"lemma serve exited:\n{site.started_output()}"
        yield ready[0], site
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.mark.timeout(120)
def test_dev_server_serves_nothing_outside_the_output(served: tuple[int, TrustSite]) -> None:
    # Proves: serve_http's path checks (and serving from the built site only, never the root).
    port, _site = served
    status, body = _request(port, "/")
    assert status == 200 and b"Served" in body
    secret = Path("/etc/passwd").read_bytes()[:20]
    for path in [
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/posts/..%5c..%5c..%5c..%5cetc/passwd",
        "//etc/passwd",
        "/%00/etc/passwd",
        "/site.toml",
        "/posts/2025-01-01-a.md",
        "/posts/data.csv",
        "/../site.toml",
        "/.lemma-cache/",
    ]:
        status, body = _request(port, path)
        assert status == 404, (path, status)
        assert secret not in body and b"secret,1" not in body, path


@pytest.mark.timeout(120)
def test_dev_server_binds_loopback_and_rejects_foreign_hosts(
    served: tuple[int, TrustSite],
) -> None:
    # Proves: the 127.0.0.1 default of --host, and the Host check against DNS rebinding.
    port, _ = served
    addresses = _listen_addresses(port)
    assert addresses, "no listening socket found in /proc/net/tcp"
    assert set(addresses) <= {"0100007F", "00000000000000000000000001000000"}, addresses
    assert _request(port, "/", host=f"localhost:{port}")[0] == 200
    assert _request(port, "/", host=f"127.0.0.1:{port}")[0] == 200
    for host in ("evil.example", f"evil.example:{port}", f"attacker.localhost.evil:{port}", ""):
        status, _ = _request(port, "/", host=host)
        assert status == 403, (host, status)
