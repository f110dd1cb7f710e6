"""Mistakes in citations, bibliographies and cross-references: errors at file:line, by the CLI."""

from __future__ import annotations

from pathlib import Path

from site_support import (
    NO_SEARCH,
    SiteDir,
    assert_failed_cleanly,
    assert_ok,
    error_line,
    post,
    snapshot,
)

BIB = """@book{boyd04,
  author = {Boyd, Stephen and Vandenberghe, Lieven},
  title = {Convex Optimization},
  publisher = {Cambridge University Press},
  year = {2004}
}
"""


def site_with(tmp_path: Path, files: dict[str, str]) -> SiteDir:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    site.write("posts/2025-01-01-good.md", post("Good", body="Plain text.\n"))
    for name, content in files.items():
        site.write(name, content)
    return site


def built_then_broken(
    tmp_path: Path, files: dict[str, str], broken: dict[str, str]
) -> tuple[SiteDir, dict[str, bytes]]:
    """A site that builds, then the same site with `broken` written over it."""
    site = site_with(tmp_path, files)
    assert_ok(site.build())
    before = snapshot(site.out)
    for name, content in broken.items():
        site.write(name, content)
    return site, before


def test_unknown_citation_key_is_an_error_at_its_line_with_the_closest_key(tmp_path: Path) -> None:
    body = "First line.\n\nAs shown [@boyd4, p. 3].\n"
    site, before = built_then_broken(
        tmp_path,
        {"posts/refs.bib": BIB},
        {"posts/2025-02-01-cites.md": post("Cites", body=body, bibliography="refs.bib")},
    )
    result = site.build()
    line = error_line(result, "posts/2025-02-01-cites.md", 9, "unknown citation key '@boyd4'")
    assert "did you mean 'boyd04'?" in line
    assert_failed_cleanly(result, site, before)


def test_unknown_cross_reference_is_an_error_at_its_line(tmp_path: Path) -> None:
    body = "::: {#thm-main}\nA theorem.\n:::\n\nBy @thm-mian we are done.\n"
    site, before = built_then_broken(
        tmp_path, {}, {"posts/2025-02-01-refs.md": post("Refs", body=body)}
    )
    result = site.build()
    line = error_line(result, "posts/2025-02-01-refs.md", 10, "unknown cross-reference '@thm-mian'")
    assert "did you mean 'thm-main'?" in line
    assert_failed_cleanly(result, site, before)


def test_every_post_reports_its_mistake_in_one_build(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        {
            "posts/2025-02-01-a.md": post("A", body="See @fig-nothing.\n"),
            "posts/2025-02-02-b.md": post("B", body="Intro.\n\nSee [@nobody].\n"),
        },
    )
    result = site.build()
    error_line(result, "posts/2025-02-01-a.md", 6, "unknown cross-reference '@fig-nothing'")
    line = error_line(result, "posts/2025-02-02-b.md", 8, "citation '@nobody'")
    assert "no bibliography" in line
    assert "Traceback" not in result.stderr


def test_missing_bibliography_file_is_an_error_at_the_front_matter_key(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        {"posts/2025-02-01-a.md": post("A", body="[@x]\n", bibliography="nowhere.bib")},
    )
    result = site.build()
    line = error_line(result, "posts/2025-02-01-a.md", 4, "bibliography 'posts/nowhere.bib'")
    assert "not found" in line


def test_bibtex_syntax_error_is_reported_at_the_bib_file_line(tmp_path: Path) -> None:
    broken = BIB + "\n@article{second,\n  title = {Unclosed,\n  year = 2020\n"
    site = site_with(
        tmp_path,
        {
            "posts/refs.bib": broken,
            "posts/2025-02-01-a.md": post("A", body="[@boyd04]\n", bibliography="refs.bib"),
        },
    )
    result = site.build()
    assert result.code == 1, str(result)
    assert "posts/refs.bib:" in result.stderr and "BibTeX" in result.stderr, str(result)
    assert "Traceback" not in result.stderr


def test_site_wide_bibliography_and_numeric_style_from_site_toml(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        {
            "site.toml": NO_SEARCH + 'bibliography = "refs.bib"\ncitation_style = "numeric"\n',
            "refs.bib": BIB,
            "posts/2025-02-01-a.md": post("A", body="Convexity [@boyd04].\n"),
        },
    )
    assert_ok(site.build())
    page = site.page("posts/a/index.html")
    assert '[<a class="cite" href="#ref-boyd04"' in page
    assert '<li id="ref-boyd04" class="reference">' in page


def test_unknown_citation_style_names_the_choices(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        {
            "posts/refs.bib": BIB,
            "posts/2025-02-01-a.md": post(
                "A", body="[@boyd04]\n", bibliography="refs.bib", **{"citation-style": "numerc"}
            ),
        },
    )
    result = site.build()
    line = error_line(result, "posts/2025-02-01-a.md", 5, "unknown citation-style 'numerc'")
    assert "did you mean 'numeric'?" in line


def test_label_used_twice_is_an_error(tmp_path: Path) -> None:
    body = "::: {#lem-a}\nOne.\n:::\n\n::: {#lem-a}\nTwo.\n:::\n"
    site = site_with(tmp_path, {"posts/2025-02-01-a.md": post("A", body=body)})
    error_line(site.build(), "posts/2025-02-01-a.md", 10, "label 'lem-a' is used twice")


