"""Blogs written as Jekyll, Hugo, Pelican, Quarto, Jupyter and MyST write them build with Lemma.

Each blog under tests/fixtures/conventions/ is built once through the real CLI; the tests check
what a migrating author relies on: dates, titles, authors, tags, drafts, old addresses, files
beside a post, and snippets that ran.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from site_support import (
    EPOCH,
    FIXTURES,
    NO_SEARCH,
    BuiltBlog,
    Result,
    SiteDir,
    assert_ok,
    run_lemma,
    snapshot,
    warning_line,
)

CONVENTIONS = FIXTURES / "conventions"


def build_blog(name: str, tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    root = tmp_path_factory.mktemp(name) / name
    shutil.copytree(CONVENTIONS / name, root)
    result = Result(run_lemma("build", cwd=root))
    return BuiltBlog(root / "_site", result)


@pytest.fixture(scope="module")
def jekyll(tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    return build_blog("jekyll", tmp_path_factory)


@pytest.fixture(scope="module")
def hugo(tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    return build_blog("hugo", tmp_path_factory)


@pytest.fixture(scope="module")
def pelican(tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    return build_blog("pelican", tmp_path_factory)


def post_folders(blog: BuiltBlog) -> list[str]:
    return sorted(p.name for p in (blog.out / "posts").iterdir() if p.is_dir())


def everything(blog: BuiltBlog) -> bytes:
    return b"".join(snapshot(blog.out).values())


def time_of(html: str) -> str:
    start = html.index('<time datetime="') + len('<time datetime="')
    return html[start : html.index('"', start)]


# --- Jekyll ----------------------------------------------------------------------------------


def test_jekyll_blog_builds_and_keeps_its_unpublished_post_private(jekyll: BuiltBlog) -> None:
    assert_ok(jekyll.result)
    assert post_folders(jekyll) == [
        "academicpages-paper",
        "beautiful-jekyll",
        "just-the-docs-callouts",
        "minimal-mistakes-notices",
        "no-date-in-front-matter",
        "welcome-to-jekyll",
    ]
    assert b"UNFINISHED-JEKYLL-TEXT" not in everything(jekyll)
    assert "left out 1 post: 1 draft" in jekyll.result.stdout


def test_jekyll_dates_with_an_offset_and_from_the_file_name(jekyll: BuiltBlog) -> None:
    assert time_of(jekyll.page("posts/welcome-to-jekyll/index.html")) == "2016-01-28T10:20:00-08:00"
    assert time_of(jekyll.page("posts/no-date-in-front-matter/index.html")).startswith(
        "2016-02-03T00:00:00"
    )


def test_jekyll_categories_authors_and_old_address(jekyll: BuiltBlog) -> None:
    welcome = jekyll.page("posts/welcome-to-jekyll/index.html")
    assert 'href="/tags/jekyll/"' in welcome and 'href="/tags/update/"' in welcome
    dated = jekyll.page("posts/no-date-in-front-matter/index.html")
    assert "Jane Doe and John Roe" in dated
    old = jekyll.page("jekyll/update/2016/01/28/welcome-to-jekyll.html")
    assert 'http-equiv="refresh" content="0; url=/posts/welcome-to-jekyll/"' in old
    assert 'content="noindex"' in old


def test_jekyll_keys_lemma_covers_are_silent_and_others_one_quiet_note(jekyll: BuiltBlog) -> None:
    stderr = jekyll.result.stderr
    read = ("layout", "math", "comments", "categories", "redirect_from", "published")
    for key in (*read, "excerpt_separator"):
        assert f"'{key}'" not in stderr
    notes = [line for line in stderr.splitlines() if "'sitemap'" in line]
    assert len(notes) == 1 and ": note: " in notes[0]
    assert "did you mean" not in stderr


def test_jekyll_site_absolute_image_comes_from_static(jekyll: BuiltBlog) -> None:
    welcome = jekyll.page("posts/welcome-to-jekyll/index.html")
    assert '<img src="/assets/img/sample.png" alt="A sample plot"' in welcome
    source = CONVENTIONS / "jekyll" / "static" / "assets" / "img" / "sample.png"
    assert (jekyll.out / "assets" / "img" / "sample.png").read_bytes() == source.read_bytes()
    assert "[0, 1, 4, 9, 16]" in welcome


def test_jekyll_theme_posts_keep_their_notices_callouts_figures_and_images(
    jekyll: BuiltBlog,
) -> None:
    notices = jekyll.page("posts/minimal-mistakes-notices/index.html")
    stderr = jekyll.result.stderr
    info = re.search(r'class="callout callout-note".*?</div>\s*</div>', notices, re.S)
    assert info is not None and "MINIMAL-MISTAKES-INFO-NOTICE" in info.group(0)
    assert 'class="callout callout-caution"' in notices and "notice--" not in notices
    div = re.search(r'class="callout callout-warning".*?</div>\s*</div>', notices, re.S)
    assert div is not None and "Mind the base rate</p>" in div.group(0)
    assert "MINIMAL-MISTAKES-DIV-NOTICE" in div.group(0)
    assert "<figcaption>The prior, then the posterior.</figcaption>" in notices
    assert 'src="https://www.youtube-nocookie.com/embed/XsxDH4HcOWA"' in notices
    assert 'class="post-toc"' in notices
    preview = (
        'property="og:image" content="https://jekyll.example.org/assets/images/bayes-header.png"'
    )
    assert preview in notices
    gallery = '<img src="/assets/images/unsplash-gallery-image-1.jpg" alt="The posterior"'
    assert gallery in notices and "<em>Two plots.</em>" in notices and "gallery" not in stderr
    docs = jekyll.page("posts/just-the-docs-callouts/index.html")
    note = re.search(r'class="callout callout-note".*?</div>\s*</div>', docs, re.S)
    assert note is not None and "JUST-THE-DOCS-NOTE" in note.group(0)
    titled = re.search(r'class="callout callout-important".*?</div>\s*</div>', docs, re.S)
    assert titled is not None and "Stationary distribution</p>" in titled.group(0)
    assert "JUST-THE-DOCS-TITLED" in titled.group(0) and "{:" not in docs
    beautiful = jekyll.page("posts/beautiful-jekyll/index.html")
    assert "warning" not in jekyll.result.stderr
    assert '<p class="post-subtitle">What the SVD says about a matrix</p>' in beautiful
    assert preview in beautiful
    for key in ("header", "toc_label", "classes", "author_profile", "nav_order", "cover-img"):
        assert f"'{key}'" not in stderr
    assert "'venue'" in stderr  # a paper's data, not layout: templates may show it


# --- Hugo ------------------------------------------------------------------------------------


def test_hugo_toml_front_matter_page_bundles_and_nested_folders(hugo: BuiltBlog) -> None:
    assert_ok(hugo.result)
    assert post_folders(hugo) == [
        "blowfish-alerts",
        "docsy-and-loveit",
        "hextra-tabs",
        "hugo-book",
        "my-first-post",
        "notes",
        "old-first-post",
    ]
    assert b"HUGO-DRAFT-TEXT" not in everything(hugo)
    first = hugo.page("posts/my-first-post/index.html")
    assert time_of(first) == "2023-01-15T09:00:00-07:00"
    assert 'Updated <time datetime="2023-02-01T10:00:00-07:00">' in first
    assert "Ada Okafor" in first
    assert 'href="/tags/statistics/"' in first and 'href="/tags/numpy/"' in first
    assert 'content="A page bundle: the post and its files in one folder."' in first


def test_hugo_title_heading_equal_to_the_title_is_shown_once(hugo: BuiltBlog) -> None:
    first = hugo.page("posts/my-first-post/index.html")
    assert first.count(">My First Post</h1>") == 1
    assert 'id="my-first-post"' not in first


def test_hugo_bundle_reads_its_data_and_shows_its_picture(hugo: BuiltBlog) -> None:
    first = hugo.page("posts/my-first-post/index.html")
    assert "mean = 2.50" in first  # np.loadtxt("data.csv") beside index.md
    media = [p.name for p in (hugo.out / "media").iterdir()]
    assert any(name.endswith("-diagram.png") for name in media)
    assert 'alt="The bundle&#x27;s diagram"' in first or 'alt="The bundle\'s diagram"' in first


def callout_with(html: str, kind: str, text: str) -> bool:
    found = re.findall(rf'class="callout callout-{kind}".*?</(?:div|details)>', html, re.S)
    return any(text in callout for callout in found)


def test_hugo_theme_posts_keep_their_callouts_tabs_and_details(hugo: BuiltBlog) -> None:
    blowfish = hugo.page("posts/blowfish-alerts/index.html")
    assert callout_with(blowfish, "note", "BLOWFISH-ICON-ALERT")
    assert (
        '<a href="https://example.org/notes.pdf" rel="noopener">Download the notes</a>' in blowfish
    )
    assert 'data-language="mermaid"' in blowfish and "The update rule new is below." in blowfish
    assert '<div class="lead">' in blowfish and "<mi>η</mi>" in blowfish
    assert 'property="og:image" content="https://hugo.example.org/img/descent.png"' in blowfish
    warning_line(hugo.result, "posts/blowfish-alerts.md", 35, "mermaid shortcode is not drawn")
    hextra = hugo.page("posts/hextra-tabs/index.html")
    assert callout_with(hextra, "note", "HEXTRA-INFO-CALLOUT")
    assert re.findall(r'class="tab-label">([^<]*)<', hextra) == ["NumPy", "Operator"]
    assert hextra.count("<pre>11") == 2  # both tabs' snippets ran
    assert re.search(r"<summary[^>]*>Why they agree</summary>.*HEXTRA-DETAILS-BODY", hextra, re.S)
    docsy = hugo.page("posts/docsy-and-loveit/index.html")
    assert callout_with(docsy, "warning", "DOCSY-WARNING-ALERT")
    assert re.findall(r'class="tab-label">([^<]*)<', docsy) == ["English", "Deutsch"]
    assert callout_with(docsy, "tip", "LOVEIT-TIP-BODY")
    book = hugo.page("posts/hugo-book/index.html")
    assert callout_with(book, "note", "HUGO-BOOK-INFO-HINT")
    assert re.findall(r'class="tab-label">([^<]*)<', book) == ["Primal", "Dual"]
    assert re.search(r"<details[^>]* open>\s*<summary[^>]*>Proof sketch<", book)
    assert "Written by Ada Okafor;" in book and 'href="/posts/hextra-tabs/"' in book
    for page in (blowfish, hextra, docsy, book):
        assert "{{" not in page
    stderr = hugo.result.stderr
    assert "not supported" not in stderr
    for key in ("showTableOfContents", "featureimage", "weight", "lightgallery", "bookToc"):
        assert f"'{key}'" not in stderr


def test_hugo_aliases_lead_to_the_post(hugo: BuiltBlog) -> None:
    old = hugo.page("posts/old-first-post/index.html")
    assert 'url=/posts/my-first-post/"' in old
    assert "/posts/old-first-post/" not in hugo.page("sitemap.xml")


def test_hugo_summary_is_the_excerpt(hugo: BuiltBlog) -> None:
    assert "the address is still /posts/notes/." in hugo.page("index.html")


# --- Pelican ---------------------------------------------------------------------------------


def test_pelican_headers_give_title_dates_authors_tags_and_summary(pelican: BuiltBlog) -> None:
    assert_ok(pelican.result)
    assert post_folders(pelican) == ["embedded-notebook", "least-squares", "my-super-post"]
    page = pelican.page("posts/my-super-post/index.html")
    assert ">My super title</h1>" in page
    assert time_of(page) == "2010-12-03T10:20:00+01:00"  # the site's timezone, Europe/Paris
    assert 'Updated <time datetime="2010-12-05T19:30:00+01:00">' in page
    assert "Alexis Metaireau and Conan Doyle" in page
    for tag in ("python", "pelican", "publishing"):
        assert f'href="/tags/{tag}/"' in page
    assert 'name="description" content="Short version for index and feeds"' in page
    assert "Title: My super title" not in page
    assert "55" in page  # the snippet's trailing value


def test_pelican_notebook_and_include_code_tags_show_cells_outputs_and_code(
    pelican: BuiltBlog,
) -> None:
    page = pelican.page("posts/embedded-notebook/index.html")
    assert "The sum of the first ten integers" in page and "Not shown" not in page
    assert "stored, not run" in page and "55" in page  # the notebook's stored outputs
    assert "Gauss&#39; formula" in page and "gauss" in page
    assert "{% notebook" not in page and "{% include_code" not in page


def test_pelican_ipynb_meta_file_gives_a_notebook_post_its_header(pelican: BuiltBlog) -> None:
    page = pelican.page("posts/least-squares/index.html")
    assert '<h1 class="post-title">Least squares in a notebook</h1>' in page
    assert 'href="/tags/statistics/"' in page and "PELICAN-NOTEBOOK-RAN 42" in page
    assert 'content="A notebook post, as pelican-ipynb published it"' in page


def test_pelican_draft_and_hidden_posts_stay_out(pelican: BuiltBlog) -> None:
    content = everything(pelican)
    assert b"PELICAN-DRAFT-TEXT" not in content and b"PELICAN-HIDDEN-TEXT" not in content
    assert "left out 2 posts: 2 drafts" in pelican.result.stdout


def test_two_builds_of_a_convention_blog_give_the_same_bytes(
    hugo: BuiltBlog, tmp_path: Path
) -> None:
    again = tmp_path / "hugo"
    shutil.copytree(CONVENTIONS / "hugo", again)
    assert_ok(Result(run_lemma("build", "--no-cache", cwd=again)))
    assert snapshot(again / "_site") == snapshot(hugo.out)


# --- Quarto ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def quarto(tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    return build_blog("quarto", tmp_path_factory)


def test_quarto_qmd_posts_as_folders_with_their_keys(quarto: BuiltBlog) -> None:
    assert_ok(quarto.result)
    assert post_folders(quarto) == ["post-with-code", "welcome"]
    assert b"QUARTO-DRAFT-TEXT" not in everything(quarto)
    welcome = quarto.page("posts/welcome/index.html")
    assert '<p class="post-subtitle">Posts are folders, as in a Quarto blog</p>' in welcome
    assert "Tristan O&#39;Malley" in welcome or "Tristan O'Malley" in welcome
    image = 'og:image" content="https://quarto.example.org/media/'
    assert image in welcome and "-thumbnail.png" in welcome
    code = quarto.page("posts/post-with-code/index.html")
    assert 'Updated <time datetime="2023-06-02' in code
    for tag in ("news", "code", "analysis"):
        assert f'href="/tags/{tag}/"' in code


def test_quarto_snippet_options_and_toc_false(quarto: BuiltBlog) -> None:
    code = quarto.page("posts/post-with-code/index.html")
    assert "ECHO-FALSE-OUTPUT" in code  # the output of a snippet whose code is hidden
    assert code.count("ECHO-FALSE-OUTPUT") == 1
    assert "lemma-fold" in code
    assert "post-toc" not in code


# --- MyST ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def myst(tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    return build_blog("myst", tmp_path_factory)


def test_myst_code_cells_run_with_their_tags_as_options(myst: BuiltBlog) -> None:
    assert_ok(myst.result)
    page = myst.page("posts/code-cells/index.html")
    # No title key: the opening `# heading` is the title, shown once; the date is the file's.
    assert '<h1 class="post-title">Code cells in MyST</h1>' in page
    assert page.count("Code cells in MyST</h1>") == 1
    assert time_of(page).startswith("2024-03-01")
    assert "sum: 6" in page  # {code-cell} ipython3 ran as python
    assert page.count("HIDDEN-INPUT-RESULT") == 2  # hide-input: folded code, and its output
    assert "lemma-fold" in page
    assert page.count("REMOVED-OUTPUT") == 1  # remove-output: the code only
    assert "ZeroDivisionError: division by zero" in page  # raises-exception: shown, no failure
    assert "jupytext" not in myst.result.stderr and "kernelspec" not in myst.result.stderr


def test_jupyter_book_doc_toctree_and_glossary_are_links_glue_a_warning(myst: BuiltBlog) -> None:
    page = myst.page("posts/jupyter-book-links/index.html")
    assert '<a href="/posts/code-cells/">the code cells post</a>' in page
    assert '<a href="#term-code-cell">code cell</a>' in page and 'id="term-code-cell"' in page
    assert "<strong>Read next</strong>" in page and "{toctree}" not in page
    assert '<li><a href="/posts/code-cells/">2024-03-01-code-cells</a></li>' in page
    warning_line(myst.result, "posts/2024-03-08-jupyter-book-links.md", 18, "{glue:}`mean_value`")


# --- Jupyter ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    return build_blog("jupyter", tmp_path_factory)


def test_notebook_with_a_raw_front_matter_cell_runs_like_any_post(jupyter: BuiltBlog) -> None:
    assert_ok(jupyter.result)
    assert post_folders(jupyter) == ["fitting-a-line", "stored-outputs"]
    page = jupyter.page("posts/fitting-a-line/index.html")
    assert ">Fitting a line</h1>" in page and time_of(page).startswith("2020-02-20")
    assert 'href="/tags/numpy/"' in page
    assert "slope: 2.0" in page  # run again (with %matplotlib inline), not the saved output
    assert "STALE-OUTPUT" not in page
    assert "title: Fitting a line" not in page


def test_notebook_asking_for_stored_outputs_shows_them_without_addresses(
    jupyter: BuiltBlog,
) -> None:
    page = jupyter.page("posts/stored-outputs/index.html")
    assert ">Outputs kept from the notebook</h1>" in page  # its `# heading` is the title
    assert "SAVED-OUTPUT" in page
    assert "object at 0x" not in page  # an address changes on every run: never shown
    assert "ran posts/stored-outputs.ipynb" not in jupyter.result.stdout


def notebook_json(*cells: tuple[str, str]) -> str:
    """A notebook of (cell type, source) pairs, as Jupyter saves one."""
    listed = []
    for kind, source in cells:
        cell: dict[str, object] = {"cell_type": kind, "metadata": {}, "source": source}
        if kind == "code":
            cell |= {"execution_count": None, "outputs": []}
        listed.append(cell)
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = {"cells": listed, "metadata": {"kernelspec": kernel}, "nbformat": 4}
    return json.dumps(notebook | {"nbformat_minor": 5}, indent=1)


def test_notebook_problems_are_reported_at_the_cell_and_its_line(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    front = "---\ntitle: {}\ndate: {}\n---"
    site.write(
        "posts/fails.ipynb",
        notebook_json(
            ("raw", front.format("Failing", "2025-01-02")),
            ("markdown", "Some prose.\n\nMore prose."),
            ("code", "x = 1\nprint(x)"),
            ("code", "y = 2\nz = y / 0"),
            ("markdown", "A cell after the failing one."),
        ),
    )
    site.write(
        "posts/option.ipynb",
        notebook_json(
            ("raw", front.format("Option", "2025-01-02")),
            ("markdown", "Prose."),
            ("code", "#| fig-format: jpg\n1 + 1"),
        ),
    )
    site.write(
        "posts/dated.ipynb",
        notebook_json(("raw", front.format("Dated", "next tuesday")), ("code", "1 + 1")),
    )
    result = site.build("--keep-going")
    assert result.code == 1, str(result)
    assert "posts/fails.ipynb: cell 4, line 2: ZeroDivisionError: division by zero" in result.stderr
    assert 'File "posts/fails.ipynb", cell 4, line 2, in <module>' in result.stderr
    assert "    >  2 | z = y / 0" in result.stderr  # the frame is the cell's, without fences
    frame = result.stderr.split("ZeroDivisionError: division by zero", 1)[1].split("Traceback")[0]
    assert [line.split("|")[0].strip(" >") for line in frame.splitlines() if "|" in line] == [
        "1",
        "2",
    ]  # the cell's two lines, not the blank line before the next cell
    assert "```" not in result.stderr
    assert "posts/option.ipynb: cell 3, line 1: option 'fig-format'" in result.stderr
    assert "posts/dated.ipynb: cell 1, line 3: front matter: 'date' is not a date" in result.stderr
    page = site.page("posts/fails/index.html")  # --keep-going: the page shows the cell too
    assert 'data-location="posts/fails.ipynb: cell 4, line 1"' in page
    assert "at posts/fails.ipynb: cell 4, line 2" in page
    checked = site.lemma("check")  # `lemma check` says the same
    assert "posts/fails.ipynb: cell 4, line 2: ZeroDivisionError" in checked.stdout + checked.stderr


def small_blog(tmp_path: Path, files: Mapping[str, str | bytes], toml: str = NO_SEARCH) -> SiteDir:
    site = SiteDir(tmp_path)
    for relative, content in {"site.toml": toml, **files}.items():
        site.write(relative, content)
    return site


def test_more_marker_and_excerpt_separator_end_the_excerpt(tmp_path: Path) -> None:
    site = small_blog(
        tmp_path,
        {
            "posts/2024-01-01-hugo.md": "---\ntitle: Hugo\n---\nFirst paragraph.\n\n"
            "Second, with $e^x$.\n\n<!--more-->\n\n"
            "The rest of the post.\n\n```text\n<!--more-->\n```\n",
            "posts/2024-01-02-jekyll.md": "---\ntitle: Jekyll\nexcerpt_separator: <!--end-->\n"
            "---\nOne line\nand two.\n<!--end-->\nAfter.\n",
            "posts/2024-01-03-summary.md": "---\ntitle: Summary\nsummary: Written summary.\n---\n"
            "Text.\n<!--more-->\nMore.\n",
        },
    )
    result = site.build()
    assert_ok(result)
    assert "excerpt_separator" not in result.stderr
    index = site.page("index.html")
    excerpt = r'<p class="post-excerpt">First paragraph\. Second, with (<span[^>]*>)?<math'
    assert re.search(excerpt, index)
    assert "One line and two.</p>" in index and "Written summary.</p>" in index
    assert "The rest" not in index and "After." not in index and "Text." not in index
    hugo = site.page("posts/hugo/index.html")
    assert hugo.count("&lt;!--more--&gt;") == 1  # the one in the code block
    assert "<!--more-->" not in hugo and "The rest of the post." in hugo
    assert 'content="First paragraph. Second, with eˣ."' in hugo
    jekyll = site.page("posts/jekyll/index.html")
    assert "end--" not in jekyll and "After." in jekyll
    assert "more--" not in site.page("posts/summary/index.html")


def test_jekyll_drafts_folder_and_undated_hidden_pages_are_drafts(tmp_path: Path) -> None:
    site = small_blog(
        tmp_path,
        {
            "posts/2024-01-01-kept.md": "---\ntitle: Kept\n---\nKept.\n",
            "posts/_drafts/a-draft-post.md": "---\ntitle: Work in progress\n---\nWIP.\n",
            "posts/_drafts/dated.md": "---\ntitle: Dated\ndate: 2024-02-01\n---\nD.\n",
            "posts/_other/x.md": "---\ntitle: X\ndate: 2024-02-01\n---\nX.\n",
            "posts/pages/about.md": "Title: About\nStatus: hidden\n\nThis is me.\n",
            "posts/undated.md": "---\ntitle: Undated\n---\nNo date.\n",
        },
    )
    result = site.build("--keep-going")
    assert result.code == 1, str(result)
    assert "posts/undated.md:1: front matter: missing required key 'date'" in result.stderr
    assert "about.md" not in result.stderr and "_drafts" not in result.stderr
    assert "left out 3 posts: 3 drafts" in result.stdout + result.stderr
    assert not (site.out / "posts/a-draft-post").exists() and not (site.out / "posts/x").exists()
    site.write("posts/undated.md", "---\ntitle: Undated\ndate: 2024-01-02\n---\nNo date.\n")
    shown = site.build("--drafts")
    assert_ok(shown)
    # The build's day, from SOURCE_DATE_EPOCH as every "now" of a build: the same bytes each day.
    today = datetime.fromtimestamp(EPOCH, UTC).date().isoformat()  # the site's zone is UTC
    assert f'datetime="{today}' in site.page("posts/a-draft-post/index.html")
    assert "This is me." in site.page("posts/about/index.html")
    assert "D." in site.page("posts/dated/index.html")
    assert not (site.out / "posts/x").exists()


def test_pelican_translation_is_left_out_and_its_original_kept(tmp_path: Path) -> None:
    header = "Title: {}\nDate: 2019-05-01\nSlug: bayes-rule\nLang: {}\n"
    # The translation sorts first: it used to take the slug and drop the original.
    translation = header.format("Bayes FR", "fr") + "Translation: true\n\nFR.\n"
    original = header.format("Bayes", "en") + "\nEN.\n"
    site = small_blog(
        tmp_path,
        {"posts/2019-05-01-a-bayes-fr.md": translation, "posts/2019-05-01-bayes.md": original},
    )
    result = site.build()
    assert_ok(result)
    assert "already used" not in result.stderr and "'lang'" not in result.stderr
    line = next(x for x in result.stderr.splitlines() if "translation" in x)
    assert line.startswith("posts/2019-05-01-a-bayes-fr.md:5: note: left out 1 translation")
    assert "EN." in site.page("posts/bayes-rule/index.html")
    assert "Bayes FR" not in site.page("index.html")


def test_papermod_cover_image_is_the_link_preview_image(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n"
    files = {
        "static/images/banner.png": png,
        "posts/bundle/cover.png": png,
        "posts/bundle/index.md": "---\ntitle: Bundle\ndate: 2024-01-01\n"
        "cover:\n  image: cover.png\n  alt: Clusters\n---\nB.\n",
        "posts/toml.md": '+++\ntitle = "T"\ndate = 2024-01-02\n'
        '[cover]\nimage = "/images/banner.png"\n+++\nT.\n',
        "posts/both.md": "---\ntitle: Both\ndate: 2024-01-03\nimage: /images/banner.png\n"
        "cover:\n  image: nowhere.png\n---\nBoth.\n",
        "posts/hidden.md": "---\ntitle: H\ndate: 2024-01-04\ncover:\n  hidden: true\n---\nH.\n",
    }
    site = small_blog(tmp_path, files, f'{NO_SEARCH}base_url = "https://example.org/"\n')
    result = site.build()
    assert_ok(result)
    bundle = site.page("posts/bundle/index.html")
    media = r'property="og:image" content="https://example.org/media/[0-9a-f]+-cover.png"'
    assert re.search(media, bundle)
    banner = 'property="og:image" content="https://example.org/images/banner.png"'
    assert banner in site.page("posts/toml/index.html")
    assert banner in site.page("posts/both/index.html")
    notes = [x for x in result.stderr.splitlines() if "'cover'" in x]
    assert len(notes) == 1 and notes[0].startswith("posts/hidden.md:")


def test_a_post_in_another_language_says_so_to_browsers_and_feed_readers(tmp_path: Path) -> None:
    files = {
        "posts/2024-01-01-hallo.md": "Title: Hallo Welt\nDate: 2024-01-01\nLang: de\n\nEin Text.\n",
        "posts/olá.md": "---\ntitle: Olá\ndate: 2024-01-02\nlang: pt_BR\n---\nUm texto.\n",
        "posts/hello.md": "---\ntitle: Hello\ndate: 2024-01-03\nlang: en\n---\nA text.\n",
        "posts/bad.md": "---\ntitle: Bad\ndate: 2024-01-04\nlang: German\n---\nText.\n",
    }
    site = small_blog(tmp_path, files)
    result = site.build("--keep-going")
    # A name where a code belongs is an error at its line; the other posts are built.
    assert result.code == 1
    assert (
        "posts/bad.md:4: front matter: 'lang' must be a language code such as fr or "
        "pt-BR, not 'German'" in result.stderr
    )
    german = site.page("posts/hallo/index.html")
    assert '<html lang="en">' in german  # one search index: the site's language stays on <html>
    assert '<h1 class="post-title" lang="de">' in german
    assert '<div class="post-body" lang="de">' in german
    assert '<div class="post-body">' in site.page("posts/hello/index.html")  # the site's own
    index = site.page("index.html")
    assert '<a href="/posts/ola/" lang="pt-BR">' in index
    assert '<a href="/posts/hello/">' in index
    feed = site.page("feed.xml")
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">' in feed
    assert feed.count('<entry xml:lang="de">') == 1 and feed.count('<entry xml:lang="pt-BR">') == 1


AL_FOLIO_BIB = """@book{bishop2006,
  title={Pattern Recognition and Machine Learning},
  author={Bishop, Christopher M.},
  publisher={Springer},
  year={2006}
}
@article{gregor2015draw,
  title={DRAW: A recurrent neural network for image generation},
  author={Gregor, Karol and Danihelka, Ivo},
  journal={arXiv preprint arXiv:1502.04623},
  year={2015}
}
"""

AL_FOLIO_POST = """---
layout: post
title: a post with math
date: 2015-10-20 11:12:00-0400
tags: formatting math
bibliography: papers.bib
toc:
  sidebar: left
