"""Material's annotations and lone attribute lists (`load.annotations`)."""

from __future__ import annotations

from lemma.load.annotations import rewrite_annotations


def test_a_code_marker_reads_as_its_number() -> None:
    body = "```python\nx = 1  # (1)!\ny = 2  # (2)\n```\n\n1.  One.\n2.  Two.\n"
    assert rewrite_annotations(body) == body.replace("# (1)!", "# (1)")


def test_a_lone_attribute_list_under_a_paragraph_goes() -> None:
    body = "Lorem (1) ipsum.\n{ .annotate }\n\n1.  A note.\n"
    assert rewrite_annotations(body) == "Lorem (1) ipsum.\n\n\n1.  A note.\n"


def test_braces_that_are_no_attribute_list_stay() -> None:
    body = "Sets:\n{ a, b }\n\n{ .annotate }\n\n```text\n{ .x }\n```\n"
    assert rewrite_annotations(body) == body
