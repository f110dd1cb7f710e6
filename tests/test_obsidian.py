"""Obsidian's wikilinks, embeds, highlights, comments and callouts in a real build."""

from __future__ import annotations

import hashlib
from pathlib import Path

from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, warning_line

PNG = b"\x89PNG\r\n\x1a\n"

VAULT_NOTE = """---
title: Vault
date: 2022-01-01
---

## Start here

[[Linear maps#Kernel and image]], [[#Start here|back up]], [[Missing note]], [[data.csv]].

[[Linear maps#^a1b2c3|that line]]

![[Linear maps]]

![[figures/plot.png|A plot]]

Key: ==the rank== %%TODO-HIDDEN%% counts, as Iverson's $[[r > 0]]$ does.

%%
SECRET-DRAFT-PARAGRAPH
%%

> [!example]+ Case $n = 1$
> Shown, but foldable.

> [!theorem]
> A type of the author's own.

> [!warning] Outer
> Outer text.
> > [!info] Inner
> > INNER text.
"""


def test_obsidian_vault_note_links_embeds_and_comments(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/.obsidian/app.json", "{}\n")  # a vault: types of its own are callouts
    site.write("posts/Vault.md", VAULT_NOTE)
    site.write(
        "posts/Linear maps.md",
        "---\ntitle: L\ndate: 2021-01-01\n---\n\n## Kernel and image\n\n"
        "The kernel is a subspace. ^a1b2c3\n\n- a list\n\n^list-id\n\n$x ^2$ and `y ^3`\n",
    )
    site.write("posts/figures/plot.png", PNG)
    site.write("posts/data.csv", "a,b\n")
    result = site.build("--keep-going")
    page = site.page("posts/vault/index.html")
    assert (
        'href="/posts/linear-maps/#kernel-and-image">Linear maps &gt; Kernel and image</a>' in page
    )
    assert '<a href="#start-here">back up</a>' in page
    error_line(result, "posts/Vault.md", 8, "broken link: no post for [[Missing note]]")
    assert ">data.csv</a>" in page
    assert page.count("The kernel is a subspace.") == 1  # ![[Linear maps]]: its text
    # a block reference leads to the block, whose identifier is an anchor, not text
    assert '<a href="/posts/linear-maps/#^a1b2c3">that line</a>' in page
    maps = site.page("posts/linear-maps/index.html")
    assert '<p>The kernel is a subspace. <span id="^a1b2c3"></span></p>' in maps
    assert '<div id="^list-id"></div>' in maps and "^list-id<" not in maps
    assert "<code>y ^3</code>" in maps and "<msup>" in maps  # code and math as written
    assert 'alt="A plot"' in page
    assert page.count("wikilink") == 1  # the missing note's; Iverson's bracket is math
    assert "<mark>the rank</mark>" in page and "TODO-HIDDEN" not in page
    assert "SECRET-DRAFT-PARAGRAPH" not in page and "%%" not in page
    assert '<details class="callout callout-note" open>' in page
    assert '<summary class="callout-title">Case <math' in page
    assert ">Theorem</p>" in page and "[!theorem]" not in page
    outer = page.index('<p class="callout-title" id="callout-3-title">Outer</p>')
    inner = page.index('<p class="callout-title" id="callout-4-title">Inner</p>')
    assert outer < inner < page.index("INNER text.") and "[!info]" not in page


QUOTES = """---
title: Quotes
date: 2022-01-02
---

> [!theorem]
> A type of no tool.

> [!NOTE]
> GitHub's.

> [!faq]- Why?
> Obsidian's, folded.

> \\[!aside]
> Escaped: a quote.

> [!warning] Outer
> > [!lemma]- Zorn
> > Nested.
"""


def test_a_quote_of_an_unknown_type_outside_a_vault_is_a_quote_with_a_warning(
    tmp_path: Path,
) -> None:
    # Every `> [!anything]` was a callout, in any blog: a Jekyll post's quote that began with
    # `[!sic]` lost its words; GitHub shows it as a quote.
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/quotes.md", QUOTES)
    result = site.build()
    page = site.page("posts/quotes/index.html")
    assert "<blockquote>\n<p>[!theorem]\nA type of no tool.</p>" in page
    assert "<p>[!lemma]- Zorn\nNested.</p>" in page
    assert '<div class="callout callout-note"' in page  # GitHub's NOTE
    assert '<summary class="callout-title">Why?</summary>' in page  # Obsidian's faq
    assert '<p class="callout-title" id="callout-3-title">Outer</p>' in page
    assert "<p>[!aside]\nEscaped: a quote.</p>" in page
    theorem = warning_line(result, "posts/quotes.md", 6, "'[!theorem]' is no callout type")
    assert "the quote is shown as written" in theorem
    warning_line(result, "posts/quotes.md", 19, "'[!lemma]' is no callout type")
    assert "[!NOTE], [!TIP], [!WARNING], [!IMPORTANT], [!CAUTION]" in theorem  # its hint
    assert "[!faq]" in theorem and "Obsidian vault" in theorem and "\\[!theorem]" in theorem
    assert result.stderr.count("is no callout type") == 2  # not the escaped one


def test_in_a_vault_a_type_of_its_own_is_a_note_titled_by_its_type(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write(".obsidian/app.json", "{}\n")
    site.write("posts/quotes.md", QUOTES)
    result = site.build()
    assert_ok(result)
    assert "no callout type" not in result.stderr
    page = site.page("posts/quotes/index.html")
    assert '<p class="callout-title" id="callout-1-title">Theorem</p>' in page
    assert '<details class="callout callout-note">' in page  # [!lemma]-: folded
    assert '<summary class="callout-title">Zorn</summary>' in page
    assert "[!theorem]" not in page and "[!lemma]" not in page


def _media(content: bytes, name: str) -> str:
    """The media file a picture of these bytes is published as (`render.media`)."""
    return f"/media/{hashlib.sha256(content).hexdigest()[:16]}-{name}"


EMBEDS = """---
title: Embeds
date: 2022-02-01
---

![[plot.png]]

![[plot.png|300]]

![[sub/chart.png]]

![[Diagram.PNG]]

![[here.png]]

[[data.csv]]

![[missing.png]]

![[dup.png]]

![[../../../secret.png]]

![[./nearby.png]]
"""


def test_obsidian_embeds_are_found_in_the_vault_and_missing_ones_said(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "blog")
    site.write("site.toml", NO_SEARCH)
    site.write("posts/.obsidian/app.json", '{"attachmentFolderPath": "attachments"}')
    site.write("posts/notes/Embeds.md", EMBEDS)
    site.write("posts/Other.md", "---\ntitle: Other\ndate: 2022-01-01\n---\n\nText.\n")
    files = {
        "posts/attachments/plot.png": PNG + b"plot",
        "posts/figures/sub/chart.png": PNG + b"chart",
        "posts/drawings/diagram.png": PNG + b"diagram",
        "posts/notes/here.png": PNG + b"here",  # beside the note: it, not the other one
        "posts/attachments/here.png": PNG + b"not this here",
        "posts/attachments/data.csv": b"a,b\n",
        "posts/a/dup.png": PNG + b"a",
        "posts/old/dup.png": PNG + b"old",
    }
    for path, content in files.items():
        site.write(path, content)
    (tmp_path / "secret.png").write_bytes(PNG + b"OUTSIDE-BYTES")  # outside the blog's folder
    result = site.build("--keep-going")
    page = site.page("posts/embeds/index.html")
    assert page.count(_media(files["posts/attachments/plot.png"], "plot.png")) == 2
    warning_line(result, "posts/notes/Embeds.md", 8, "the size in Obsidian's '![[plot.png|300]]'")
    assert _media(files["posts/figures/sub/chart.png"], "chart.png") in page
    assert _media(files["posts/drawings/diagram.png"], "diagram.png") in page  # case aside
    assert _media(files["posts/notes/here.png"], "here.png") in page
    assert _media(files["posts/attachments/data.csv"], "data.csv") in page
    missing = error_line(result, "posts/notes/Embeds.md", 18, "'![[missing.png]]' names no file")
    assert "beside the note (posts/notes/)" in missing
    assert "attachment folder of posts/.obsidian/app.json (posts/attachments/)" in missing
    assert "and everywhere in the blog" in missing
    assert "copy missing.png from the vault to posts/attachments/missing.png" in missing
    twice = error_line(result, "posts/notes/Embeds.md", 20, "'![[dup.png]]' could be any of")
    assert "posts/a/dup.png, posts/old/dup.png" in twice
    assert "![[a/dup.png]] or ![[old/dup.png]]" in twice
    error_line(result, "posts/notes/Embeds.md", 22, "names a file outside the blog's folder")
    nearby = error_line(result, "posts/notes/Embeds.md", 24, "beside the note (posts/notes/)")
    assert "everywhere" not in nearby and "to posts/notes/nearby.png" in nearby  # `./`: only there
    published = b"".join(p.read_bytes() for p in site.out.rglob("*") if p.is_file())
    assert b"OUTSIDE-BYTES" not in published and b"not this here" not in published
    assert page.count('class="missing-media"') == 4
    assert "Text." in site.page("posts/other/index.html")  # the other posts still build


def test_obsidian_attachment_folder_beside_the_note_follows_app_json(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    settings = site.write(".obsidian/app.json", '{"attachmentFolderPath": "images"}')
    # The same body in both: each note's picture is found from its own folder.
    note = "---\ntitle: {0}\ndate: 2022-01-0{1}\n---\n\n![[fig.png]]\n"
    site.write("posts/one/One.md", note.format("One", 1))
    site.write("posts/two/Two.md", note.format("Two", 2))
    shared, one, two = PNG + b"shared", PNG + b"one", PNG + b"two"
    site.write("images/fig.png", shared)  # the vault is the blog's folder: /images
    site.write("posts/one/assets/fig.png", one)
    site.write("posts/two/assets/fig.png", two)
    first = site.build()
    assert first.code == 0, str(first)
    assert _media(shared, "fig.png") in site.page("posts/one/index.html")
    assert _media(shared, "fig.png") in site.page("posts/two/index.html")
    settings.write_text('{"attachmentFolderPath": "./assets"}', encoding="utf-8")
    second = site.build()
    assert second.code == 0, str(second)
    assert _media(one, "fig.png") in site.page("posts/one/index.html")
    assert _media(two, "fig.png") in site.page("posts/two/index.html")


def test_obsidian_note_and_heading_embeds_show_their_text(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/.obsidian/app.json", '{"attachmentFolderPath": "./img"}')
    site.write(
        "posts/topics/Eigen.md",
        "---\ntitle: Eigen\ndate: 2022-01-01\n---\n\nINTRO text.\n\n"
        "## Definition\n\nAn eigenvector: $Av = \\lambda v$. ^def\n\n![[eigen.png]]\n\n"
        "### Example\n\nEXAMPLE text.\n\n## History\n\nHISTORY text.\n",
    )
    picture = site.write("posts/topics/img/eigen.png", PNG + b"eigen")
    site.write(
        "posts/Notes.md",
        "---\ntitle: Notes\ndate: 2022-02-01\n---\n\n![[Eigen#Definition]]\n\n"
        "![[Eigen#No such heading]]\n\n[[Missing]]\n",
    )
    first = site.build("--keep-going")
    page = site.page("posts/notes/index.html")
    assert "<p>An eigenvector: <span" in page and "EXAMPLE text." in page
    assert "HISTORY text." not in page and "INTRO text." not in page
    assert _media(picture.read_bytes(), "eigen.png") in page  # from the note's own folder
    assert 'id="^def"' not in page  # the anchor is the note's, on its own page
    warning_line(first, "posts/Notes.md", 8, "'![[Eigen#No such heading]]' shows no text here")
    error_line(first, "posts/Notes.md", 10, "no post for [[Missing]]")  # later lines keep theirs
    note = site.root / "posts/topics/Eigen.md"
    note.write_text(note.read_text("utf-8").replace("EXAMPLE", "EDITED"), encoding="utf-8")
    site.build("--keep-going")
    assert "EDITED text." in site.page("posts/notes/index.html")  # the embedding post follows


def test_obsidian_block_embeds_and_images_in_tables_with_alt_and_size(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write(
        "posts/Lemmas.md",
        "---\ntitle: Lemmas\ndate: 2022-01-01\n---\n\nOTHER paragraph.\n\n"
        "FIRST line of the lemma\nand its SECOND line. ^lemma-1\n\n- LIST item\n\n^the-list\n",
    )
    picture = site.write("posts/img/plot.png", PNG + b"plot")
    site.write(
        "posts/Notes.md",
        "---\ntitle: Notes\ndate: 2022-02-01\n---\n\n![[Lemmas#^lemma-1]]\n\n"
        "![[Lemmas#^the-list]]\n\n| Plot | Name |\n|---|---|\n"
        "| ![[plot.png\\|A plot\\|300]] | [[Lemmas\\|the lemmas]] |\n\n![[plot.png|Alt|400]]\n",
    )
    result = site.build()
    assert result.code == 0, str(result)
    page = site.page("posts/notes/index.html")
    assert "<p>FIRST line of the lemma\nand its SECOND line.</p>" in page
    assert "<li>LIST item</li>" in page and "OTHER" not in page and "^" not in page
    cell = f'<td><img src="{_media(picture.read_bytes(), "plot.png")}" alt="A plot"'
    assert cell in page and '<td><a href="/posts/lemmas/">the lemmas</a></td>' in page
    assert page.count('alt="Alt"') == 1
    warning_line(result, "posts/Notes.md", 14, "the size in Obsidian's '![[plot.png|Alt|400]]'")
