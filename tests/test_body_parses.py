"""A build's parses: each post's body parsed once, held small between the stages that read it."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from lemma.parse import BodyParses, parse_body

FIXTURES = Path(__file__).parent / "fixtures"
WRITTEN = sorted(
    p for p in FIXTURES.rglob("*") if p.suffix in {".md", ".qmd", ".Rmd", ".markdown", ".txt"}
)


@pytest.mark.parametrize("path", WRITTEN, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_a_parse_held_while_other_posts_load_comes_back_as_parsed(path: Path) -> None:
    body = path.read_text(encoding="utf-8")
    parses = BodyParses()
    parses.tokens(body, "posts/a.md")
    parses.tokens("Another *post*, loaded after it.\n", "posts/b.md")
    assert parses.holds(body, "posts/a.md")
    assert parses.tokens(body, "posts/a.md") == parse_body(body)


def test_a_stage_asking_twice_gets_the_tokens_it_marked() -> None:
    parses = BodyParses()
    tokens = parses.tokens("A [link](other.md).\n", "posts/a.md")
    tokens[1].meta["seen"] = True  # as render marks the tokens it resolved
    assert parses.tokens("A [link](other.md).\n", "posts/a.md")[1].meta == {"seen": True}


def test_a_forgotten_parse_is_no_longer_held() -> None:
    parses = BodyParses()
    parses.tokens("One.\n", "posts/a.md")
    parses.tokens("Two.\n", "posts/b.md")
    parses.forget("One.\n", "posts/a.md")
    parses.forget("Two.\n", "posts/b.md")
    assert not parses.holds("One.\n", "posts/a.md")
    assert not parses.holds("Two.\n", "posts/b.md")


def test_the_parses_of_many_posts_take_about_the_memory_of_their_bodies() -> None:
    # what a cold build holds at the end of loading: every post parsed, none rendered yet
    base = (FIXTURES / "seed" / "seed-post.md").read_text(encoding="utf-8")
    bodies = [f"# Post {n}\n\nIts own words: {n * 7919}.\n\n{base}" for n in range(100)]
    parses = BodyParses()
    parse_body(base)  # markdown-it's own setup is made once, not per post
    tracemalloc.start()
    try:
        for n, body in enumerate(bodies):
            parses.tokens(body, f"posts/{n}.md")
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 2 * sum(len(body.encode()) for body in bodies)  # the tokens: 17 times
