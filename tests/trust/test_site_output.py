"""The output folder and the pages' policy: static/ files, files Lemma did not write, interrupted
and killed swaps, a server beside a build, and what the Content-Security-Policy lets in."""

from __future__ import annotations

import re
import signal
from collections.abc import Callable

import pytest

from serve_support import Server

from .conftest import TrustSite, assert_no_traceback, post_text, snapshot, wait_until

NO_SEARCH = "search = false\n"


def small_site(trust_site: Callable[..., TrustSite], **files: str) -> TrustSite:
    return trust_site({"posts/a.md": post_text("A", "Text.\n"), "site.toml": NO_SEARCH, **files})


# static/ and files Lemma did not write ------------------------------------------------------------


def test_static_files_are_published_as_they_are(trust_site: Callable[..., TrustSite]) -> None:
    site = small_site(
        trust_site,
        **{
            "static/CNAME": "blog.example.org\n",
            "static/.nojekyll": "",
            "static/downloads/data.csv": "x,y\n1,2\n",
        },
    )
    run = site.build()
    assert run.code == 0, str(run)
    assert (site.out / "CNAME").read_text() == "blog.example.org\n"
    assert (site.out / ".nojekyll").is_file()
    assert (site.out / "downloads" / "data.csv").read_text() == "x,y\n1,2\n"
    second = site.build()  # its own files are no obstacle to the next build
    assert second.code == 0, str(second)


def test_a_static_file_at_a_generated_path_is_an_error(
    trust_site: Callable[..., TrustSite],
) -> None:
    site = small_site(trust_site, **{"static/index.html": "<p>mine</p>"})
    run = site.build()
    assert run.code == 1, str(run)
    assert re.search(r"^static/index\.html: static file clashes", run.stderr, re.M), str(run)


@pytest.mark.parametrize("foreign", [".git/HEAD", "CNAME"])
def test_files_lemma_did_not_write_are_never_deleted(
    trust_site: Callable[..., TrustSite], foreign: str
) -> None:
    site = small_site(trust_site)
    assert site.build().code == 0
    site.write(f"_site/{foreign}", "the author's\n")
    before = snapshot(site.out)
    site.write("posts/a.md", post_text("A", "Edited.\n"))
    run = site.build()
    assert run.code == 1, str(run)
    assert_no_traceback(run)
    shown = foreign.split("/")[0] + ("/" if "/" in foreign else "")
    assert f"the output folder holds files Lemma did not write ({shown})" in run.stderr, str(run)
    assert "static/" in run.stderr
    assert snapshot(site.out) == before
    assert (site.out / foreign).read_text() == "the author's\n"


def test_a_git_folder_in_a_site_built_before_the_manifest_is_kept(
    trust_site: Callable[..., TrustSite],
) -> None:
    site = small_site(trust_site)
    assert site.build().code == 0
    (site.out / ".lemma-site").write_text(
        "This folder was built by Lemma and is replaced by each build.\n"
    )
    site.write("_site/.git/HEAD", "ref: refs/heads/gh-pages\n")
    run = site.build()
    assert run.code == 1, str(run)
    assert "(.git/)" in run.stderr, str(run)
    assert (site.out / ".git" / "HEAD").is_file()


# Interrupted and killed swaps ---------------------------------------------------------------------


def many_posts(count: int) -> dict[str, str]:
    return {
        f"posts/p{i}.md": post_text(f"P{i}", f"Post {i}.\n", tags=f"[t{i}]") for i in range(count)
    }


def old_site_exists(site: TrustSite) -> bool:
    return any(p.name.startswith("._site.old-") for p in site.root.iterdir())


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_after_the_swap_says_the_new_site_is_in_place(
    trust_site: Callable[..., TrustSite], signum: int
) -> None:
    # The old site is removed after the swap; a signal then must not claim "unchanged".
    site = trust_site({**many_posts(400), "site.toml": NO_SEARCH}, name="swap")
    assert site.build().code == 0
    caught = False
    for attempt in range(8):
        site.write("posts/p0.md", post_text("P0", f"Edit {attempt}.\n", tags="[t0]"))
        process = site.start("build")
        wait_until(
            lambda p=process: old_site_exists(site) or p.poll() is not None, 120, interval_s=0.001
        )
        if process.poll() is not None:
            continue
        process.send_signal(signum)
        code = process.wait(timeout=60)
        output = site.started_output()
        if code == 0:
            continue
        caught = True
        assert code == 130, output
        assert not re.search(r"^Traceback", output, re.M), output
        assert "previous site is unchanged" not in output, output
        assert "the new site was in place" in output, output
        assert f"Edit {attempt}." in (site.out / "posts" / "p0" / "index.html").read_text()
        break
    if not caught:
        pytest.skip("the old site's removal was too short to interrupt on this machine")
    run = site.build()
    assert run.code == 0, str(run)
    assert site.leftovers() == []


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_leftovers_of_a_killed_build_are_removed_by_the_next(
    trust_site: Callable[..., TrustSite],
) -> None:
    site = trust_site({**many_posts(300), "site.toml": NO_SEARCH}, name="killed")
    assert site.build().code == 0
    for attempt in range(8):
        site.write("posts/p0.md", post_text("P0", f"Edit {attempt}.\n", tags="[t0]"))
        process = site.start("build", "--no-cache")
        wait_until(
            lambda p=process: bool(site.leftovers()) or p.poll() is not None, 120, interval_s=0.001
        )
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        if site.leftovers():
            break
    else:
        pytest.skip("the build finished before it could be killed")
    assert any(name.startswith("._site.") for name in site.leftovers())
    run = site.build()
    assert run.code == 0, str(run)
    assert site.leftovers() == []


