"""kramdown's attribute lists, as Jekyll themes (Chirpy, al-folio) write them, line for line."""

from __future__ import annotations

from lemma.load.kramdown import rewrite_kramdown


def test_callout_classes_after_a_quote_make_callouts() -> None:
    body = (
        "Intro.\n\n> ##### WARNING\n>\n> Mind the step.\n{: .block-warning }\n\n"
        "> An example showing the `info` type prompt.\n{: .prompt-info }\n"
    )
    rewritten = rewrite_kramdown(body)
    assert rewritten.count("\n") == body.count("\n")
    lines = rewritten.split("\n")
    assert lines[2] == "> [!WARNING]" and lines[5] == ""
    assert lines[6:9] == ["> [!NOTE]", "> An example showing the `info` type prompt.", ""]


def test_a_callout_with_its_own_title_keeps_it_under_the_marker() -> None:
    body = "Text.\n\n> ##### Watch the learning rate\n>\n> Too large diverges.\n"
    body += "{: .block-danger }\n"
    lines = rewrite_kramdown(body).split("\n")
    assert lines[1:4] == ["> [!CAUTION]", "> ##### Watch the learning rate", ">"]
    # No line free for the marker: the quote stays a quote, its list removed.
    assert rewrite_kramdown("> ##### Careful\n> Text.\n{: .prompt-tip }\n") == (
        "> ##### Careful\n> Text.\n\n"
    )


def test_other_lists_are_removed_and_code_and_toc_markers_kept() -> None:
    body = (
        "# H1\n{: .mt-4 .mb-0 }\n\nHere `/a/b`{: .filepath} and `{: .kept }`.\n\n"
        "```bash\necho hi\n{: .inside }\n```\n{: file='/path/to/file' .nolineno }\n\n"
        "* TOC\n{:toc}\n"
    )
    lines = rewrite_kramdown(body).split("\n")
    assert lines[1] == "" and lines[3] == "Here `/a/b` and `{: .kept }`."
    assert lines[5:9] == ["```bash", "echo hi", "{: .inside }", "```"] and lines[9] == ""
    assert lines[11:13] == ["* TOC", "{:toc}"]


def test_an_italic_line_under_a_lone_image_is_its_caption() -> None:
    body = (
        '![Desktop View](/img/a.png){: width="972" height="589" }\n_Full screen width_\n\n'
        "![B](/img/b.png)\nplain text\n"
    )
    lines = rewrite_kramdown(body).split("\n")
    assert lines[0:2] == ['![Desktop View](/img/a.png "Full screen width")', ""]
    assert lines[3:5] == ["![B](/img/b.png)", "plain text"]


def test_a_caption_line_needs_no_attribute_list_in_the_post() -> None:
    assert rewrite_kramdown("![A](a.png)\n*A caption*\n") == '![A](a.png "A caption")\n\n'
    assert rewrite_kramdown("Text\n*not a caption*\n") == "Text\n*not a caption*\n"


def test_a_minimal_mistakes_notice_under_a_paragraph_makes_it_a_callout() -> None:
    body = (
        "Intro.\n\n**Watch out!** The evidence\nmust not be zero.\n{: .notice--danger}\n\n"
        "A plain one.\n{: .notice}\n\nFirst line.\n{: .notice--info}\n"
    )
    rewritten = rewrite_kramdown(body)
    assert rewritten.count("\n") == body.count("\n")
    lines = rewritten.split("\n")
    assert lines[1:5] == [
        "> [!CAUTION]",
        "> **Watch out!** The evidence",
        "> must not be zero.",
        "",
    ]
    assert lines[5:8] == ["> [!NOTE]", "> A plain one.", ""]
    assert lines[8:10] == ["> [!NOTE]", "> First line."]
    # A paragraph that opens the body has no line free for the marker: it stays a paragraph.
    assert rewrite_kramdown("Top.\n{: .notice--info}\n") == "Top.\n\n"


def test_just_the_docs_callouts_before_a_paragraph_or_a_titled_quote() -> None:
    body = (
        "{: .note }\nA chain forgets\nits past.\n\n{: .warning }\n> Periodic.\n\n"
        "{: .important-title }\n> Stationary distribution\n>\n> It solves $\\pi P = \\pi$.\n\n"
        "{: .mt-4 }\nPlain.\n"
    )
    rewritten = rewrite_kramdown(body)
    assert rewritten.count("\n") == body.count("\n")
    lines = rewritten.split("\n")
    assert lines[0:4] == ["> [!NOTE]", "> A chain forgets", "> its past.", ""]
    assert lines[4:6] == ["> [!WARNING]", "> Periodic."]
    assert lines[7:9] == ["", "> [!IMPORTANT] Stationary distribution"]
    assert lines[12:14] == ["", "Plain."]


def test_texts_alert_classes_under_a_paragraph_make_callouts() -> None:
    body = "Intro.\n\n**Success Text.**\n{:.success}\n\nError text.\n{:.error}\n"
    lines = rewrite_kramdown(body).split("\n")
    assert lines[1:4] == ["> [!TIP]", "> **Success Text.**", ""]
    assert lines[4:7] == ["> [!CAUTION]", "> Error text.", ""]
