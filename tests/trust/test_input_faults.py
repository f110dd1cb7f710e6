"""Bad input: a clear message at the author's line, never a traceback, and bounded work."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from .conftest import Run, TrustSite, assert_no_traceback, needs_engine, post_text

NO_SEARCH = "search = false\n"
GOOD = post_text("Good", "A good post.\n")


def site_with(trust_site: Callable[..., TrustSite], **posts: str) -> TrustSite:
    files = {f"posts/{name}.md": text for name, text in posts.items()}
    return trust_site({"posts/good.md": GOOD, "site.toml": NO_SEARCH, **files})


def said(run: Run, pattern: str) -> str:
    """The line of the run's output matching `pattern` (a regex); fails with the output."""
    match = re.search(pattern, run.output, re.MULTILINE)
    assert match, f"no line matching {pattern!r} in\n{run}"
    return match.group(0)


# Files and folders in posts/ ----------------------------------------------------------------------


def test_an_editor_lock_link_in_posts_is_ignored(trust_site: Callable[..., TrustSite]) -> None:
    # Emacs marks a file being edited with a dangling symlink `.#name.md`.
    site = site_with(trust_site)
    (site.root / "posts" / ".#good.md").symlink_to("user@host.4242:1700000000")
    run = site.build()
    assert run.code == 0, str(run)
    assert_no_traceback(run)
    assert (site.out / "posts" / "good" / "index.html").is_file()


def test_a_folder_named_like_a_post_is_a_warning_and_the_rest_builds(
    trust_site: Callable[..., TrustSite],
) -> None:
    site = site_with(trust_site)
    (site.root / "posts" / "x.md").mkdir()
    run = site.build()
    assert run.code == 0, str(run)
    assert_no_traceback(run)
    said(run, r"^posts/x\.md: warning: is a folder, not a post")
    assert (site.out / "posts" / "good" / "index.html").is_file()


# Command line and environment ---------------------------------------------------------------------


def test_serve_with_a_port_out_of_range_is_a_usage_error(
    trust_site: Callable[..., TrustSite],
) -> None:
    run = site_with(trust_site).lemma("serve", "--port", "99999", timeout_s=60)
    assert run.code == 2, str(run)
    assert_no_traceback(run)
    said(run, r"--port: '99999' is not a port number \(0 to 65535\)")


def test_serve_with_an_unknown_host_does_not_blame_the_port(
    trust_site: Callable[..., TrustSite],
) -> None:
    run = site_with(trust_site).lemma("serve", "--host", "no-such-host.invalid", timeout_s=60)
    assert run.code == 1, str(run)
    assert_no_traceback(run)
    line = said(run, r"^cannot listen on no-such-host\.invalid:8000.*$")
    assert "--port" not in line and "--host" in line


def test_new_with_a_300_character_title_makes_a_short_file_name(
    trust_site: Callable[..., TrustSite],
) -> None:
    site = site_with(trust_site)
    title = " ".join(["convergence"] * 25)  # 299 characters
    run = site.lemma("new", title)
    assert run.code == 0, str(run)
    assert_no_traceback(run)
    made = [p for p in (site.root / "posts").iterdir() if p.name != "good.md"]
    assert len(made) == 1 and len(made[0].name) < 100, made
    assert site.build().code == 0
    page = (site.out / "posts" / made[0].stem[len("2026-01-01-") :] / "index.html").read_text()
    assert f"<h1>{title}</h1>" in page or f">{title}<" in page


def test_a_source_date_epoch_out_of_range_is_a_clear_error(
    trust_site: Callable[..., TrustSite],
) -> None:
    site = site_with(trust_site)
    run = site.build(env={"SOURCE_DATE_EPOCH": "99999999999999"})
    assert run.code == 1, str(run)
    assert_no_traceback(run)
    said(run, r"SOURCE_DATE_EPOCH=99999999999999 is not a date Lemma can use")


def test_build_outside_a_blog_leaves_nothing_behind(
    trust_site: Callable[..., TrustSite],
) -> None:
    site = trust_site({"notes.txt": "not a blog"})
    run = site.build()
    assert run.code == 1, str(run)
    said(run, r"no posts/ folder")
    assert sorted(p.name for p in site.root.iterdir()) == ["notes.txt"]


# A damaged cache ----------------------------------------------------------------------------------