# A server beside a build ------------------------------------------------------------------------


@pytest.mark.timeout(120)
def test_serve_does_not_rebuild_for_a_build_beside_it(
    trust_site: Callable[..., TrustSite],
) -> None:
    site = small_site(trust_site)
    server = Server(site.root, env=site.env())
    try:
        builds = server.status()["builds"]
        run = site.build()
        assert run.code == 0, str(run)
        run = site.build("--no-cache")  # the second one swaps: ._site.new-* and ._site.old-*
        assert run.code == 0, str(run)
        server.edit("posts/a.md", post_text("A", "Edited.\n"))  # a real change, seen after
        assert server.status()["builds"] == builds + 1, server.output
        changed = re.findall(r"changed: (.*)", server.output)
        assert changed == ["posts/a.md"], server.output
    finally:
        server.close()


# The Content-Security-Policy ---------------------------------------------------------------------

EMBEDS = (
    "![chart](https://img.example.org/chart.png)\n\n"
    "![old](http://img.example.org/old.png)\n\n"
    '<iframe src="https://www.desmos.com/calculator/abc123" width="600"></iframe>\n\n'
    '<iframe src="https://www.geogebra.org/material/iframe/id/xyz"></iframe>\n'
)


def policy_of(html: str) -> dict[str, list[str]]:
    match = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert match, "no CSP meta tag"
    text = match.group(1).replace("&#39;", "'")
    return {p.split()[0]: p.split()[1:] for p in text.split(";") if p.strip()}


def test_the_csp_allows_https_images_and_warns_about_blocked_embeds(
    trust_site: Callable[..., TrustSite],
) -> None:
    site = small_site(trust_site, **{"posts/e.md": post_text("Embeds", EMBEDS)})
    run = site.build()
    assert run.code == 0, str(run)
    policy = policy_of((site.out / "posts" / "e" / "index.html").read_text())
    assert "https:" in policy["img-src"] and policy["script-src"] == ["'self'"]
    assert policy["frame-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert "chart.png" not in run.stderr  # an https image is allowed
    assert re.search(
        r"^posts/e\.md:8: warning: image http://img\.example\.org/old", run.stderr, re.M
    )
    assert re.search(
        r"^posts/e\.md:10: warning: <iframe> https://www\.desmos\.com/\S+ will be blocked.*"
        r'\[csp\] frame-src = \["https://www\.desmos\.com"\]',
        run.stderr,
        re.M,
    ), str(run)
    assert re.search(r"^posts/e\.md:12: warning: <iframe> https://www\.geogebra", run.stderr, re.M)


def test_site_toml_widens_the_csp_for_embeds_only_explicitly(
    trust_site: Callable[..., TrustSite],
) -> None:
    toml = NO_SEARCH + '\n[csp]\nframe-src = ["https://www.desmos.com", "https://*.geogebra.org"]\n'
    site = small_site(trust_site, **{"posts/e.md": post_text("Embeds", EMBEDS), "site.toml": toml})
    run = site.build()
    assert run.code == 0, str(run)
    policy = policy_of((site.out / "posts" / "e" / "index.html").read_text())
    assert policy["frame-src"] == ["'self'", "https://www.desmos.com", "https://*.geogebra.org"]
    assert policy["script-src"] == ["'self'"]
    assert "<iframe>" not in run.stderr, str(run)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('script-src = ["https://cdn.example.org"]', "script-src cannot be widened"),
        ("frame-src = [\"'unsafe-inline'\"]", "is not a source Lemma accepts"),
        ('frame-src = ["https://a.org; script-src *"]', "is not a source Lemma accepts"),
        ('frame-scr = ["https://a.org"]', "did you mean 'frame-src'?"),
    ],
)
def test_a_csp_that_would_let_scripts_in_is_refused(
    trust_site: Callable[..., TrustSite], table: str, message: str
) -> None:
    site = small_site(trust_site, **{"site.toml": f"{NO_SEARCH}\n[csp]\n{table}\n"})
    run = site.build()
    assert run.code == 1, str(run)
    assert_no_traceback(run)
    assert re.search(rf"^site\.toml:4: \[csp\] .*{re.escape(message)}", run.stderr, re.M), str(run)