def test_a_javascript_url_in_a_bibliography_never_becomes_a_link(tmp_path: Path) -> None:
    bib = (
        "@misc{evil, author = {Mallory, M.}, title = {<b>Bold</b> claims}, year = 2020,\n"
        "  url = {javascript:alert(1)}}\n"
    )
    site = site_with(
        tmp_path,
        {
            "posts/refs.bib": bib,
            "posts/2025-02-01-a.md": post("A", body="See [@evil].\n", bibliography="refs.bib"),
        },
    )
    assert_ok(site.build())
    page = site.page("posts/a/index.html")
    assert "javascript:" not in page
    assert "<b>Bold</b>" not in page


def test_quarto_and_latex_equations_share_one_counter(tmp_path: Path) -> None:
    body = (
        "See @eq-quarto and \\eqref{eq:latex}.\n\n"
        "\\begin{equation}\na = b \\label{eq:latex}\n\\end{equation}\n\n"
        "$$\nc = d\n$$ {#eq-quarto}\n"
    )
    site = site_with(tmp_path, {"posts/2025-02-01-a.md": post("A", body=body)})
    assert_ok(site.build())
    page = site.page("posts/a/index.html")
    assert '<a class="xref" href="#eq-quarto" data-lemma-card="eq-quarto">Equation 2</a>' in page
    assert '<a class="eqref" href="#eq-latex">(1)</a>' in page
    assert '<span class="equation-number">(2)</span>' in page


BIB_TWO = (
    BIB
    + """@book{nesterov04,
  author = {Nesterov, Yurii},
  title = {Introductory Lectures on Convex Optimization},
  publisher = {Springer},
  year = {2004}
}
"""
)


def test_sphinxcontrib_bibtex_roles_cite_and_the_bibliography_directive_places_them(
    tmp_path: Path,
) -> None:
    body = (
        "As {cite}`boyd04` and {cite:p}`boyd04, nesterov04` show; {cite:t}`nesterov04` and\n"
        "{cite:t}`boyd04,nesterov04` agree ({cite:yearpar}`boyd04`),\n"
        "{cite:p}`boyd04;nesterov04` too.\n\n"
        "## References\n\n"
        "```{bibliography}\n:filter: docname in docnames\n```\n\n"
        "## Appendix\n\nAfter the references.\n"
    )
    site = site_with(
        tmp_path,
        {
            "posts/refs.bib": BIB_TWO,
            "posts/2025-02-01-jb.md": post("JB", body=body, bibliography="refs.bib"),
        },
    )
    result = site.build()
    assert_ok(result)
    assert "warning" not in result.stderr, result.stderr
    page = site.page("posts/jb/index.html")
    boyd = '<a class="cite" href="#ref-boyd04" data-lemma-card="ref-boyd04">'
    nesterov = '<a class="cite" href="#ref-nesterov04" data-lemma-card="ref-nesterov04">'
    assert f'As <span class="citation">({boyd}Boyd and Vandenberghe 2004</a>)</span> and' in page
    assert f"({boyd}Boyd and Vandenberghe 2004</a>; {nesterov}Nesterov 2004</a>)" in page
    assert f'<span class="citation">{nesterov}Nesterov (2004)</a></span> and' in page
    assert f"{boyd}Boyd and Vandenberghe (2004)</a></span>, <span" in page
    assert f"({boyd}2004</a>)" in page
    # mystmd separates the keys with semicolons
    assert f"({boyd}Boyd and Vandenberghe 2004</a>; {nesterov}Nesterov 2004</a>)</span> too" in page
    # the list stands under the author's heading, before the appendix, and only there
    references = page.index('<section class="references references--under-heading">')
    assert page.index('id="references"') < references < page.index('id="appendix"')
    assert page.count('<li id="ref-boyd04"') == 1 and "references-heading" not in page
    assert "{cite" not in page and "{bibliography}" not in page
    # the excerpt (description, listings, feed) reads them as the page does
    assert '<meta name="description" content="As (Boyd and Vandenberghe 2004) and (Boyd' in page


def test_a_cite_role_without_a_bibliography_is_an_error_and_the_directive_a_warning(
    tmp_path: Path,
) -> None:
    body = "Line.\n\nBy {cite:t}`boyd04`.\n\n```{bibliography}\n:style: unsrt\n```\n"
    site = site_with(tmp_path, {"posts/2025-02-01-jb.md": post("JB", body=body)})
    result = site.build()
    assert result.code == 1
    line = error_line(result, "posts/2025-02-01-jb.md", 8, "citation '@boyd04' but the post has no")
    assert "Jupyter Book's bibtex_bibfiles" in line and "literal @" not in line
    assert "posts/2025-02-01-jb.md:10: warning: a {bibliography} directive, but" in result.stderr


def test_bibliography_directive_options_all_and_unknown(tmp_path: Path) -> None:
    body = "By {cite}`boyd04`.\n\n```{bibliography}\n:all:\n:style: unsrt\n```\n"
    site = site_with(
        tmp_path,
        {
            "posts/refs.bib": BIB_TWO,
            "posts/2025-02-01-jb.md": post("JB", body=body, bibliography="refs.bib"),
        },
    )
    result = site.build()
    assert result.code == 0, result.stderr
    assert "posts/2025-02-01-jb.md:11: warning: {bibliography} option ':style:'" in result.stderr
    page = site.page("posts/jb/index.html")
    assert '<li id="ref-nesterov04"' in page  # :all: lists the work never cited
    assert '<h2 id="references-heading">References</h2>' in page
