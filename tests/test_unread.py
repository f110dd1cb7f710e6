"""Files in posts/ that are not posts, in a real build: blogdown's rendered copies of an R
Markdown post are named in a note and never published; other formats keep their warning."""

from __future__ import annotations

from pathlib import Path

from site_support import NO_SEARCH, SiteDir, assert_ok, post


def test_blogdown_renderings_beside_their_rmd_are_a_note_not_a_second_post(
    tmp_path: Path,
) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/a.Rmarkdown", post("A", body="THE-RMARKDOWN.\n"))
    site.write("posts/a.markdown", post("A", body="KNITTED-MARKDOWN.\n"))
    site.write("posts/c.Rmd", post("C", body="THE-RMD.\n"))
    site.write("posts/c.html", "<p>KNITTED-HTML</p>")
    site.write("posts/d.html", "<p>A page of its own</p>")
    result = site.build()
    assert_ok(result)
    assert "posts/a.markdown: note: not read: blogdown's rendering of a.Rmarkdown" in (
        result.stderr
    )
    assert "posts/c.html: note: not read: blogdown's rendering of c.Rmd" in result.stderr
    assert "posts/d.html: warning: not read: HTML is not a post format" in result.stderr
    assert "THE-RMARKDOWN." in site.page("posts/a/index.html")
    published = "".join(p.read_text(errors="replace") for p in site.out.rglob("*.html"))
    assert "KNITTED" not in published and "THE-RMD." in published
