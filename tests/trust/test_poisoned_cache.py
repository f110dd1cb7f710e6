"""A poisoned `.lemma-cache` (restored from a shared CI cache, say) never runs code or leaks files.

Everything Lemma reads back from its cache is data: a crafted file is a miss, and the build goes on
as if the cache were empty.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import TrustSite, assert_no_traceback, needs_engine, post_text

FIGURE_POST = post_text(
    "Figure",
    "Some prose.\n\n```python\nimport matplotlib.pyplot as plt\nprint('FIGURE-OUTPUT')\n"
    "plt.plot([0, 1], [1, 0])\nplt.show()\n```\n",
)


def pickle_running(command: str) -> bytes:
    """A pickle that runs `command` when loaded, by a dotted name from a Lemma module.

    `lemma.pipeline` imports `os`, so protocol 4's dotted names walk from it to `os.system`: an
    unpickler that only allows names "from Lemma's modules" still runs the command.
    """
    return (
        b"\x80\x04"  # PROTO 4: dotted names in GLOBAL are followed attribute by attribute
        + b"clemma.pipeline\nos.system\n"  # GLOBAL
        + b"(V"  # MARK, UNICODE
        + command.encode()
        + b"\ntR."  # TUPLE, REDUCE, STOP
    )


@pytest.fixture
def built(trust_site: Callable[..., TrustSite]) -> TrustSite:
    site = trust_site({"posts/a.md": FIGURE_POST, "site.toml": "search = false\n"}, name="built")
    run = site.build()
    assert run.code == 0, str(run)
    return site


def test_a_memo_file_carrying_a_pickle_never_runs_it(built: TrustSite, tmp_path: Path) -> None:
    site = built
    page_before = (site.out / "posts/a/index.html").read_bytes()
    marker = tmp_path / "pwned"
    payload = pickle_running(f"touch {marker}")
    # Every file of the cache's top folder that is not an entry or a figure: the memo, whatever
    # its name or format, and the name the pickled memo had.
    memo_files = [p for p in site.cache.iterdir() if p.is_file()]
    memo_files.append(site.cache / "build-memo.pickle")
    for path in memo_files:
        path.write_bytes(payload)
    site.write("posts/a.md", FIGURE_POST.replace("Some prose.", "Edited prose."))

    run = site.build()

    assert run.code == 0, str(run)
    assert_no_traceback(run)
    assert not marker.exists(), "loading the memo ran a command"
    page = (site.out / "posts/a/index.html").read_text()
    assert "Edited prose." in page and "FIGURE-OUTPUT" in page
    assert page.encode() != page_before


@needs_engine
@pytest.mark.parametrize(
    "file_name",
    ["/etc/hostname", "../../../../../../etc/hostname", "../entries/x.json", "f" * 64 + ".svg"],
    ids=["absolute", "dot-dot", "cache-file", "not-in-store"],
)
def test_a_cache_entry_naming_a_figure_outside_the_store_is_a_miss(
    built: TrustSite, file_name: str
) -> None:
    site = built
    figures = sorted(p.name for p in (site.out / "figures").iterdir())
    assert figures, "the first build wrote no figure"
    (entry_path,) = (site.cache / "entries").glob("*.json")
    entry = json.loads(entry_path.read_text())

    def retarget(value: object) -> object:
        if isinstance(value, dict):
            if value.get("type") == "figure":
                return {**value, "file_name": file_name}
            return {k: retarget(v) for k, v in value.items()}
        if isinstance(value, list):
            return [retarget(v) for v in value]
        return value

    tampered = {**entry, "payload": retarget(entry["payload"])}
    assert tampered != entry, "no figure in the cache entry to tamper with"
    entry_path.write_text(json.dumps(tampered))
    # The memo would skip rendering the unchanged post: edit its prose so the page is made anew.
    site.write("posts/a.md", FIGURE_POST.replace("Some prose.", "Edited prose."))

    run = site.build()

    assert run.code == 0, str(run)
    assert_no_traceback(run)
    assert "1 executed" in run.stdout, f"the tampered entry was used:\n{run}"
    written = sorted(str(p.relative_to(site.out)) for p in site.out.rglob("*") if p.is_file())
    assert not [p for p in written if "hostname" in p or p.endswith(".json")], written
    assert sorted(p.name for p in (site.out / "figures").iterdir()) == figures
    assert "FIGURE-OUTPUT" in (site.out / "posts/a/index.html").read_text()