@needs_engine
@pytest.mark.parametrize("damage", [".lemma-cache", ".lemma-cache/figures"])
def test_a_file_in_place_of_the_cache_folder_is_a_clear_error(
    trust_site: Callable[..., TrustSite], damage: str
) -> None:
    figure = "```python\nimport matplotlib.pyplot as plt\nplt.plot([0, 1])\nplt.show()\n```\n"
    site = site_with(trust_site, plot=post_text("Plot", figure))
    site.write(damage, "not a folder")
    run = site.build()
    assert run.code == 1, str(run)
    assert_no_traceback(run)
    said(run, rf"^{re.escape(damage)}: the cache is damaged: .* is a file, not a folder")
    assert (site.root / damage).read_text() == "not a folder"  # reported, not deleted


# Snippet options ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "nan", "1e300"])
def test_an_endless_timeout_is_a_clear_error_at_its_line(
    trust_site: Callable[..., TrustSite], value: str
) -> None:
    body = f"Intro.\n\n```python\n#| timeout: {value}\nprint(1)\n```\n"
    run = site_with(trust_site, slow=post_text("Slow", body)).build()
    assert run.code == 1, str(run)
    assert_no_traceback(run)
    said(run, rf"^posts/slow\.md:9: option 'timeout' takes a number of seconds .*'{value}'")


@pytest.mark.parametrize(
    ("execute", "line"),
    [("execute: {timout: 5}", 5), ("execute:\n  fig-format: svg\n  timout: 5", 7)],
    ids=["flow", "block"],
)
def test_a_misspelt_execute_option_is_reported_at_its_own_line(
    trust_site: Callable[..., TrustSite], execute: str, line: int
) -> None:
    text = f"---\ntitle: T\ndate: 2025-01-15\ntags: [a]\n{execute}\n---\n\nBody.\n"
    run = site_with(trust_site, opts=text).build()
    assert run.code == 1, str(run)
    said(
        run,
        rf"^posts/opts\.md:{line}: unknown snippet option 'timout' \(did you mean 'timeout'\?\)",
    )


# Front matter -------------------------------------------------------------------------------------


def test_front_matter_nested_500_deep_is_a_clear_error(
    trust_site: Callable[..., TrustSite],
) -> None:
    deep = "data: " + "[" * 500 + "]" * 500
    text = f"---\ntitle: Deep\ndate: 2025-01-15\n{deep}\n---\n\nBody.\n"
    site = site_with(trust_site, deep=text)
    run = site.build()
    assert run.code == 1, str(run)
    assert_no_traceback(run)
    said(run, r"^posts/deep\.md:4:\d+: front matter: values nested more than \d+ levels deep")


def test_a_yaml_alias_bomb_is_refused_quickly(trust_site: Callable[..., TrustSite]) -> None:
    # Nine levels of nine aliases: 9**9 (387 million) strings from 466 bytes, or one more line
    # for 3.5 billion. The count is bounded before anything is expanded.
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    text = "---\ntitle: Bomb\ndate: 2025-01-15\n" + "\n".join(lines) + "\n---\n\nBody.\n"
    site = site_with(trust_site, bomb=text)
    run = site.build(timeout_s=60)
    assert run.code == 1, str(run)
    assert_no_traceback(run)
    said(run, r"^posts/bomb\.md:\d+: front matter: aliases \('\*name'\) expand to more than")


def test_a_long_string_behind_many_aliases_is_refused(
    trust_site: Callable[..., TrustSite],
) -> None:
    # Few values, but every page's context would hold 5,000 copies of 100 kB: 500 MB to render.
    long = "x" * 100_000
    refs = ", ".join(["*s"] * 5000)
    text = f"---\ntitle: Heavy\ndate: 2025-01-15\ns: &s {long}\nmany: [{refs}]\n---\n\nBody.\n"
    run = site_with(trust_site, heavy=text).build(timeout_s=60)
    assert run.code == 1, str(run)
    assert_no_traceback(run)
    said(run, r"^posts/heavy\.md:5: front matter: aliases \('\*name'\) expand to more than its own")


