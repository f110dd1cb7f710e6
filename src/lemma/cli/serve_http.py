"""The dev server's HTTP side: the site in memory (ServeState), reload events, the error overlay."""

from __future__ import annotations

import json
import mimetypes
import posixpath
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import escape

from lemma.errors import Problem
from lemma.model import Page, Site
from lemma.write import kept_bytes

_LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
KEEPALIVE_S = 10.0

RELOAD_JS = b"""// Lemma live reload (serve mode only): reload when the site changes.
(function () {
  var source = new EventSource("/__lemma__/events");
  var seen = null;
  source.addEventListener("version", function (event) {
    if (seen !== null && event.data !== seen) { window.location.reload(); }
    seen = event.data;
    window.lemmaLiveReload = "connected";  // for tests and the curious
  });
})();
"""

OVERLAY_CSS = b"""#lemma-error-overlay { position: fixed; inset: 0; z-index: 2147483647;
  overflow: auto;
  background: rgba(20, 20, 24, 0.94); color: #f5f5f5; padding: 2rem;
  font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
#lemma-error-overlay h2 { color: #ff8a80; font-size: 1.1rem; margin: 0 0 1rem; }
#lemma-error-overlay .where { color: #80d8ff; }
#lemma-error-overlay pre { background: #000; padding: 1rem; overflow: auto; white-space: pre; }
"""


@dataclass
class ServeState:
    """The site being served; replaced as a whole by each rebuild (readers never see half)."""

    pages: dict[str, bytes] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    version: int = 0  # bumped when what a browser shows may have changed
    builds: int = 0
    executed_total: int = 0  # posts whose snippets ran (not from the cache), all builds
    last_build_ms: float = 0.0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(
        self,
        site: Site | None,
        problems: tuple[Problem, ...],
        executed: int,
        *,
        took_s: float,
        force_reload: bool = False,
    ) -> bool:
        """Swap in a build; returns whether browsers are told to reload."""
        with self.changed:
            pages, assets = self.pages, self.assets
            if site is not None:
                # serve's memos and pages live in memory; a page kept in a file is read, checked.
                pages = {
                    p.output_path: p.content if isinstance(p, Page) else kept_bytes(p)
                    for p in site.pages
                }
                assets = {a.output_path: a.source for a in site.assets}
                if problems:
                    # A page that failed to render keeps its last good version under the overlay.
                    pages = self.pages | pages
            reload = force_reload or pages != self.pages or problems != self.problems
            self.pages, self.assets, self.problems = pages, assets, problems
            self.builds += 1
            self.executed_total += executed
            self.last_build_ms = took_s * 1000
            if reload:
                self.version += 1
            self.changed.notify_all()
            return reload

    def wait_for_change(self, version: int, timeout_s: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != version, timeout=timeout_s)
            return self.version


def status_json(state: ServeState) -> bytes:
    """What tests and tools poll: build counters, so that they never need to sleep."""
    return json.dumps(
        {
            "version": state.version,
            "builds": state.builds,
            "executed_total": state.executed_total,
            "errors": len(state.problems),
            "last_build_ms": round(state.last_build_ms, 1),
        }
    ).encode()


def overlay_html(problems: Sequence[Problem]) -> bytes:
    """The error overlay: every error of the last build, with its code frame or traceback."""
    items = []
    for problem in problems:
        where = (
            f'<span class="where">{escape(str(problem.location))}</span>: '
            if problem.location
            else ""
        )
        hint = f" ({escape(problem.hint)})" if problem.hint else ""
        detail = f"<pre>{escape(problem.detail)}</pre>" if problem.detail else ""
        items.append(f"<li><p>{where}{escape(problem.message)}{hint}</p>{detail}</li>")
    count = len(problems)
    return (
        '<link rel="stylesheet" href="/__lemma__/overlay.css">'
        '<div id="lemma-error-overlay" role="alert"><h2>Lemma: '
        f"{count} error{'s' if count != 1 else ''} in the last build</h2>"
        f"<ol>{''.join(items)}</ol><p>Fix the file and save: this page reloads by itself.</p></div>"
    ).encode()


def make_handler(state: ServeState, bound_host: str) -> type[BaseHTTPRequestHandler]:
    allowed = _LOCAL_HOSTS | {bound_host}

    class Handler(BaseHTTPRequestHandler):
        server_version = "lemma-serve"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return  # keep the terminal for build messages

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            host = _host_name(self.headers.get("Host") or "")
            if bound_host in ("0.0.0.0", "::", ""):
                pass  # explicitly public: any Host is fine
            elif host not in allowed:
                # DNS rebinding: a page on another site must not read this server.
                self._send(HTTPStatus.FORBIDDEN, b"forbidden host\n", "text/plain")
                return
            path = unquote(urlsplit(self.path).path)
            if path == "/__lemma__/events" and self.command == "GET":
                self._events()
            elif path == "/__lemma__/reload.js":
                self._send(HTTPStatus.OK, RELOAD_JS, "text/javascript")
            elif path == "/__lemma__/overlay.css":
                self._send(HTTPStatus.OK, OVERLAY_CSS, "text/css")
            elif path == "/__lemma__/status":
                self._send(HTTPStatus.OK, status_json(state), "application/json")
            else:
                self._file(path)

        def _file(self, path: str) -> None:
            normal = posixpath.normpath(path)
            if ".." in normal.split("/") or "\\" in path or "\x00" in path:
                self._not_found()
                return
            relative = normal.lstrip("/")
            if relative in ("", "."):
                relative = "index.html"
            pages, assets = state.pages, state.assets  # one build's view for the whole request
            for candidate in (relative, f"{relative}/index.html"):
                if candidate in pages:
                    self._page(HTTPStatus.OK, candidate, pages[candidate])
                    return
                if candidate in assets:
                    source = Path(assets[candidate])
                    if source.is_file():
                        self._send(HTTPStatus.OK, source.read_bytes(), _mime(candidate))
                        return
            if state.problems and not pages:
                empty = b"<!doctype html><title>Build failed</title><body></body>"
                self._page(HTTPStatus.OK, "index.html", empty)
                return
            self._not_found()

        def _page(self, status: HTTPStatus, name: str, content: bytes) -> None:
            problems = state.problems
            if name.endswith(".html") and problems:
                marker = b"</body>"
                at = content.rfind(marker)
                overlay = overlay_html(problems)
                content = content[:at] + overlay + content[at:] if at >= 0 else content + overlay
            self._send(status, content, _mime(name))

        def _not_found(self) -> None:
            page = state.pages.get("404.html", b"<!doctype html><title>Not found</title>")
            self._page(HTTPStatus.NOT_FOUND, "404.html", page)

        def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            version = state.version
            try:
                self.wfile.write(f"event: version\ndata: {version}\n\n".encode())
                self.wfile.flush()
                while True:
                    new = state.wait_for_change(version, KEEPALIVE_S)
                    if new == version:
                        self.wfile.write(b": keepalive\n\n")
                    else:
                        version = new
                        self.wfile.write(f"event: version\ndata: {version}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def _host_name(header: str) -> str:
    """The host of a Host header, without its port: "localhost:8000" and "[::1]:8000" alike."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1]
    return header.rsplit(":", 1)[0]


def _mime(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
        kind += "; charset=utf-8"
    return kind
