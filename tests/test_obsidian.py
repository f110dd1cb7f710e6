"""Obsidian's wikilinks, embeds, highlights, comments and callouts in a real build."""

from __future__ import annotations

from pathlib import Path

from site_support import NO_SEARCH, SiteDir, error_line, warning_line

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
"""


def test_obsidian_vault_note_links_embeds_and_comments(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/Vault.md", VAULT_NOTE)
    site.write(
        "posts/Linear maps.md", "---\ntitle: L\ndate: 2021-01-01\n---\n\n## Kernel and image\n"
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
    warning_line(result, "posts/Vault.md", 12, "Obsidian's embed '![[Linear maps]]'")
    warning_line(result, "posts/Vault.md", 10, "block reference in '[[Linear maps#^a1b2c3")
    assert '<a href="/posts/linear-maps/">that line</a>' in page
    assert 'alt="A plot"' in page
    assert page.count("wikilink") == 1  # the missing note's; Iverson's bracket is math
    assert "<mark>the rank</mark>" in page and "TODO-HIDDEN" not in page
    assert "SECRET-DRAFT-PARAGRAPH" not in page and "%%" not in page
    assert '<details class="callout callout-note" open>' in page
    assert '<summary class="callout-title">Case <math' in page
    assert ">Theorem</p>" in page and "[!theorem]" not in page