---

## Theory

As shown by {% cite bishop2006 -l 23 %}, and in {% cite bishop2006 gregor2015draw %}.

{% include figure.liquid path="assets/img/12.png" caption="A caption for the figure." %}

<div class="row mt-3">
    {% include figure.liquid path="assets/img/12.png" class="img-fluid" %}
</div>

> ##### TIP
>
> A tip can be used when you want to give advice.
{: .block-tip }

## Practice

{% bibliography --cited %}
"""

DISTILL_POST = """---
layout: distill
title: a distill-style blog post
date: 2021-05-22
bibliography: papers.bib
toc:
  - name: Equations
  - name: Citations
---

## Citations

The `<d-cite>` tag: <d-cite key="gregor2015draw, bishop2006"></d-cite> inline.
A footnote.<d-footnote>This will become a
hoverable footnote.</d-footnote> And <d-math>x^2</d-math> math.

<d-code block language="javascript">
  var x = 25;
</d-code>
"""


def test_al_folio_posts_keep_their_citations_figures_callouts_and_distill_elements(
    tmp_path: Path,
) -> None:
    files = {
        "posts/papers.bib": AL_FOLIO_BIB,
        "posts/2015-10-20-math.md": AL_FOLIO_POST,
        "posts/2021-05-22-distill.md": DISTILL_POST,
        "static/assets/img/12.png": b"\x89PNG\r\n\x1a\n",
    }
    site = small_blog(tmp_path, files)
    result = site.build()
    assert result.code == 0, str(result)  # toc: as a mapping and as a list asks for contents
    math = site.page("posts/math/index.html")
    assert re.search(r"\(<a class=\"cite\"[^>]*>Bishop 2006</a>, p\. 23\)", math)
    assert math.count('href="#ref-bishop2006"') == 2 and 'href="#ref-gregor2015draw"' in math
    assert '<img src="/assets/img/12.png" alt="A caption for the figure."' in math
    assert "<figcaption>A caption for the figure.</figcaption>" in math
    warning_line(result, "posts/2015-10-20-math.md", 18, "inside raw HTML")
    assert 'class="callout callout-tip"' in math and "block-tip" not in math
    assert "{%" not in math.replace('{% include figure.liquid path="assets/img/12.png"', "")
    distill = site.page("posts/distill/index.html")
    assert 'href="#ref-gregor2015draw"' in distill and 'href="#ref-bishop2006"' in distill
    assert "<d-cite" not in distill.replace("<code>&lt;d-cite&gt;</code>", "")
    assert "<code>&lt;d-cite&gt;</code>" in distill  # inline code keeps what it shows
    assert re.search(r'class="sidenote"[^>]*>.*This will become a\s+hoverable footnote', distill)
    assert "<d-footnote>" not in distill and "<d-math>" not in distill and "<msup>" in distill
    assert '<span class="lemma-lang">JavaScript</span>' in distill
    assert '<span class="kd">var</span>' in distill and "&lt;d-code" not in distill


def test_an_image_mapping_of_chirpy_or_hugo_blox_is_the_link_preview_image(tmp_path: Path) -> None:
    files = {
        "static/img/banner.png": b"\x89PNG\r\n\x1a\n",
        "posts/2024-01-01-chirpy.md": "---\ntitle: Chirpy\ndate: 2024-01-01\nimage:\n"
        "  path: /img/banner.png\n  alt: A banner\n  lqip: data:image/webp;base64,Ukl\n---\nC.\n",
        "posts/blox/index.md": "---\ntitle: Blox\ndate: 2024-01-02\nimage:\n"
        "  caption: 'Image credit: Unsplash'\n  focal_point: Smart\n---\nB.\n",
        "posts/2024-01-03-list.md": "---\ntitle: List\ndate: 2024-01-03\nimage: [a, b]\n---\nL.\n",
    }
    site = small_blog(tmp_path, files, f'{NO_SEARCH}base_url = "https://example.org/"\n')
    result = site.build("--keep-going")
    banner = 'property="og:image" content="https://example.org/img/banner.png"'
    assert banner in site.page("posts/chirpy/index.html")
    assert "og:image" not in site.page("posts/blox/index.html")  # no file named: no image
    assert "'image' must be text, not a list" in result.stderr


def test_mkdocs_material_blog_dates_and_more_marker(tmp_path: Path) -> None:
    post = (
        "---\ndate:\n  created: 2023-12-31\n  updated: 2024-01-02\nauthors: [squidfunk]\n"
        "categories: [Hello]\n---\n\n# Hello world!\n\nThe excerpt, $e^{i\\pi} = -1$.\n\n"
        "<!-- more -->\n\nThe rest.\n"
    )
    site = small_blog(tmp_path, {"posts/hello-world.md": post})
    result = site.build()
    assert_ok(result)
    page = site.page("posts/hello-world/index.html")
    assert '<time datetime="2023-12-31' in page and 'datetime="2024-01-02' in page
    assert "<!-- more -->" not in page
    assert "The rest." not in site.page("index.html")


# --- Zola, Hexo, Eleventy, Obsidian ----------------------------------------------------------


@pytest.fixture(scope="module")
def zola(tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    return build_blog("zola", tmp_path_factory)


@pytest.fixture(scope="module")
def hexo(tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    return build_blog("hexo", tmp_path_factory)


@pytest.fixture(scope="module")
def eleventy(tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    return build_blog("eleventy", tmp_path_factory)


@pytest.fixture(scope="module")
def obsidian(tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    return build_blog("obsidian", tmp_path_factory)


def test_zola_taxonomies_internal_links_and_shortcodes(zola: BuiltBlog) -> None:
    assert_ok(zola.result)
    assert post_folders(zola) == ["bundle-post", "second-post", "what-is-zola"]
    assert b"ZOLA-DRAFT-TEXT" not in everything(zola)
    page = zola.page("posts/what-is-zola/index.html")
    for tag in ("rust", "ssg", "programming"):
        assert f'href="/tags/{tag}/"' in page
    assert 'href="/posts/second-post/#part-two"' in page
    assert 'href="/posts/bundle-post/"' in page and "@/blog" not in page
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert 'href="https://gist.github.com/Keats/e5fb6aad409f28721c0ba14161644c57"' in page
    assert "{{" not in page and "{%" not in page and "This is a note body shortcode." in page
    assert "'taxonomies'" not in zola.result.stderr and "'extra'" not in zola.result.stderr
    warning_line(zola.result, "posts/blog/first-post.md", 33, "Zola shortcode '{% note() %}'")
    assert 'url=/posts/what-is-zola/"' in zola.page("old/zola/index.html")


def test_hexo_dates_categories_and_tag_plugins(hexo: BuiltBlog) -> None:
    assert_ok(hexo.result)
    page = hexo.page("posts/hello-world/index.html")
    assert time_of(page) == "2013-07-13T20:46:25+00:00"
    assert 'href="/tags/diary/"' in page and 'href="/tags/ps3/"' in page
    nested = hexo.page("posts/nested-cats/index.html")
    assert 'href="/tags/playstation/"' in nested and 'href="/tags/games/"' in nested
    assert "<figcaption>A title</figcaption>" in page
    assert '<a href="/posts/hexo-asset/">the asset post</a>' in page
    assert '">the picture</a>' in page and "{%" not in page
    assert 'data-language="py"' in page and "shown not run" in page
    assert "— David Levithan, Wide Awake" in page and "A pull quote." in page
    assert 'class="callout callout-note"' in page and "A NexT note." in page
    assert "'mathjax'" not in hexo.result.stderr
    warning_line(hexo.result, "posts/hello-world.md", 28, "its title and link are not shown")


def test_eleventy_collection_tag_permalinks_and_excluded_pages(eleventy: BuiltBlog) -> None:
    assert_ok(eleventy.result)
    assert post_folders(eleventy) == ["first", "second"]
    assert b"ELEVENTY-HIDDEN-TEXT" not in everything(eleventy)
    first = eleventy.page("posts/first/index.html")
    assert 'href="/tags/math/"' in first and 'href="/tags/post/"' not in first
    assert 'href="/tags/posts/"' not in eleventy.page("posts/second/index.html")
    assert 'url=/posts/first/"' in eleventy.page("blog/first/index.html")
    assert "eleventyNavigation" not in eleventy.result.stderr


def test_obsidian_wikilinks_embeds_callouts_and_highlights(obsidian: BuiltBlog) -> None:
    assert_ok(obsidian.result)
    page = obsidian.page("posts/notes/index.html")
    assert '<a href="/posts/other-post/">the other one</a>' in page
    assert 'href="/posts/other-post/#heading">Other post &gt; Heading</a>' in page
    assert "<code>[[Other post]]</code>" in page and "<code>==x==</code>" in page
    assert page.count('alt="pic.png"') == 2 and "[[" not in page.replace("<code>[[", "")
    assert '<details class="callout callout-tip">' in page
    assert '<summary class="callout-title">Folded title</summary>' in page
    assert '<details class="callout callout-note" open>' in page
    assert ">Summary</p>" in page and "[!" not in page
    assert "<mark>highlighted</mark>" in page and "hidden comment" not in page
    assert "block comment" not in page
    assert 'href="/tags/math/"' in page
    warning_line(obsidian.result, "posts/notes.md", 14, "the size in Obsidian's '![[pic.png|300]]'")


# --- MkDocs Material ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mkdocs(tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    return build_blog("mkdocs", tmp_path_factory)


def test_mkdocs_blog_builds_with_authors_slug_readtime_and_its_draft_left_out(
    mkdocs: BuiltBlog,
) -> None:
    assert_ok(mkdocs.result)
    assert post_folders(mkdocs) == ["blocks", "gradient-descent-tour"]
    assert b"UNFINISHED-MKDOCS-TEXT" not in everything(mkdocs)
    page = mkdocs.page("posts/gradient-descent-tour/index.html")
    assert '<span class="post-author">Ada Okafor and Grace Lin</span>' in page
    assert "12 min read" in page and 'href="/tags/optimisation/"' in page
    index = mkdocs.page("index.html")
    assert index.index("/posts/blocks/") < index.index("/posts/gradient-descent-tour/")  # pinned


def test_mkdocs_emoji_marks_keys_and_critic_markup(mkdocs: BuiltBlog) -> None:
    page = mkdocs.page("posts/gradient-descent-tour/index.html")
    assert "Training is fun &#x1F604; and fast &#x1F680;, even at 12:30:45" in page
    assert "<code>:smile:</code>" in page
    assert "<mark>the learning rate</mark>" in page and "<ins>the</ins>" in page
    assert "<kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>S</kbd>" in page
    assert '<del class="critic">fixed</del><ins class="critic">corrected</ins>' in page
    assert ":material-check-bold:" not in page
    warning_line(mkdocs.result, "posts/gradient-descent.md", 17, "icon :material-check-bold:")


def test_mkdocs_snippets_are_read_from_the_blogs_folder(mkdocs: BuiltBlog) -> None:
    page = mkdocs.page("posts/gradient-descent-tour/index.html")
    assert "These notes are drafts.\nThey come with no warranty.</p>" in page
    assert "<p>--8&lt;-- &#34;includes/disclaimer.md&#34;</p>" in page  # the escaped line
    assert "Thanks to the reviewers for INCLUDED-SECTION-TEXT." in page
    assert '<span class="nf">loss</span>' in page  # the code file, shown in its block
    assert '<abbr title="Stochastic Gradient Descent">SGD</abbr>' in page
    warning_line(
        mkdocs.result, "posts/gradient-descent.md", 52, "snippets of includes/loss.py are shown"
    )


def test_mkdocs_annotations_grids_figures_and_buttons(mkdocs: BuiltBlog) -> None:
    page = mkdocs.page("posts/gradient-descent-tour/index.html")
    assert '<span class="c1"># (1)</span>' in page and "(1)!" not in page
    assert "<li>The weights start at zero.</li>" in page
    assert '<div class="grid cards">' in page and "<strong>Convex</strong>" in page
    assert 'alt="The loss curve" title="The loss falls"' in page
    assert "<figcaption>The loss falls</figcaption>" in page
    assert 'class="md-button md-button--primary">Download the data</a>' in page
    assert "{ .md-button" not in page


def test_mkdocs_blocks_syntax(mkdocs: BuiltBlog) -> None:
    page = mkdocs.page("posts/blocks/index.html")
    assert 'callout-title" id="callout-1-title">A <em>titled</em> note</p>' in page
    assert '<details class="callout callout-tip" open>' in page
    assert '<p class="tab-label">NumPy</p>' in page and '<div class="tab" data-selected>' in page
    assert "<figcaption>The training loss</figcaption>" in page
    assert "<caption>Losses by step</caption>" in page
    assert '<div id="final" class="result">' in page
    assert "<dt>Learning rate</dt>" in page
    assert '<summary class="callout-title">Why does it converge?</summary>' in page
    assert "///" not in page
    warning_line(mkdocs.result, "posts/blocks.md", 61, "'/// sidebar' block is not one Lemma reads")


# --- R Markdown (blogdown, distill, bookdown) ------------------------------------------------


@pytest.fixture(scope="module")
def rmarkdown(tmp_path_factory: pytest.TempPathFactory) -> BuiltBlog:
    return build_blog("rmarkdown", tmp_path_factory)


def test_rmarkdown_blog_builds_its_rmd_and_rmarkdown_posts(rmarkdown: BuiltBlog) -> None:
    assert_ok(rmarkdown.result)
    assert post_folders(rmarkdown) == ["bookdown-post", "distill-post", "gradient-descent"]
    assert b"RMD-DRAFT-TEXT" not in everything(rmarkdown)
    assert "not read" not in rmarkdown.result.stderr


def test_blogdown_post_front_matter_chunks_and_prose(rmarkdown: BuiltBlog) -> None:
    page = rmarkdown.page("posts/gradient-descent/index.html")
    assert time_of(page) == "2024-03-01T00:00:00+00:00"
    for tag in ("optimisation", "python", "knitr"):
        assert f'href="/tags/{tag}/"' in page
    assert 'content="A blogdown post whose Python chunks run in Lemma."' in page
    assert 'class="toc' in page and "1 Setup" in page
    assert "STEP 0.5" in page and "Figure 1: The loss falls" in page
    assert "SHOWN-WITHOUT-CODE" in page and "INCLUDE-FALSE-OUTPUT" not in page
    assert "<strong>ASIS-BOLD</strong>" in page and "R_SETUP_HIDDEN" not in page
    assert "Cauchy" in page and "A footnote of the blogdown post." in page
    assert '<div class="note">' in page and "BASH-NOT-RUN" in page
    assert 'href="#fig-loss" data-lemma-card="fig-loss">1<' in page
    stderr = rmarkdown.result.stderr
    assert "'output'" not in stderr and "link-citations" not in stderr
    index = "posts/2024-03-01-blogdown-post/index.Rmd"
    warning_line(rmarkdown.result, index, 18, "R Markdown's {r} chunk is not run")
    warning_line(rmarkdown.result, index, 22, "inline R code `r 6 * 7` cannot run")
    warning_line(rmarkdown.result, index, 35, "knitr option 'fig.width=6'")
    warning_line(rmarkdown.result, index, 65, "R Markdown's {bash} chunk is not run")


def test_distill_article_authors_preview_aside_and_folded_code(rmarkdown: BuiltBlog) -> None:
    page = rmarkdown.page("posts/distill-post/index.html")
    assert "Grace Hopper and Alan Turing" in page and "DISTILL-DESCRIPTION" in page
    assert 'og:image" content="https://rmd.example.org/media/' in page
    assert '<div class="margin-note">' in page and "<strong>bold</strong>" in page
    assert "<details" in page and "FOLDED-OUTPUT" in page and 'class="toc' in page
    warning_line(rmarkdown.result, "posts/distill-post.Rmd", 18, "'self_contained: false'")


def test_bookdown_cross_references_numbers_and_text_references(rmarkdown: BuiltBlog) -> None:
    page = rmarkdown.page("posts/bookdown-post/index.html")
    assert 'href="#sec-intro" data-lemma-card="sec-intro">1<' in page
    assert 'href="#fig-wave" data-lemma-card="fig-wave">1<' in page
    assert 'href="#tbl-planets" data-lemma-card="tbl-planets">1<' in page
    assert '(<a class="eqref" href="#eq-energy">1</a>)' in page
    assert "Figure 1: A WAVE-CAPTION from a text reference." in page
    assert "Table 1: PLANETS-CAPTION." in page
    assert '<h1 class="unnumbered" id="unnumbered">' in page and "{-}" not in page
    assert '<div class="theorem theorem-thm" id="thm-pyth">' in page
    assert 'href="#thm-pyth" data-lemma-card="thm-pyth">1<' in page
