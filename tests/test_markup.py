"""A post's body to HTML: MathML, highlighted fences, anchors, footnotes, links and images."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lemma.load import load_post
from lemma.model import PostRun, Rich, SnippetOptions, SnippetResult
from lemma.parse import extract_snippets
from lemma.render.body import BodyContext, RenderedBody
from lemma.render.inline_math import inline_html
from lemma.render.markup import render_body
from lemma.reuse.figures import FigureStore
from site_support import (
    SiteDir,
    assert_failed_cleanly,
    assert_ok,
    error_line,
    post,
    snapshot,
    warning_line,
)

POST_URLS = {
    "posts/other.md": "/posts/other/",
    "posts/2025-01-01-dated.md": "/posts/dated/",
    "posts/bundle/index.md": "/posts/bundle/",
}


def render(body: str, root: Path, *, base: str = "/", path: str = "posts/p.md") -> RenderedBody:
    """Render `body` (which starts on line 5 of `path`) without templates."""
    text = "---\ntitle: T\ndate: 2025-01-01\n---\n" + body
    post, _ = load_post(path, text.encode(), ZoneInfo("UTC"))
    snippets, _ = extract_snippets(post, SnippetOptions())

    def snippet_html(view: Mapping[str, Any]) -> str:
        return (
            f'<div class="snippet" data-label="{view["language_label"]}">{view["code_html"]}</div>'
        )

    context = BodyContext(
        post=post,
        snippets={s.fence_line: s for s in snippets},
        run=None,
        root=root,
        post_urls={k: base + v.lstrip("/") for k, v in POST_URLS.items()},
        slugs=frozenset({"other", "dated", "bundle", "p"}),
        url=lambda p: base + p.lstrip("/"),
        render_snippet=snippet_html,
        figures=FigureStore(root),
    )
    return render_body(context)


def locations(rendered: RenderedBody) -> list[str]:
    return [str(p.location) for p in rendered.problems]


def without_fallbacks(html: str) -> str:
    return re.sub(r'<(pre|code) class="math-fallback".*?</\1>', "", html, flags=re.DOTALL)


# --- math --------------------------------------------------------------------------------------


def test_inline_and_display_math_become_mathml(tmp_path: Path) -> None:
    html = render("Inline $a^2$ here.\n\n$$\n\\int_0^1 x\\,dx\n$$\n", tmp_path).html
    assert html.count("<math") == 2
    assert '<div class="math-display"><math' in html
    assert "$" not in html


def test_inline_math_is_kept_with_the_characters_written_against_it(tmp_path: Path) -> None:
    rendered = render(
        "The $\\lambda$-calculus costs ($O(n^2)$), $a$,$b$ and *$c$* now.\n", tmp_path
    )
    html = re.sub(r"<math.*?</math>", "M", rendered.html, flags=re.DOTALL)
    assert html == (
        '<p>The <span class="nowrap">M-calculus</span> costs <span class="nowrap">(M),</span> '
        '<span class="nowrap">M,M</span> and <em>M</em> now.</p>\n'
    )
    assert rendered.title_html == "T"


def test_title_and_excerpt_math_keep_their_punctuation(tmp_path: Path) -> None:
    html, unread = inline_html("Typesetting $\\lambda$-calculus and $x$", lambda tex: "M")
    assert (html, unread) == ('Typesetting <span class="nowrap">M-calculus</span> and M', [])


def test_amsmath_environment_becomes_mathml(tmp_path: Path) -> None:
    html = render("\\begin{align}\na &= b\\\\\nc &= d\n\\end{align}\n", tmp_path).html
    assert "<math" in html and "<mtable" in html
    assert "\\begin" not in html


def test_bad_inline_tex_warns_at_its_line_and_shows_a_fallback(tmp_path: Path) -> None:
    rendered = render("First.\n\nSecond with $\\nosuch{x}$.\n", tmp_path)
    (problem,) = rendered.problems
    assert problem.is_warning
    assert str(problem.location) == "posts/p.md:7"
    assert "\\nosuch" in problem.message
    assert '<code class="math-fallback"' in rendered.html
    assert "\\nosuch{x}" in rendered.html
    assert "$" not in without_fallbacks(rendered.html)


def test_math_shown_without_some_of_its_tex_warns_at_its_line(tmp_path: Path) -> None:
    body = "First.\n\n$$\na +\n\\style{font-weight: bold}{b}\n$$\n"
    rendered = render(body, tmp_path)
    (problem,) = rendered.problems
    assert problem.is_warning and str(problem.location) == "posts/p.md:9"
    assert "'font-weight: bold' is left out" in problem.message and problem.hint
    assert "<mi>b</mi>" in rendered.html and "math-fallback" not in rendered.html


def test_an_unknown_command_warning_says_how_to_define_it(tmp_path: Path) -> None:
    (problem,) = render("Bayes $\\Prob(A \\mid B)$.\n", tmp_path).problems
    assert problem.message == "math: cannot convert: unknown command \\Prob; shown as TeX"
    assert problem.hint is not None
    assert "[macros] in site.toml" in problem.hint and "\\newcommand{\\Prob}" in problem.hint


def test_bad_display_tex_warns_at_its_block_line_and_never_leaves_raw_dollars(
    tmp_path: Path,
) -> None:
    rendered = render("Text.\n\n$$\n\\begin{foo} x\n$$\n", tmp_path)
    (problem,) = rendered.problems
    assert str(problem.location) == "posts/p.md:8"  # the line of \begin{foo}, inside the $$
    assert '<pre class="math-fallback"' in rendered.html
    assert "$$" not in without_fallbacks(rendered.html)


def test_dollar_amounts_in_prose_are_not_math(tmp_path: Path) -> None:
    html = render("It costs $5 and $10 today.\n", tmp_path).html
    assert "<math" not in html
    assert "$5 and $10" in html


# --- code --------------------------------------------------------------------------------------


def test_fences_are_highlighted_with_a_language_label(tmp_path: Path) -> None:
    html = render("```python\n#| eval: false\ndef f(): pass\n```\n", tmp_path).html
    assert 'data-label="Python"' in html
    assert 'class="highlight"' in html
    assert '<span class="k">def</span>' in html
    for fence, label in (("r", "R"), ("julia", "Julia"), ("text", "Text")):
        shown = render(f"```{fence}\nx\n```\n", tmp_path).html
        assert f'data-label="{label}"' in shown, fence  # Pygments would say "S" for R


def test_console_sessions_keep_their_last_line(tmp_path: Path) -> None:
    body = (
        "```console\n$ python train.py --lr 0.1\n```\n\n"
        "```shell-session\n$ pip install numpy\nSuccessfully installed numpy-2.0\n```\n\n"
        "```pycon\n>>> 1 + 1\n2\n```\n"
    )
    text = html.unescape(re.sub(r"<[^>]+>", "", render(body, tmp_path).html))
    for line in ("$ python train.py --lr 0.1", "Successfully installed numpy-2.0", ">>> 1 + 1\n2"):
        assert line in text


def test_fence_without_language_is_plain_preformatted_text(tmp_path: Path) -> None:
    html = render("```\n<b>not bold</b> & def\n```\n", tmp_path).html
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; def" in html
    assert '<span class="k">' not in html


def test_unicode_formulas_are_preserved_in_text_and_fences(tmp_path: Path) -> None:
    formula = "∂L/∂w = Σᵢ (ŷᵢ − yᵢ) xᵢ"
    html = render(f"{formula}\n\n```\n{formula}\n```\n\n```text\n{formula}\n```\n", tmp_path).html
    assert html.count(formula) == 3


def test_a_markdown_output_shows_as_markdown_with_its_math(tmp_path: Path) -> None:
    text = "---\ntitle: T\ndate: 2025-01-01\n---\n```python\nshow()\n```\n"
    post, _ = load_post("posts/p.md", text.encode(), ZoneInfo("UTC"))
    (snippet,), _ = extract_snippets(post, SnippetOptions())
    shown = Rich("text/markdown", "*Loss* is $x^2$; see [the other post](other.md)")
    run = PostRun(post.source_path, (SnippetResult(snippet.index, (shown,), 0.0),), 0.0)

    def outputs_html(view: Mapping[str, Any]) -> str:
        return "".join(str(output["html"]) for output in view["outputs"])

    context = BodyContext(
        post=post,
        snippets={snippet.fence_line: snippet},
        run=run,
        root=tmp_path,
        post_urls={},
        slugs=frozenset(),
        url=lambda p: "/" + p,
        render_snippet=outputs_html,
        figures=FigureStore(tmp_path),
    )
    rendered = render_body(context)
    assert '<em>Loss</em> is <span class="nowrap"><math' in rendered.html  # glued, as in a body
    assert '<a href="other.md">the other post</a>' in rendered.html  # a fragment's links as written
    assert rendered.problems == ()


# --- structure ---------------------------------------------------------------------------------


def test_headings_get_stable_ids_and_a_permalink(tmp_path: Path) -> None:
    rendered = render("## Loss Function\n\n### Details\n\n## Loss Function\n", tmp_path)
    assert '<h2 id="loss-function">' in rendered.html
    assert 'href="#loss-function"' in rendered.html
    assert '<h2 id="loss-function-1">' in rendered.html
    assert rendered.toc == (
        (2, "loss-function", "Loss Function"),
        (3, "details", "Details"),
        (2, "loss-function-1", "Loss Function"),
    )


def test_footnotes_render_with_back_references(tmp_path: Path) -> None:
    html = render("Claim[^a].\n\n[^a]: Source.\n", tmp_path).html
    assert 'class="footnote-ref"' in html
    assert 'class="footnotes"' in html
    assert 'href="#fnref1"' in html


def test_tables_render_with_balanced_markup(tmp_path: Path) -> None:
    html = render("| a | b |\n|--:|---|\n| 1 | 2 |\n\nAfter.\n", tmp_path).html
    assert "<table>" in html and "<td" in html
    assert html.count("<div") == html.count("</div>")
    assert re.search(r"</table>\s*<p>After.</p>", html)


def test_strikethrough(tmp_path: Path) -> None:
    assert "<s>gone</s>" in render("~~gone~~\n", tmp_path).html


# --- links and images --------------------------------------------------------------------------


def test_link_to_md_file_resolves_to_the_post_url(tmp_path: Path) -> None:
    rendered = render("[x](other.md) and [y](2025-01-01-dated.md#part)\n", tmp_path)
    assert '<a href="/posts/other/">x</a>' in rendered.html
    assert '<a href="/posts/dated/#part">y</a>' in rendered.html
    assert rendered.problems == ()


def test_links_use_the_base_path(tmp_path: Path) -> None:
    html = render("[a](other.md) [b](/posts/other/) [c](/tags/)\n", tmp_path, base="/blog/").html
    assert 'href="/blog/posts/other/"' in html
    assert html.count('href="/blog/posts/other/"') == 2
    assert 'href="/blog/tags/"' in html
    assert 'href="/posts/' not in html


def test_broken_md_link_is_an_error_at_its_line(tmp_path: Path) -> None:
    rendered = render("Fine.\n\nSee [x](nope.md).\n", tmp_path)
    (problem,) = rendered.problems
    assert not problem.is_warning
    assert str(problem.location) == "posts/p.md:7"
    assert "broken link" in problem.message


def test_broken_slug_link_is_an_error_at_its_line(tmp_path: Path) -> None:
    rendered = render("See [x](/posts/nope/).\n", tmp_path)
    assert locations(rendered) == ["posts/p.md:5"]
    assert "slug 'nope'" in rendered.problems[0].message


def test_external_links_get_noopener_and_are_not_checked(tmp_path: Path) -> None:
    rendered = render("[a](https://example.com/x) [m](mailto:a@b.c) [f](#frag)\n", tmp_path)
    assert 'href="https://example.com/x" rel="noopener"' in rendered.html
    assert 'href="mailto:a@b.c"' in rendered.html
    assert 'href="#frag"' in rendered.html
    assert rendered.problems == ()


def test_local_image_is_copied_under_a_content_hash(tmp_path: Path) -> None:
    (tmp_path / "posts/img").mkdir(parents=True)
    (tmp_path / "posts/img/a b.png").write_bytes(b"png bytes")
    rendered = render("![alt](img/a%20b.png)\n", tmp_path, base="/blog/")
    (asset,) = rendered.assets
    assert re.fullmatch(r"media/[0-9a-f]{16}-a-b\.png", asset.output_path)
    assert Path(asset.source) == (tmp_path / "posts/img/a b.png").resolve()
    assert f'src="/blog/{asset.output_path}"' in rendered.html
    assert 'loading="lazy"' in rendered.html


def test_missing_image_is_an_error_at_its_line(tmp_path: Path) -> None:
    rendered = render("Text.\n\n![alt](missing.png)\n", tmp_path)
    (problem,) = rendered.problems
    assert str(problem.location) == "posts/p.md:7"
    assert "missing image" in problem.message
    assert not problem.is_warning


def test_pelican_link_forms_lead_where_pelican_would(tmp_path: Path) -> None:
    (tmp_path / "posts/images").mkdir(parents=True)
    (tmp_path / "posts/images/han.png").write_bytes(b"in content/")
    (tmp_path / "static/images").mkdir(parents=True)
    (tmp_path / "static/images/logo.png").write_bytes(b"in static/")
    body = (
        "![Han]({static}/images/han.png) ![Logo]({static}/images/logo.png)\n\n"
        "[other]({filename}/other.md#part) [old](|filename|/other.md) [home]({index})\n\n"
        "[ml]({tag}Machine%20Learning) [cat]({category}notes)\n"
    )
    rendered = render(body, tmp_path, base="/blog/")
    assert rendered.problems == ()
    (asset,) = rendered.assets  # the picture beside the posts is copied, static/ is published
    assert Path(asset.source) == (tmp_path / "posts/images/han.png").resolve()
    assert f'src="/blog/{asset.output_path}"' in rendered.html
    assert 'src="/blog/images/logo.png"' in rendered.html
    for href in ("/blog/posts/other/#part", "/blog/posts/other/", "/blog/"):
        assert f'href="{href}"' in rendered.html
    assert 'href="/blog/tags/machine-learning/"' in rendered.html
    assert 'href="/blog/tags/notes/"' in rendered.html


def test_pelican_filename_names_a_page_bundle_by_its_folder(tmp_path: Path) -> None:
    body = "[a]({filename}/bundle) [b]({filename}/bundle/#part) [c](|filename|bundle/index.md)\n"
    rendered = render(body, tmp_path, base="/blog/")
    assert rendered.problems == ()
    for name, href in (("a", "/blog/posts/bundle/"), ("b", "/blog/posts/bundle/#part")):
        assert f'<a href="{href}">{name}</a>' in rendered.html
    assert '<a href="/blog/posts/bundle/">c</a>' in rendered.html


def test_pelican_filename_that_names_no_post_is_a_file_or_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "posts/files").mkdir(parents=True)
    (tmp_path / "posts/files/notes.pdf").write_bytes(b"%PDF")
    body = "[pdf]({filename}/files/notes.pdf)\n\n[gone]({filename}/gone.md)\n"
    rendered = render(body, tmp_path)
    (asset,) = rendered.assets  # a file beside the posts, copied as any linked file
    assert Path(asset.source) == (tmp_path / "posts/files/notes.pdf").resolve()
    (problem,) = rendered.problems
    assert str(problem.location) == "posts/p.md:7" and not problem.is_warning
    assert problem.message == "broken link: no post 'gone.md'"
    assert problem.hint == "check the file name in posts/"
    assert 'class="broken-link"' in rendered.html


def test_pelican_forms_that_lead_nowhere_are_errors_at_their_line(tmp_path: Path) -> None:
    rendered = render("![x]({static}/images/gone.png)\n\n[Ada]({author}ada)\n", tmp_path)
    assert locations(rendered) == ["posts/p.md:5", "posts/p.md:7"]
    missing, author = rendered.problems
    assert "static/images/gone.png" in (missing.hint or "")
    assert "{author}" in author.message


def test_table_of_contents_markers_of_other_tools_are_not_shown(tmp_path: Path) -> None:
    body = "[TOC]\n\n* TOC\n{:toc}\n\n[[_TOC_]]\n\n## Start\n\nThe [TOC] in prose stays.\n"
    html = render(body, tmp_path).html
    assert html.count("TOC") == 1
    assert "The [TOC] in prose stays." in html
    assert "{:toc}" not in html


def test_myst_contents_directives_are_not_shown_nor_warned_about(tmp_path: Path) -> None:
    body = "```{contents}\n:depth: 2\n:local:\n```\n\n:::{tableofcontents}\n:::\n\n"
    body += "## Start\n\nText.\n"
    text = "---\ntitle: T\ndate: 2025-01-01\n---\n" + body
    _, problems = extract_snippets(
        load_post("posts/p.md", text.encode(), ZoneInfo("UTC"))[0], SnippetOptions()
    )
    assert problems == []
    shown = render(body, tmp_path)
    assert shown.html.startswith('<h2 id="start">') and ":depth:" not in shown.html


def test_image_outside_the_site_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (tmp_path / "secret.png").write_bytes(b"x")
    rendered = render("![x](../../secret.png)\n", root)
    assert locations(rendered) == ["posts/p.md:5"]
    assert rendered.assets == ()


def test_link_to_a_local_file_copies_it(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts/data.csv").write_text("a,b\n")
    rendered = render("[data](data.csv)\n", tmp_path)
    (asset,) = rendered.assets
    assert f'href="/{asset.output_path}"' in rendered.html


# --- through the CLI ---------------------------------------------------------------------------


def test_broken_internal_link_fails_the_build_and_keeps_the_site(built_site: SiteDir) -> None:
    before = snapshot(built_site.out)
    built_site.write(
        "posts/2025-01-10-first.md",
        post("First post", "2025-01-10", "Intro.\n\nSee [gone](2024-12-01-gone.md).\n"),
    )
    result = built_site.build()
    error_line(result, "posts/2025-01-10-first.md", 8, "broken link: no post '2024-12-01-gone.md'")
    assert_failed_cleanly(result, built_site, before)


def test_missing_image_fails_the_build_and_keeps_the_site(built_site: SiteDir) -> None:
    before = snapshot(built_site.out)
    built_site.write(
        "posts/2025-01-10-first.md",
        post("First post", "2025-01-10", "Intro.\n\n![plot](figures/plot.png)\n"),
    )
    result = built_site.build()
    error_line(result, "posts/2025-01-10-first.md", 8, "missing image: 'figures/plot.png'")
    assert_failed_cleanly(result, built_site, before)


def test_bad_tex_is_a_warning_with_file_line_and_the_build_succeeds(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"posts/m.md": post("M", body="Good $x$.\n\nBad $\\nosuch{y}$.\n")})
    result = site.build()
    assert_ok(result)
    assert re.search(r"^posts/m\.md:8: warning: math: .*\\nosuch", result.stderr, re.MULTILINE)
    html = site.page("posts/m/index.html")
    assert 'class="math-fallback"' in html
    assert "<math" in html


def test_bad_tex_fails_the_build_with_strict(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/m.md": post("M", body="Bad $\\nosuch{y}$.\n")})
    result = site.build("--strict")
    error_line(result, "posts/m.md", 6, "math: cannot convert")
    assert result.code == 1


def test_unclosed_display_math_is_a_warning_and_never_raw_dollars(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"posts/a.md": post("A", body="First.\n\nSo $$x^2 never ends.\n")})
    result = site.build()
    assert_ok(result)
    warning_line(result, "posts/a.md", 8, "'$$' is never closed")
    page = site.page("posts/a/index.html")
    assert '<code class="math-fallback" title="This formula is never closed">$$</code>' in page


def test_latex_and_quarto_equations_share_one_counter_and_links(tmp_path: Path) -> None:
    body = (
        "See @eq-b, \\eqref{eq:a} and \\ref{eq-b}.\n\n"
        "\\begin{equation}\na = 1 \\label{eq:a}\n\\end{equation}\n\n"
        "$$\nb = 2\n$$ {#eq-b}\n\n"
        "\\begin{equation}\nc = 3\n\\end{equation}\n"
    )
    rendered = render(body, tmp_path)
    assert not rendered.problems
    assert ">Equation 2</a>" in rendered.html
    assert '<a class="eqref" href="#eq-a">(1)</a>' in rendered.html
    assert '<a class="eqref" href="#eq-b">2</a>' in rendered.html
    assert '<mtext id="eq-a">(1)</mtext>' in rendered.html
    assert "<mtext>(3)</mtext>" in rendered.html


def test_a_labelled_equation_in_a_sentence_or_on_one_line_is_numbered_and_referable(
    tmp_path: Path,
) -> None:
    body = (
        "Single-line equation: $$ a^2 + b^2 = c^2 $$ {#eq-pyth} and more.\n\n"
        "$$ x = 1 $$ {#eq-one}\n\n"
        "Inline $$ y $$ stays inline. And @eq-pyth, @eq-one.\n"
    )
    rendered = render(body, tmp_path)
    assert not rendered.problems
    html = re.sub(r"<math.*?</math>", "<math/>", rendered.html, flags=re.DOTALL)
    assert (
        '<p>Single-line equation: <span class="math-display math-display--numbered" '
        'id="eq-pyth"><math/><span class="equation-number">(1)</span></span> and more.</p>'
    ) in html
    assert '<div class="math-display math-display--numbered" id="eq-one">' in html
    assert "{#eq" not in html
    assert re.search(r'href="#eq-pyth"[^>]*>Equation 1</a>, <a[^>]*>Equation 2</a>', html)


def test_unknown_equation_label_warns_at_its_reference(tmp_path: Path) -> None:
    rendered = render("Text.\n\nSee \\eqref{nowhere}.\n", tmp_path)
    (problem,) = rendered.problems
    assert problem.is_warning and "\\label{nowhere}" in problem.message
    assert str(problem.location) == "posts/p.md:7"
    assert "(??)" in rendered.html


def test_a_post_macro_applies_to_later_formulas_only(tmp_path: Path) -> None:
    body = "Before $\\RR$.\n\n$$\n\\newcommand{\\RR}{\\mathbb{R}}\n$$\n\nAfter $x \\in \\RR$.\n"
    rendered = render(body, tmp_path)
    assert [p.message.split(";")[0] for p in rendered.problems] == [
        "math: cannot convert: unknown command \\RR"
    ]
    assert "ℝ" in rendered.html


def test_macros_in_a_hidden_html_div_apply_and_show_nothing(tmp_path: Path) -> None:
    """MathJax reads the whole page: authors define macros in a hidden <div> at the top."""
    body = (
        '<div style="display:none">\n$$\n\\newcommand{\\R}{\\mathbb{R}}\n$$\n'
        "$\\DeclareMathOperator{\\Var}{Var}$\n</div>\n\nThen $\\Var(X) \\in \\R$.\n"
    )
    rendered = render(body, tmp_path)
    assert rendered.problems == ()
    assert "ℝ" in rendered.html and "<mi>Var</mi>" in rendered.html
    assert "newcommand" not in rendered.html and "$" not in rendered.html


def test_a_paragraph_of_macro_definitions_leaves_no_empty_paragraph(tmp_path: Path) -> None:
    body = (
        "$\\newcommand{\\R}{\\mathbb{R}}$\n$\\def\\E{\\mathbb{E}}$\n\n# Title\n\n$\\E \\in \\R$\n"
    )
    html = render(body, tmp_path).html
    assert "ℝ" in html and "&#x1D53C;" in html  # 𝔼, beyond the BMP
    assert not re.search(r"<p>\s*</p>", html)


def test_double_dollars_in_a_sentence_are_display_in_quarto_and_inline_in_markdown(
    tmp_path: Path,
) -> None:
    """pandoc and Jupyter show `$$…$$` inside a sentence as display math; kramdown inline."""
    body = "The loss $$L = \\sum_i \\ell_i \\label{eq:loss}$$ is convex, by \\eqref{eq:loss}.\n"
    quarto = render(body, tmp_path, path="posts/q.qmd")
    assert quarto.problems == ()
    assert 'display="block"' in quarto.html and "(1)" in quarto.html
    jekyll = render(
        body.replace(" \\label{eq:loss}", "").replace(", by \\eqref{eq:loss}", ""), tmp_path
    )
    assert 'display="inline"' in jekyll.html and 'display="block"' not in jekyll.html


def test_myst_empty_link_to_an_equation_reads_as_its_number(tmp_path: Path) -> None:
    body = "$$\nE = mc^2\n$$ (eq:energy)\n\nBy [](#eq:energy), and [](#nowhere).\n"
    rendered = render(body, tmp_path)
    assert '<a class="eqref" href="#eq:energy">(1)</a>' in rendered.html
    (problem,) = rendered.problems
    assert problem.message == "a link with no text, to #nowhere, shows nothing"
    assert str(problem.location) == "posts/p.md:9" and problem.is_warning


def test_a_failed_hugo_formula_shows_its_own_delimiters_not_dollars(tmp_path: Path) -> None:
    rendered = render("Hugo \\\\( \\nosuch\\_1 \\\\) here.\n", tmp_path)
    assert (
        '<code class="math-fallback" title="This formula could not be rendered">' in rendered.html
    )
    assert "\\(\\nosuch_1\\)</code>" in rendered.html and "$" not in rendered.html


def test_contents_show_a_headings_formulas_as_text_not_tex(tmp_path: Path) -> None:
    body = "## The $\\lambda$-calculus\n\n## Loss $\\mathcal{L}(\\theta)$ of **x_i** and `f_1`\n"
    toc = render(body, tmp_path).toc
    assert [text for _level, _id, text in toc] == ["The λ-calculus", "Loss ℒ(θ) of x_i and f_1"]


def test_math_in_an_html_block_is_typeset_and_code_in_it_is_not(tmp_path: Path) -> None:
    body = (
        "Text.\n\n<details>\n<summary>Proof that $x^2 \\ge 0$</summary>\n"
        "It costs $5; <code>$HOME</code> and $a &lt; b$.\n$\\nosuch$\n</details>\n"
    )
    rendered = render(body, tmp_path)
    assert "<summary>Proof that <math" in rendered.html
    assert "<mo>&lt;</mo>" in rendered.html  # the entity is the TeX's "<"
    assert "It costs $5;" in rendered.html and "<code>$HOME</code>" in rendered.html
    (problem,) = rendered.problems
    assert "\\nosuch" in problem.message and str(problem.location) == "posts/p.md:10"


def test_unclosed_environment_in_prose_is_a_warning_not_silent_tex(tmp_path: Path) -> None:
    rendered = render("Text.\n\nSee \\begin{align} x &= 1 and no end.\n", tmp_path)
    (problem,) = rendered.problems
    assert problem.is_warning and "\\begin{align} is never closed" in problem.message
    assert str(problem.location) == "posts/p.md:7"
    assert '<code class="math-fallback"' in rendered.html


def test_characters_beyond_the_bmp_are_references_outside_scripts(tmp_path: Path) -> None:
    # One 𝐱 made Python hold the whole body at 4 bytes a character (215 MB at 2,000 posts).
    raw = '<script type="application/json">{"label": "𝔼"}</script>'
    prose = "Bold $\\mathbf{x}$, blackboard $\\mathbb{E}$ and 😀."
    rendered = render(f"{prose}\n\n{raw}\n", tmp_path)
    outside = rendered.html.replace(raw, "")
    assert max(map(ord, outside)) <= 0xFFFF
    assert "&#x1D431;" in outside and "&#x1D53C;" in outside and "&#x1F600;" in outside
    assert raw in rendered.html  # a script's text does not read references: left as written


def test_unlisted_heading_stays_out_of_the_contents(tmp_path: Path) -> None:
    rendered = render("## Method\n\nx\n\n## Thanks {.unnumbered .unlisted}\n\ny\n", tmp_path)
    assert [title for _, _, title in rendered.toc] == ["Method"]
    assert 'id="thanks"' in rendered.html


def test_unnumbered_headings_take_no_section_number(tmp_path: Path) -> None:
    body = (
        "## Preface {.unnumbered}\n\nx\n\n## Notation {-}\n\ny\n\n"
        "## Method {#sec-method}\n\nSee @sec-method.\n"
    )
    html = render(body, tmp_path).html
    assert '<a class="xref" href="#sec-method" data-lemma-card="sec-method">Section 1</a>' in html
    assert 'class="unnumbered" id="notation"' in html or 'id="notation" class="unnumbered"' in html


def test_a_capitalised_reference_names_the_same_label(tmp_path: Path) -> None:
    body = "::: {#thm-a}\nTrue.\n:::\n\n@Thm-a and [Result -@Thm-a] hold; @Thm-b does not.\n"
    rendered = render(body, tmp_path)
    html = rendered.html
    assert '<a class="xref" href="#thm-a" data-lemma-card="thm-a">Theorem 1</a> and' in html
    assert 'Result <a class="xref" href="#thm-a" data-lemma-card="thm-a">1</a>' in html
    assert [p.message for p in rendered.problems] == ["unknown cross-reference '@thm-b'"]


def test_number_sections_leads_each_heading_with_its_number(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site")
    site.write("site.toml", 'title = "T"\nsearch = false\n')
    site.write("posts/_metadata.yml", "format:\n  html:\n    number-sections: true\n")
    body = (
        "## Setup\n\nx\n\n### Graphs {#sec-graphs}\n\ny\n\n## Preface {.unnumbered}\n\nz\n\n"
        "## Results\n\nSee @sec-graphs.\n\n## More\n\nw\n"
    )
    site.write("posts/2025-01-02-n.qmd", post("N", body=body))
    result = site.build()
    assert_ok(result)
    assert "number-sections" not in result.stderr  # a key Lemma knows, not a note
    page = site.page("posts/n/index.html")
    numbers = re.findall(r'<span class="header-section-number">([\d.]+)</span> (\w+)', page)
    assert numbers == [("1", "Setup"), ("1.1", "Graphs"), ("2", "Results"), ("3", "More")]
    assert ">Section 1.1</a>" in page
    toc = page[page.index('<nav aria-label="Contents">') :]
    assert "1.1 Graphs" in toc[: toc.index("</nav>")]
    site.write("posts/_metadata.yml", "format:\n  html:\n    toc: true\n")
    assert_ok(site.build())
    assert "header-section-number" not in site.page("posts/n/index.html")


def test_what_other_tools_markdown_also_reads(tmp_path: Path) -> None:
    # pandoc (Quarto), kramdown, Python-Markdown and Hugo's goldmark: task lists, definition
    # lists, sub- and superscripts; GFM's strikethrough and the math keep their meaning.
    body = (
        "- [x] derive the gradient\n- [ ] check it numerically\n\n"
        "Learning rate\n:   The step size $\\eta$ of each update.\n\n"
        "H~2~O and 2^10^, ~~wrong~~, $x^2$, ~/data and ~ 5 ms.\n"
    )
    shown = render(body, tmp_path).html
    assert shown.count('<input class="task-list-item-checkbox"') == 2
    assert 'checked="checked" disabled="disabled"' in shown
    assert re.search(r"<dl>\s*<dt>Learning rate</dt>\s*<dd>The step size <math", shown)
    assert "H<sub>2</sub>O and 2<sup>10</sup>, <s>wrong</s>, " in shown
    assert "<msup><mi>x</mi><mn>2</mn></msup>" in shown
    assert "</span> ~/data and ~ 5 ms." in shown


def test_abbreviation_definitions_explain_every_use_and_show_nothing(tmp_path: Path) -> None:
    body = (
        "The HTML spec, by the W3C; HTML5 too, and `HTML` in code.\n"
        "*[HTML]: Hyper Text <Markup> Language\n\n"
        "*[W3C]: World Wide Web Consortium\n*[HTML5]: The fifth one\n"
    )
    shown = render(body, tmp_path).html
    assert shown.count("<abbr") == 3 and "*[" not in shown
    assert '<abbr title="Hyper Text &lt;Markup&gt; Language">HTML</abbr> spec' in shown
    assert '<abbr title="The fifth one">HTML5</abbr>' in shown
    assert "<code>HTML</code>" in shown
