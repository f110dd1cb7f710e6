"""Jupyter Book's `{doc}`, `{toctree}`, `{glossary}` and `{term}`: links between posts and to a
post's glossary; myst-nb's `{glue}`, which Lemma cannot honour, a warning naming what to write."""

from __future__ import annotations

from pathlib import Path

from lemma.parse import parse_body
from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, post, warning_line

OTHER = post("Convexity", "2024-01-01", "A convex function.\n")


def site_with(tmp_path: Path, body: str) -> SiteDir:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", NO_SEARCH)
    site.write("posts/convexity.md", OTHER)
    site.write("posts/notes/main.md", post("Main", "2024-02-01", body))
    return site


def test_a_doc_role_links_to_the_post_it_names_and_a_missing_one_is_a_broken_link(
    tmp_path: Path,
) -> None:
    body = "See {doc}`convexity`, {doc}`this post <../convexity>` and {doc}`nowhere`.\n"
    site = site_with(tmp_path, body)
    result = site.build("--keep-going")
    page = site.page("posts/main/index.html")
    assert '<a href="/posts/convexity/">convexity</a>' in page
    assert '<a href="/posts/convexity/">this post</a>' in page
    error_line(result, "posts/notes/main.md", 6, "no post for {doc}`nowhere`")


def test_a_toctree_is_a_list_of_links_and_what_names_no_post_is_a_warning(
    tmp_path: Path,
) -> None:
    body = "```{toctree}\n:maxdepth: 1\n\nconvexity\nStrong convexity <convexity>\nself\n```\n"
    site = site_with(tmp_path, body)
    result = site.build()
    assert_ok(result)
    page = site.page("posts/main/index.html")
    assert '<li><a href="/posts/convexity/">convexity</a></li>' in page
    assert '<li><a href="/posts/convexity/">Strong convexity</a></li>' in page
    assert ":maxdepth:" not in page and "toctree" not in page
    warning_line(result, "posts/notes/main.md", 6, "{toctree}: self names no one post")


def test_a_term_links_to_its_glossary_entry_and_an_undefined_term_is_an_error(
    tmp_path: Path,
) -> None:
    body = (
        "A {term}`Lipschitz constant` bounds it; {term}`the step <step size>`; {term}`rate`.\n\n"
        ":::{glossary}\nLipschitz constant\n  The least $L$ with $|f(x)-f(y)| \\le L|x-y|$.\n\n"
        "step size\n  How far one update moves.\n:::\n"
    )
    site = site_with(tmp_path, body)
    result = site.build("--keep-going")
    page = site.page("posts/main/index.html")
    assert '<a href="#term-lipschitz-constant">Lipschitz constant</a>' in page
    assert '<a href="#term-step-size">the step</a>' in page
    assert '<dt id="term-lipschitz-constant">Lipschitz constant</dt>' in page
    assert "<dd>How far one update moves.</dd>" in page
    error_line(result, "posts/notes/main.md", 6, "no glossary of this post defines 'rate'")


def test_glue_roles_and_directives_are_warnings_naming_what_to_write(tmp_path: Path) -> None:
    body = "The fit gives {glue:text}`slope:.2f`.\n\n```{glue:figure} fit_plot\nThe fit.\n```\n"
    site = site_with(tmp_path, body)
    result = site.build()
    assert_ok(result)
    role = warning_line(result, "posts/notes/main.md", 6, "{glue:text}`slope:.2f` is not read")
    assert "end the snippet with the expression" in role
    warning_line(result, "posts/notes/main.md", 8, "{glue:figure} is not read")


def test_glossary_terms_get_ids_without_a_disk() -> None:
    tokens = parse_body("```{glossary}\nGradient descent\n  Steps downhill.\n```\n")
    ids = [t.attrGet("id") for t in tokens if t.type == "dt_open"]
    assert ids == ["term-gradient-descent"]


def test_a_prf_ref_to_another_posts_theorem_is_an_error_naming_doc(tmp_path: Path) -> None:
    site = site_with(tmp_path, "As {prf:ref}`thm-convex-min` shows.\n")
    result = site.build("--keep-going")
    line = error_line(result, "posts/notes/main.md", 6, "unknown cross-reference")
    assert "{doc}`other-post`" in result.stderr and "prf:ref" in line
