"""`lemma serve`: a real server process, real edits on disk, real HTTP and server-sent events."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from serve_support import DEADLINE_S, Server, alive, descendants, wait_until
from site_support import SiteDir, lemma_env, post

pytestmark = pytest.mark.timeout(120)

PROSE = post("Prose post", "2025-01-10", "PROSE-ONE paragraph.\n", tags="[notes]")
CODE = post(
    "Code post",
    "2025-01-20",
    'Some prose.\n\n```python\nprint("OUT-" + str(6 * 7))\n```\n',
)
OTHER_CODE = post("Other code", "2025-01-15", '```python\nprint("OTHER-" + str(1 + 1))\n```\n')
DRAFT = post("Draft post", "2025-01-25", "DRAFT-TEXT here.\n", draft="true")
CUSTOM = post("Custom post", "2025-01-05", "Custom body.\n", template="custom.html")
CUSTOM_TEMPLATE = (
    '{% extends "base.html" %}\n{% block content %}\n<p>TEMPLATE-V1</p>\n'
    "{{ post.content_html }}\n{% endblock %}\n"
)
FILES: dict[str, str] = {
    "site.toml": 'title = "Served blog"\nsearch = false\n',
    "posts/2025-01-10-prose.md": PROSE,
    "posts/2025-01-20-code.md": CODE,
    "posts/2025-01-15-other.md": OTHER_CODE,
    "posts/2025-01-25-draft.md": DRAFT,
    "posts/2025-01-05-custom.md": CUSTOM,
    "templates/custom.html": CUSTOM_TEMPLATE,
}


@pytest.fixture
def site(make_site: Callable[..., SiteDir]) -> SiteDir:
    return make_site(FILES, name="served")


@pytest.fixture
def server(site: SiteDir) -> Iterator[Server]:
    running = Server(site.root)
    try:
        yield running
    finally:
        running.close()


def test_serves_the_site_with_drafts_marked_and_the_reload_script(server: Server) -> None:
    index = server.page("/")
    assert "Served blog" in index and "Prose post" in index
    assert "Draft post" in index and "badge-draft" in index
    post_page = server.page("/posts/prose/")
    assert "PROSE-ONE" in post_page and "/__lemma__/reload.js" in post_page
    # serve knows its own address: canonical links point at it, and no base_url warning
    canonical = f'<link rel="canonical" href="http://localhost:{server.port}/posts/prose/">'
    assert canonical in post_page
    assert "base_url" not in server.output
    assert "OUT-42" in server.page("/posts/code/")
    assert "EventSource" in server.page("/__lemma__/reload.js")
    status = server.status()
    assert status["errors"] == 0 and status["builds"] == 1 and status["executed_total"] == 2


def test_no_drafts_hides_drafts_as_a_build_does(site: SiteDir) -> None:
    server = Server(site.root, "--no-drafts")
    try:
        assert "Draft post" not in server.page("/")
        assert server.get("/posts/draft/")[0] == 404
    finally:
        server.close()


def test_prose_edit_changes_the_page_without_executing(server: Server) -> None:
    executed = server.status()["executed_total"]
    server.edit("posts/2025-01-10-prose.md", PROSE.replace("PROSE-ONE", "PROSE-TWO"))
    assert "PROSE-TWO" in server.page("/posts/prose/")
    server.edit("posts/2025-01-20-code.md", CODE.replace("Some prose.", "Edited prose."))
    page = server.page("/posts/code/")
    assert "Edited prose." in page and "OUT-42" in page
    assert server.status()["executed_total"] == executed
    assert "0 executed" in "".join(server.stderr)


def test_snippet_edit_executes_only_that_post(server: Server) -> None:
    executed = server.status()["executed_total"]
    server.edit("posts/2025-01-20-code.md", CODE.replace("6 * 7", "6 * 8"))
    assert "OUT-48" in server.page("/posts/code/")
    assert "OTHER-2" in server.page("/posts/other/")
    assert server.status()["executed_total"] == executed + 1


def test_template_edit_rerenders_without_executing(server: Server) -> None:
    executed = server.status()["executed_total"]
    assert "TEMPLATE-V1" in server.page("/posts/custom/")
    server.edit("templates/custom.html", CUSTOM_TEMPLATE.replace("V1", "V2"))
    assert "TEMPLATE-V2" in server.page("/posts/custom/")
    assert server.status()["executed_total"] == executed


def test_failing_snippet_shows_the_overlay_and_fixing_it_recovers(server: Server) -> None:
    server.edit("posts/2025-01-20-code.md", CODE.replace("6 * 7", "6 / 0"))
    page = server.page("/posts/code/")
    assert 'id="lemma-error-overlay"' in page
    assert "posts/2025-01-20-code.md:9" in page  # the snippet's line in the .md file
    assert "ZeroDivisionError" in page
    assert "6 / 0" in page  # the code frame
    assert 'id="lemma-error-overlay"' in server.page("/")  # every page shows it
    assert server.status()["errors"] == 1
    assert "posts/2025-01-20-code.md:9: ZeroDivisionError" in "".join(server.stderr)
    server.edit("posts/2025-01-20-code.md", CODE)
    page = server.page("/posts/code/")
    assert "lemma-error-overlay" not in page and "OUT-42" in page
    assert server.status()["errors"] == 0


def test_front_matter_error_shows_the_overlay_and_the_server_survives(server: Server) -> None:
    server.edit("posts/2025-01-10-prose.md", PROSE.replace("date: 2025-01-10\n", "date: [x]\n"))
    page = server.page("/posts/prose/")  # the last good page, under the overlay
    assert 'id="lemma-error-overlay"' in page
    assert "posts/2025-01-10-prose.md:3" in page and "is not a date" in page
    server.edit("posts/2025-01-10-prose.md", PROSE.replace("PROSE-ONE", "PROSE-FIXED"))
    page = server.page("/posts/prose/")
    assert "lemma-error-overlay" not in page and "PROSE-FIXED" in page
    assert server.process.poll() is None


def test_template_error_shows_the_overlay_with_the_template_line(server: Server) -> None:
    server.edit("templates/custom.html", CUSTOM_TEMPLATE.replace("TEMPLATE-V1", "{{ nope.x }}"))
    page = server.page("/posts/custom/")
    assert 'id="lemma-error-overlay"' in page and "templates/custom.html:3" in page
    server.edit("templates/custom.html", CUSTOM_TEMPLATE)
    assert "lemma-error-overlay" not in server.page("/posts/custom/")


def test_config_error_shows_the_overlay_and_fixing_it_recovers(server: Server) -> None:
    server.edit("site.toml", 'title = "Served blog"\nsearch = false\ntitel = "typo"\n')
    page = server.page("/")
    assert 'id="lemma-error-overlay"' in page and "site.toml:3" in page and "title" in page
    server.edit("site.toml", 'title = "Renamed blog"\nsearch = false\n')
    page = server.page("/")
    assert "lemma-error-overlay" not in page and "Renamed blog" in page


def test_a_burst_of_saves_triggers_one_rebuild(server: Server) -> None:
    builds = server.status()["builds"]
    path = server.root / "posts/2025-01-10-prose.md"
    for number in range(5):  # an editor writing the file several times in a row
        path.write_text(PROSE.replace("PROSE-ONE", f"BURST-{number}"), encoding="utf-8")
    wait_until(lambda: server.status()["builds"] > builds, "the rebuild after the burst")
    # A later, separate save: had the burst caused a second rebuild, it would come before this one.
    server.edit("posts/2025-01-25-draft.md", DRAFT.replace("DRAFT-TEXT", "SENTINEL"))
    assert server.status()["builds"] == builds + 2
    assert "BURST-4" in server.page("/posts/prose/")


def test_the_reload_event_reaches_a_connected_client(server: Server) -> None:
    events: list[str] = []
    connected = threading.Event()

    def listen() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=DEADLINE_S)
        conn.putrequest("GET", "/__lemma__/events", skip_host=True)
        conn.putheader("Host", f"localhost:{server.port}")
        conn.endheaders()
        response = conn.getresponse()
        assert response.getheader("Content-Type") == "text/event-stream"
        try:
            while len(events) < 2:
                line = response.fp.readline().decode()
                if line.startswith("data: "):
                    events.append(line[6:].strip())
                    connected.set()
        finally:
            conn.close()

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    wait_until(connected.is_set, "the first event")
    server.edit("posts/2025-01-10-prose.md", PROSE.replace("PROSE-ONE", "PROSE-EVENT"))
    thread.join(DEADLINE_S)
    assert len(events) == 2, events
    assert int(events[1]) > int(events[0])


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "kill"])
def test_ctrl_c_or_kill_stops_cleanly_and_leaves_no_process(server: Server, signum: int) -> None:
    children = descendants(server.process.pid)
    assert children, "the execution engine's helper processes should be running"
    assert server.interrupt(signum) == 0, server.output
    wait_until(lambda: not alive(children), "the server's child processes to exit")
    assert "stopped" in "".join(server.stderr)
    assert "Traceback" not in server.output


def test_ctrl_c_while_a_snippet_runs_leaves_no_process(server: Server) -> None:
    baseline = descendants(server.process.pid)
    slow = CODE.replace('print("OUT-"', 'import time\ntime.sleep(60)\nprint("OUT-"')
    (server.root / "posts/2025-01-20-code.md").write_text(slow, encoding="utf-8")

    def started() -> bool:
        return bool(descendants(server.process.pid) - baseline)

    wait_until(started, "the post's process to start")
    children = descendants(server.process.pid)
    assert server.interrupt() == 0, server.output
    wait_until(lambda: not alive(children), "every child process to exit")


def test_only_local_hosts_are_served(server: Server) -> None:
    assert server.get("/", host=f"127.0.0.1:{server.port}")[0] == 200
    assert server.get("/", host="evil.com")[0] == 403
    assert server.get("/", host=f"evil.com:{server.port}")[0] == 403


def test_paths_outside_the_site_are_not_found(server: Server) -> None:
    for path in ("/../site.toml", "/%2e%2e/%2e%2e/etc/passwd", "/posts/2025-01-10-prose.md"):
        status, body = server.get(path)
        assert status == 404, path
        assert "PROSE-ONE" not in body and "root:" not in body


def test_a_real_build_has_no_live_reload(site: SiteDir) -> None:
    result = site.build()
    assert result.code == 0, str(result)
    leaks = [
        path.relative_to(site.out).as_posix()
        for path in site.out.rglob("*")
        if path.is_file() and b"__lemma__" in path.read_bytes()
    ]
    assert leaks == []


def test_ctrl_c_during_the_first_build_stops_it(
    make_site: Callable[..., SiteDir], tmp_path: Path
) -> None:
    # Before the site is served: the HTTP server's loop has not started, and waiting for it to
    # stop waited forever.
    started = tmp_path / "started"
    code = f"open({str(started)!r}, 'w').close()\nimport time\ntime.sleep(60)"
    site = make_site({"posts/slow.md": post("Slow", "2025-01-05", f"```python\n{code}\n```\n")})
    process = subprocess.Popen(
        [sys.executable, "-m", "lemma", "serve", "--root", str(site.root), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=lemma_env(None),
        start_new_session=True,  # its own process group, as a shell gives a foreground job
    )
    try:
        wait_until(started.exists, "the first build's snippet to start")
        children = descendants(process.pid)
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(timeout=DEADLINE_S) == 0
        wait_until(lambda: not alive(children), "every child process to exit")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=DEADLINE_S)
    _, stderr = process.communicate(timeout=DEADLINE_S)
    assert "stopped" in stderr and "Traceback" not in stderr
