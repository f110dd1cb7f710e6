"""Frozen results: `lemma freeze` writes _freeze/, builds use it whatever is installed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, post, snapshot, warning_line

CI = {"CI": "true"}
NOT_CI = {"CI": ""}

TRAINING = post(
    "Training",
    freeze="auto",
    body=(
        "Prose before the snippet.\n\n"
        "```python\n"
        "import numpy as np\n"
        "import matplotlib.pyplot as plt\n"
        "weights = np.loadtxt('weights.txt')\n"
        "print('loss', weights.sum() / 7)\n"
        "plt.plot(weights)\n"
        "```\n"
    ),
)


def _site(make_site: Callable[..., SiteDir], **files: str) -> SiteDir:
    return make_site(
        {
            "posts/training.md": TRAINING,
            "posts/weights.txt": "1\n2\n3\n",
            "posts/plain.md": post("Plain", body="```python\nprint('not frozen')\n```\n"),
            **files,
        }
    )


def _pretend_other_numpy(site: SiteDir) -> None:
    """Make every cache entry say it was run with another numpy: the cache no longer applies."""
    entries = list((site.root / ".lemma-cache" / "entries").glob("*.json"))
    assert entries
    changed = 0
    for entry in entries:
        document = json.loads(entry.read_text())
        for pair in document["manifest"]["distributions"]:
            if pair[0] == "numpy":
                pair[1] = "0.0.1+another-machine"
                changed += 1
        entry.write_text(json.dumps(document))
    assert changed, "no cache entry recorded numpy"


def test_frozen_post_builds_with_another_numpy_and_without_its_data(
    make_site: Callable[..., SiteDir],
) -> None:
    site = _site(make_site)
    frozen = site.lemma("freeze")
    assert_ok(frozen)
    assert "froze 1 post into _freeze/: 1 executed" in frozen.stdout
    results = site.root / "_freeze" / "posts" / "training" / "results.json"
    document = json.loads(results.read_text())
    stdout = document["snippets"][0]["outputs"][0]
    assert stdout["text"] == ["loss 0.8571428571428571", ""]  # text as lines: diffs well
    figures = list((results.parent / "figures").iterdir())
    assert [f.suffix for f in figures] == [".svg"]
    assert len(figures[0].stem) == 64  # named by content

    assert_ok(site.build(env=CI))
    reference = site.page("posts/training/index.html")
    _pretend_other_numpy(site)
    (site.root / "posts" / "weights.txt").unlink()  # CI has no data

    built = site.build(env=CI)

    assert_ok(built)
    # The plain post runs again under the "new numpy"; the frozen one does not.
    assert "1 executed, 0 from cache, 1 frozen" in built.stdout, built.stdout
    assert "ran posts/plain.md" in built.stdout and "posts/training.md" not in built.stdout
    assert site.page("posts/training/index.html") == reference
    assert "loss 0.8571428571428571" in reference
    assert (site.out / "figures" / figures[0].name).read_bytes() == figures[0].read_bytes()


def test_frozen_folder_survives_a_moved_site_on_another_machine(
    make_site: Callable[..., SiteDir], tmp_path: Path
) -> None:
    site = _site(make_site)
    assert_ok(site.lemma("freeze"))
    assert_ok(site.build(env=CI))
    moved = SiteDir(tmp_path / "elsewhere" / "blog")
    shutil.copytree(site.root, moved.root, ignore=shutil.ignore_patterns(".lemma-cache", "_site"))
    (moved.root / "posts" / "weights.txt").unlink()

    built = moved.build(env=CI)

    assert_ok(built)
    assert "1 frozen" in built.stdout
    assert snapshot(moved.out / "posts" / "training") == snapshot(site.out / "posts" / "training")


def test_prose_edit_keeps_frozen_results_with_moved_line_numbers(
    make_site: Callable[..., SiteDir],
) -> None:
    failing = post(
        "Fails on purpose",
        freeze="true",
        body="```python\n#| error: true\nraise ValueError('shown')\n```\n",
    )
    site = _site(make_site, **{"posts/fails.md": failing})
    assert_ok(site.lemma("freeze"))
    site.write("posts/fails.md", failing.replace("---\n\n", "---\n\nNew prose.\n\nMore.\n\n", 1))
    built = site.build(env=CI)
    assert_ok(built)
    page = site.page("posts/fails/index.html")
    assert "posts/fails.md, line 13" in page or "fails.md:13" in page, page


def test_changed_snippet_of_a_frozen_post_fails_in_ci_with_the_refresh_command(
    make_site: Callable[..., SiteDir],
) -> None:
    site = _site(make_site)
    assert_ok(site.lemma("freeze"))
    assert_ok(site.build(env=CI))
    before = snapshot(site.out)
    site.write("posts/training.md", TRAINING.replace("/ 7", "/ 8"))

    built = site.build(env=CI)

    assert built.code == 1, str(built)
    line = error_line(built, "posts/training.md", 10, "changed since the post was frozen")
    assert "lemma freeze posts/training.md" in line
    assert snapshot(site.out) == before  # never a silent re-run

    # Outside CI an `auto` post runs again, saying so.
    local = site.build(env=NOT_CI)
    assert_ok(local)
    warning_line(local, "posts/training.md", 10, "changed since the post was frozen; it runs again")
    assert "loss 0.75" in site.page("posts/training/index.html")

    # `freeze: true` never runs in a build, in CI or not.
    site.write("posts/training.md", TRAINING.replace("/ 7", "/ 9").replace("auto", "true"))
    strict = site.build(env=NOT_CI)
    assert strict.code == 1
    error_line(strict, "posts/training.md", 10, "lemma freeze posts/training.md")

    refreshed = site.lemma("freeze", "posts/training.md")
    assert_ok(refreshed)
    assert_ok(site.build(env=CI))
    assert "loss 0.6666666666666666" in site.page("posts/training/index.html")


def test_site_wide_freeze_and_front_matter_opt_out(make_site: Callable[..., SiteDir]) -> None:
    site = _site(
        make_site,
        **{
            "site.toml": NO_SEARCH + 'freeze = "auto"\n',
            "posts/live.md": post("Live", freeze="false", body="```python\nprint(1)\n```\n"),
        },
    )
    result = site.lemma("freeze")
    assert_ok(result)
    frozen = sorted(p.name for p in (site.root / "_freeze" / "posts").iterdir())
    assert frozen == ["plain", "training"]

    # A post no longer frozen loses its folder at the next `lemma freeze`.
    site.write("site.toml", NO_SEARCH)
    result = site.lemma("freeze")
    assert_ok(result)
    assert "removed _freeze/posts/plain/" in result.stdout
    assert sorted(p.name for p in (site.root / "_freeze" / "posts").iterdir()) == ["training"]


def test_unknown_post_and_bad_freeze_value_are_clear_errors(
    make_site: Callable[..., SiteDir],
) -> None:
    site = _site(make_site, **{"posts/bad.md": post("Bad", freeze="sometimes")})
    result = site.lemma("freeze", "posts/nope.md")
    assert result.code == 1
    assert "posts/bad.md:4: front matter: 'freeze' takes true, false or auto" in result.stderr

    site.write("posts/bad.md", post("Bad"))
    result = site.lemma("freeze", "posts/nope.md")
    assert result.code == 1 and "no post 'posts/nope.md'" in result.stderr
    assert "Traceback" not in result.stderr

    site.write("site.toml", "freeze = 'always'\n")
    result = site.build()
    assert result.code == 1
    assert "site.toml:1: 'freeze' must be true, false or \"auto\"" in result.stderr


def _tamper(site: SiteDir, change: Callable[[dict[str, object]], None]) -> None:
    path = site.root / "_freeze" / "posts" / "training" / "results.json"
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def test_frozen_folder_is_only_data_and_names_in_it_never_leave_it(
    make_site: Callable[..., SiteDir], tmp_path: Path
) -> None:
    site = _site(make_site)
    assert_ok(site.lemma("freeze"))
    outside = tmp_path / "secret.svg"
    outside.write_text("<svg/>")

    def escape(document: dict[str, object]) -> None:
        figure = document["snippets"][0]["outputs"][1]  # type: ignore[index]
        figure["file_name"] = "../../../../secret.svg"

    _tamper(site, escape)
    built = site.build(env=CI)
    assert built.code == 1
    error_line(built, "posts/training.md", 1, "frozen results are unreadable")
    assert "secret" not in "".join(p.name for p in site.root.rglob("*"))

    assert_ok(site.lemma("freeze"))
    figure = next((site.root / "_freeze" / "posts" / "training" / "figures").iterdir())
    figure.write_text("<svg>swapped</svg>")
    built = site.build(env=CI)
    assert built.code == 1
    error_line(built, "posts/training.md", 1, "does not match its name")

    (site.root / "_freeze" / "posts" / "training" / "results.json").write_bytes(b"\x80\x04K.")
    built = site.build(env=CI)  # a pickle is not JSON: unreadable, never loaded
    assert built.code == 1
    error_line(built, "posts/training.md", 1, "frozen results are unreadable")

    results = site.root / "_freeze" / "posts" / "training" / "results.json"
    results.write_text('<<<<<<< HEAD\n{"format": 1}\n=======\n{}\n>>>>>>> other\n')
    built = site.build(env=CI)  # a merge conflict is said as one, not as JSON's "Expecting value"
    error_line(built, "posts/training.md", 1, "results.json has merge conflict markers")
    assert "Expecting" not in built.stderr
