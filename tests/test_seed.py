"""The seed article builds as it stands: one precise SyntaxError; eval: false fixes it."""

from __future__ import annotations

import re
from pathlib import Path

from site_support import FIXTURES, run_lemma

SEED = (FIXTURES / "seed" / "seed-post.md").read_text(encoding="utf-8")
POST = "posts/2025-12-20-beautiful-math.md"


def _site(tmp_path: Path, text: str) -> Path:
    (tmp_path / "posts").mkdir()
    (tmp_path / POST).write_text(text, encoding="utf-8")
    return tmp_path


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_seed_article_fails_with_one_syntax_error_at_its_regularization_line(
    tmp_path: Path,
) -> None:
    site = _site(tmp_path, SEED)
    line = _line_of(SEED, "loss = mse_loss + λ * sum(w²)")

    result = run_lemma("build", "--root", site, cwd=site)

    assert result.returncode == 1
    assert "Traceback (most recent call last)" not in result.stderr
    lines = result.stderr.splitlines()
    errors = [e for e in lines if re.match(rf"{re.escape(POST)}:\d+", e)]
    assert errors == [f"{POST}:{line}:28: SyntaxError: invalid character '²' (U+00B2)"]
    assert not (site / "_site").exists()


def test_seed_article_builds_when_its_pseudo_code_is_marked_eval_false(tmp_path: Path) -> None:
    marked = SEED.replace(
        "```python\n# L2 Regularization", "```python\n#| eval: false\n# L2 Regularization"
    )
    site = _site(tmp_path, marked)

    result = run_lemma("build", "--root", site, cwd=site)

    assert result.returncode == 0, result.stderr
    page = (site / "_site/posts/beautiful-math/index.html").read_text(encoding="utf-8")
    # The other snippets ran (executed markup) and the pseudo-code is shown without its option line.
    assert page.count("lemma-snippet--executed") == 4
    text = re.sub(r"<[^>]+>", "", page)
    assert "loss = mse_loss + λ * sum(w²)" in text
    assert "#| eval" not in text
    assert "<math" in page or "∂L/∂w" in page
