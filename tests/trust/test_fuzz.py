"""Hostile Markdown and front matter, fuzzed: located problems or a build, never a crash."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lemma.config import SiteConfig, load_config
from lemma.errors import LemmaError, Problem
from lemma.pipeline import Assembly, assemble_site

from .conftest import TrustSite, assert_no_traceback, post_text

SOURCE = "posts/fuzz.md"
FUZZ = settings(
    max_examples=120,
    deadline=5000,  # ms per example: far above a normal example, far below a hang
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same examples on every run: CI failures reproduce locally
)

# Building blocks ------------------------------------------------------------------------------

unicode_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200
)  # any code point UTF-8 can encode: combining marks, RTL, emoji, controls, NUL
words = st.text(alphabet="abc xyz$*_`[]()!<>#|\\{}-+~:^&\"'\t", max_size=80)

yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    unicode_text,
    st.dates(min_value=date(1, 1, 1)),
    st.datetimes(timezones=st.just(UTC)),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(unicode_text, inner, max_size=4),
    max_leaves=12,
)
known_keys = st.sampled_from(
    ["title", "date", "author", "tags", "excerpt", "draft", "updated", "slug", "template"]
)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """Structured YAML with hostile values, or YAML-looking garbage."""
    kind = draw(st.sampled_from(["structured", "mostly-valid", "garbage"]))
    if kind == "garbage":
        return draw(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
    data: dict[object, object] = {}
    if kind == "mostly-valid":
        data = {
            "title": draw(unicode_text | st.just("T")),
            "date": draw(st.dates() | st.datetimes()),
        }
    for key, value in draw(
        st.dictionaries(known_keys | unicode_text, yaml_values, max_size=6)
    ).items():
        data[key] = value
    text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)
    return text


def nested_list(depth: int) -> str:
    return "".join(f"{'  ' * level}- item {level}\n" for level in range(depth))


def nested_quote(depth: int) -> str:
    return "> " * depth + "deep\n"


blocks = st.one_of(
    unicode_text,
    words,
    st.just("```python\nprint('never closed')\n"),
    st.just("````\n```\nnested fence\n````\n"),
    st.builds(lambda lang, code: f"```{lang}\n{code}\n```\n", words, unicode_text),
    st.builds(lambda o, v: f"```text\n#| {o}: {v}\nx = 1\n```\n", words, words),
    st.just("~~~\nunclosed tilde fence\n"),
    st.just("$$\n\\frac{1}{2\n"),
    st.just("$x^2 and \\unknowncommand{y}$"),
    st.just("$$\\begin{matrix} a & b \\\\ c$$"),
    st.just("\\begin{align}\na &= b\n"),
    st.just("\\begin{equation}\n\\end{align}\n"),
    st.builds(lambda n: "x" * n, st.integers(0, 200_000)),  # huge lines
    st.builds(lambda n: "$" * n, st.integers(0, 5_000)),
    st.builds(lambda n: "[" * n + "](" * n, st.integers(0, 2_000)),
    st.builds(lambda n: "*_" * n, st.integers(0, 2_000)),
    st.builds(nested_list, st.integers(0, 300)),
    st.builds(nested_quote, st.integers(0, 500)),
    st.just("\x00"),
    st.just("\r\n\r"),
    st.just("\ufeff"),
    st.just("[link](../../../../etc/passwd) ![img](/etc/passwd) ![x](C:\\boot.ini)"),
    st.just('[js](javascript:alert(1)) <a href="javascript:alert(2)">x</a>'),
    st.just("[^missing] and [^1]\n\n[^1]: note [^1]\n"),
    st.just("| a | b |\n|---|\n| 1 | 2 | 3 |\n"),
    st.just("# \n## \n### `\n#### $\n"),
    st.just("---\nnot front matter\n---\n"),
    st.just("<div>\n<script>\n"),
)


@st.composite
def post_bytes(draw: st.DrawFn) -> bytes:
    parts = []
    if draw(st.integers(0, 9)) > 0:  # usually a front matter block, sometimes none
        fence = draw(st.sampled_from(["---", "--- ", "---\t", "----", "—"]))
        closing = draw(st.sampled_from(["---", "---", "", "...", "--- x"]))
        parts.append(f"{fence}\n{draw(front_matter())}{closing}\n")
    parts += draw(st.lists(blocks, max_size=12))
    separator = draw(st.sampled_from(["\n", "\n\n", "", "\r\n", "\n> "]))
    data = separator.join(parts).encode("utf-8")
    if draw(st.integers(0, 19)) == 0:  # a few invalid UTF-8 bytes
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    return data


# The oracle -----------------------------------------------------------------------------------


def fuzz_config(root: Path) -> SiteConfig:
    (root / "posts").mkdir(parents=True, exist_ok=True)
    # Every fence is shown, none runs: execution is not what this fuzzes (and needs no engine).
    config = load_config(root)
    return replace(config, search=False, include_drafts=True, execute={"eval": False})


def assemble(config: SiteConfig, data: bytes) -> Assembly:
    (config.root / SOURCE).write_bytes(data)
    return assemble_site(config)


def check_problems(problems: tuple[Problem, ...] | list[Problem]) -> None:
    for problem in problems:
        assert problem.message, problem
        assert problem.location is not None, f"a problem without a location: {problem}"
        assert problem.location.path in (SOURCE, "site.toml") or problem.location.path.startswith(
            "templates"
        ), problem
        if problem.location.path == SOURCE and not problem.is_warning:
            assert problem.location.line >= 1, f"an error without a line: {problem}"


def check_assembly(assembly: Assembly) -> None:
    check_problems(list(assembly.problems) + list(assembly.failures))
    errors = [p for p in assembly.problems if not p.is_warning]
    pages = {p.output_path: p.content for p in assembly.site.pages}
    if not errors and assembly.posts:
        post_pages = [path for path in pages if path.startswith("posts/")]
        assert post_pages, "a post without errors has no page"
    for path, content in pages.items():
        assert not path.startswith(("/", "..")) and ".." not in path.split("/"), path
        if path.endswith(".html"):
            text = content.decode("utf-8")
            assert 'href="javascript:' not in text.lower(), path
            assert "\x00" not in text, path


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    return fuzz_config(tmp_path_factory.mktemp("fuzz"))


@pytest.mark.timeout(300)
@FUZZ
@given(data=post_bytes())
def test_any_post_builds_or_reports_located_problems(config: SiteConfig, data: bytes) -> None:
    # Proves: load/parse/render turn every content mistake into a located Problem (never another
    # exception, never a hang); any unexpected exception fails this test with its traceback.
    try:
        assembly = assemble(config, data)
    except LemmaError as exc:  # only for site-wide problems (no posts/ folder): none here
        pytest.fail(f"assemble_site raised for one post's content: {exc}")
    check_assembly(assembly)


@pytest.mark.timeout(300)
@FUZZ
@given(text=front_matter())
def test_any_front_matter_is_a_post_or_a_located_error(config: SiteConfig, text: str) -> None:
    # Proves: load.py's validation of every key (types, dates, slugs, tags) reports with a line.
    data = f"---\n{text}---\n\nBody.\n".encode()
    check_assembly(assemble(config, data))


FRONT = b"---\ntitle: T\ndate: 2025-01-01\n---\n"
NASTY = {
    "empty": b"",
    "nul": b"\x00",
    "utf16": b"\xff\xfe\x00t\x00i\x00t\x00l\x00e",
    "only-opening-fence": b"---\n",
    "unclosed-yaml-list": b"---\ntitle: [unclosed\ndate: 2025-01-01\n---\n",
    "impossible-date": b"---\ntitle: T\ndate: 2025-13-45\n---\n",
    "tags-mapping": b"---\ntitle: T\ndate: 2025-01-01\ntags: {a: 1}\n---\n",
    "python-object-tag": b"---\n!!python/object/apply:sys.exit [3]\n---\n",
    "python-name-tag": b"---\ntitle: !!python/name:os.system\ndate: 2025-01-01\n---\n",
    "recursive-alias": b"---\n&a [*a]\n---\n",
    "billion-laughs": b"---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    b"title: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\ndate: 2025-01-01\n---\n",
    "50k-brackets": FRONT + b"[" * 50_000,
    "10k-quotes": FRONT + b"> " * 10_000 + b"x",
    "10k-list-markers": FRONT + b"- " * 10_000 + b"x",
    "5k-unclosed-align": FRONT + b"\\begin{align}\n" * 5_000,
}


@pytest.mark.parametrize("data", list(NASTY.values()), ids=list(NASTY))
@pytest.mark.timeout(60)
def test_known_nasty_posts_are_handled(config: SiteConfig, data: bytes) -> None:
    # Proves: YAML is loaded safely (no python tags), BOMs, NULs, bad UTF-8 and deep nesting
    # are content errors or build, never a crash.
    check_assembly(assemble(config, data))


@pytest.mark.timeout(120)
def test_nasty_posts_through_the_cli_give_located_errors_and_no_traceback(
    trust_site: Callable[..., TrustSite],
) -> None:
    # Proves: the same through `lemma build`: one located line per broken post, the good post
    # still loads, exit 1, no traceback of Lemma's own code.
    site = trust_site(
        {
            "posts/good.md": post_text("Good", "Fine.\n"),
            "posts/nul.md": post_text("Nul", "a\x00b\n"),
            "posts/latin1.md": "---\ntitle: caf\xe9\n".encode("latin-1"),
            "posts/yaml.md": "---\ntitle: [\ndate: 2025-01-01\n---\n",
            "posts/unclosed.md": "---\ntitle: T\n",
            "site.toml": "search = false\n",
        }
    )
    run = site.build()
    assert run.code == 1, str(run)
    assert_no_traceback(run)
    for path in ("posts/nul.md", "posts/latin1.md", "posts/yaml.md", "posts/unclosed.md"):
        assert f"\n{path}:" in f"\n{run.stderr}", f"{path} not reported:\n{run}"
    assert not site.out.exists()


# Pathological size ------------------------------------------------------------------------------


def _build_without_errors(config: SiteConfig, body: str) -> None:
    assembly = assemble(config, post_text("Big", body).encode())
    assert not [p for p in assembly.problems if not p.is_warning], assembly.problems[:3]


# These build the large end of each pathological case; the timeout only stops a hang (a quadratic
# stage took minutes here). How the cost grows with size is measured in bench/linearity.py.


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_ten_thousand_headings_build_without_hanging(tmp_path: Path) -> None:
    # Proves: parse_rules.heading_anchors_plugin (mdit-py-plugins' anchors are quadratic when
    # headings repeat: 10,000 "## Proof" took minutes).
    config = fuzz_config(tmp_path)
    _build_without_errors(config, "".join(f"## Proof\n\n### Step {i}\n\n" for i in range(5_000)))


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_unclosed_math_environments_build_without_hanging(tmp_path: Path) -> None:
    # Proves: parse_rules.guard_amsmath (each unclosed \begin{align} scanned to the end).
    config = fuzz_config(tmp_path)
    _build_without_errors(config, "\\begin{align}\nx\n\n" * 8_000)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_five_megabyte_post_builds_without_hanging(tmp_path: Path) -> None:
    # Proves: a 5 MB post builds (bench/linearity.py measures that no stage is quadratic).
    config = fuzz_config(tmp_path)
    paragraph = (
        "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt "
        "ut labore et dolore magna aliqua. "
        * 8
        + "With *emphasis*, `code`, a [link](#a) and $x^2$.\n\n"
    )
    _build_without_errors(config, paragraph * (5_000_000 // len(paragraph)))
