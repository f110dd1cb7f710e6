"""Templates compiled ahead in another process: used when their source is unchanged, the same
pages either way, and a template's mistake still reported by the build at its file:line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from lemma.config import load_config
from lemma.pipeline import build_site
from lemma.templates import CompiledAhead, compile_ahead, environment
from serve_support import wait_until
from site_support import SiteDir, assert_ok, post, snapshot

PAGE = "{% extends 'base.html' %}{% block body %}<p>{{ text | upper }}</p>{% endblock %}\n"
BASE = "<main>{% block body %}{% endblock %}</main>\n"


def compiled_ahead(tmp_path: Path, templates: dict[str, str]) -> tuple[list[Path], CompiledAhead]:
    """A folder of `templates`, once the other process has sent everything it compiled."""
    folder = tmp_path / "templates"
    for name, text in templates.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    ahead = compile_ahead([folder])
    wait_until(ahead.finished, "the other process's templates")
    return [folder], ahead


def counting_compiles(env: jinja2.Environment, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates `env` compiles itself from now on."""
    compiled: list[str] = []
    own = env.compile

    def compile_here(source: str, name: str | None = None, filename: str | None = None) -> object:
        compiled.append(str(name))
        return own(source, name, filename)

    monkeypatch.setattr(env, "compile", compile_here)
    return compiled


def test_templates_compiled_ahead_are_used_and_render_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folders, ahead = compiled_ahead(tmp_path, {"post.html": PAGE, "base.html": BASE})
    env = environment(folders)
    assert env.bytecode_cache is ahead
    compiled = counting_compiles(env, monkeypatch)
    shown = env.get_template("post.html").render(text="an edit")
    assert compiled == []
    assert shown == environment(folders).get_template("post.html").render(text="an edit")
    assert shown == "<main><p>AN EDIT</p></main>\n"


def test_a_template_edited_since_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folders, _ = compiled_ahead(tmp_path, {"post.html": PAGE, "base.html": BASE})
    (folders[0] / "post.html").write_text(PAGE.replace("<p>", "<p class='new'>"), "utf-8")
    env = environment(folders)
    compiled = counting_compiles(env, monkeypatch)
    assert env.get_template("post.html").render(text="x") == "<main><p class='new'>X</p></main>\n"
    assert compiled == ["post.html"]  # base.html came from the other process


def test_a_template_with_a_mistake_is_left_to_the_build(tmp_path: Path) -> None:
    broken = "<p>\n{% endfor %}\n</p>\n"  # an endfor with no for, on line 2
    folders, _ = compiled_ahead(tmp_path, {"post.html": broken, "base.html": BASE})
    with pytest.raises(jinja2.TemplateSyntaxError) as raised:
        environment(folders).get_template("post.html")
    assert raised.value.lineno == 2


def test_a_build_with_templates_compiled_ahead_writes_the_same_site(
    make_site: Callable[..., SiteDir],
) -> None:
    # `lemma build` compiles ahead on two cores and more; build_site called here does not.
    code = "```python\nimport math\nprint(math.pi)\n```\n"
    files = {
        "posts/2025-01-05-one.md": post("One", "2025-01-05", "Prose with $x^2$.\n\n" + code),
        "posts/2025-01-06-two.md": post("Two", "2025-01-06", "More prose.\n", tags="[t]"),
    }
    ahead, here = make_site(files, name="ahead"), make_site(files, name="here")
    assert_ok(ahead.build())
    build_site(load_config(here.root))
    assert snapshot(ahead.out) == snapshot(here.out)