def test_yaml_1_1_booleans_and_numbers_stay_as_typed(
    trust_site: Callable[..., TrustSite],
) -> None:
    text = "---\ntitle: yes\ndate: 2025-01-15\ntags: [NO, on, 1.10, 0x1F, 12:30]\n---\n\nBody.\n"
    site = site_with(trust_site, typed=text)
    run = site.build()
    assert run.code == 0, str(run)
    page = (site.out / "posts" / "typed" / "index.html").read_text()
    assert "<title>yes" in page and "True" not in page
    shown = re.findall(r'rel="tag">([^<]*)<', page)
    assert shown[:5] == ["NO", "on", "1.10", "0x1F", "12:30"], shown


def test_control_characters_never_make_the_feed_invalid(
    trust_site: Callable[..., TrustSite],
) -> None:
    text = '---\ntitle: "Red \\e[31malert\\0"\ndate: 2025-01-15\n---\n\nBody.\n'
    site = site_with(trust_site, ctl=text)
    run = site.build()
    assert run.code == 0, str(run)
    ET.parse(site.out / "feed.xml")  # raises on invalid XML
    page = (site.out / "posts" / "ctl" / "index.html").read_text()
    assert "<title>Red [31malert —" in page


@needs_engine
def test_control_characters_in_output_are_shown_as_a_terminal_would(
    trust_site: Callable[..., TrustSite],
) -> None:
    code = (
        "```python\nimport sys\nprint('\\x1b[31mred\\x1b[0m and\\x00 nul')\n"
        "for i in range(0, 101, 25):\n    sys.stdout.write(f'\\rprogress {i}%')\nprint()\n"
        "for mark in '|/-':\n    sys.stdout.write(mark + '\\b')\nprint('loaded 10%\\b\\b\\b99%')\n"
        "class Html:\n    def _repr_html_(self):\n        return '<b>bold\\x1b[1m\\x00</b>'\n"
        "Html()\n```\n"
    )
    site = site_with(trust_site, out=post_text("Out", code))
    run = site.build()
    assert run.code == 0, str(run)
    ET.parse(site.out / "feed.xml")
    page = (site.out / "posts" / "out" / "index.html").read_text()
    assert "red and nul\nprogress 100%\nloaded 99%\n" in page, page  # \b: one back, as typed
    assert "\x1b" not in page.split('class="lemma-outputs"')[1].split("<b>")[0]


# Work that grows with the input -------------------------------------------------------------------


def test_a_thousand_tags_on_one_post_are_capped_with_a_warning(
    trust_site: Callable[..., TrustSite],
) -> None:
    tags = ", ".join(f"tag{i}" for i in range(1000))
    site = site_with(trust_site, many=post_text("Many", "Body.\n", tags=f"[{tags}]"))
    run = site.build()
    assert run.code == 0, str(run)
    said(run, r"^posts/many\.md:4: warning: front matter: 1000 tags; only the first \d+ are kept")
    tag_pages = list((site.out / "tags").glob("*/index.html"))
    assert 1 <= len(tag_pages) <= 50, len(tag_pages)
    size = sum(p.stat().st_size for p in site.out.rglob("*") if p.is_file())
    assert size < 3_000_000, size  # was 83 MB


# Messages that name the right thing ---------------------------------------------------------------


@pytest.mark.parametrize(
    "nav", ['"home"', "[1, 2]", '[{ title = "About" }]', '[{ title = "About", url = 5 }]']
)
def test_a_bad_theme_value_is_blamed_on_site_toml(
    trust_site: Callable[..., TrustSite], nav: str
) -> None:
    site = site_with(trust_site)
    site.write("site.toml", f'{NO_SEARCH}title = "T"\n\n[theme]\nnav = {nav}\n')
    run = site.build()
    assert run.code == 1, str(run)
    said(run, r"^site\.toml:5: \[theme\] .*'nav'")
    assert "base.html" not in run.output


def test_a_link_to_a_draft_or_future_post_says_so(trust_site: Callable[..., TrustSite]) -> None:
    site = site_with(
        trust_site,
        wip=post_text("Work in progress", "Soon.\n", draft="true"),
        later=post_text("Later", "Later.\n", date="2030-01-01"),
        links=post_text("Links", "See [wip](wip.md), then [later](later.md).\n"),
    )
    run = site.build()
    assert run.code == 1, str(run)
    said(run, r"^posts/links\.md:6: broken link: 'wip\.md' is a draft")
    said(run, r"^posts/links\.md:6: broken link: 'later\.md' is a future post \(dated 2030-01-01\)")
    assert "does not exist" not in run.output and "no post" not in run.output
    assert site.build("--drafts").code == 0
