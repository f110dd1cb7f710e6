"""pymdownx.emoji's shortcodes in a post's text (`parse.emoji`) and Material's icons, which Lemma
does not ship (`render.icons`)."""

from __future__ import annotations

from pathlib import Path

from lemma.parse import markdown
from site_support import NO_SEARCH, SiteDir, assert_ok, post, warning_line


def html(text: str) -> str:
    return markdown().render(text)


def test_a_shortcode_is_its_emoji_aliases_and_touching_codes_too() -> None:
    assert html("Fun :smile:!") == "<p>Fun 😄!</p>\n"
    assert html(":+1: and :thumbsup:") == "<p>👍 and 👍</p>\n"
    assert html(":smile::rocket:") == "<p>😄🚀</p>\n"
    assert html(":smile: :not_an_emoji_name:") == "<p>😄 :not_an_emoji_name:</p>\n"


def test_a_zwj_sequence_keeps_every_code_point() -> None:
    assert html(":man_raising_hand:") == "<p>\U0001f64b\u200d\u2642\ufe0f</p>\n"


def test_times_ratios_code_math_and_addresses_never_change() -> None:
    text = (
        "At 12:30:45, a:smile:b, `:smile:`, $a:x:b$, https://example.org/:smile: and "
        "[:smile:](https://example.org/:smile:)."
    )
    rendered = html(text)
    assert "12:30:45" in rendered and "a:smile:b" in rendered
    assert "<code>:smile:</code>" in rendered
    assert "https://example.org/:smile: and" in rendered
    assert '<a href="https://example.org/:smile:"' in rendered and ">😄</a>" in rendered


def test_a_material_icon_is_left_out_with_a_warning_at_its_line(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    body = "First.\n\nDone :material-check: and :fontawesome-brands-github: GitHub.\n"
    site.write("posts/icons.md", post("Icons", body=body))
    result = site.build()
    assert_ok(result)
    page = site.page("posts/icons/index.html")
    assert ":material-check:" not in page and ":fontawesome-brands-github:" not in page
    assert "Done  and  GitHub." in page
    line = warning_line(result, "posts/icons.md", 8, "icon :material-check:")
    assert "write an emoji instead" in line
    warning_line(result, "posts/icons.md", 8, "icon :fontawesome-brands-github:")
