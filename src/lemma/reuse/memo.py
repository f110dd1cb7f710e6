"""What a second `lemma build` reuses from the first: serve's in-memory memos, kept on disk.

A warm rebuild or a prose edit then parses and renders only the posts that changed. The memos are
keyed by digests of every input (the same keys `lemma serve` uses in memory), and the whole file is
thrown away when Lemma's own code, the templates, site.toml or the Python version change. Deleting
it is always safe; a corrupt or unreadable file is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lemma.config import CONFIG_FILE, SiteConfig
from lemma.load import load_post
from lemma.load.bibliography import Bibliography
from lemma.model import Page, Post, PostRun, Snippet, SnippetOptions
from lemma.parse import extract_snippets
from lemma.pipeline import PrepareMemo, _Extracted, _Loaded
from lemma.render import RenderMemo
from lemma.render.markup import RenderedBody
from lemma.render.notebook import has_notebook, notebook_output_path, post_notebook
from lemma.render.theme import theme_dir

MEMO_FILE = "build-memo.pickle"
_FORMAT = 1


def digest(key: object) -> bytes:
    """A stable digest of a memo key: `repr` of frozen dataclasses, tuples and strings."""
    return hashlib.blake2b(repr(key).encode("utf-8", "surrogatepass"), digest_size=20).digest()


class DiskRenderMemo(RenderMemo):
    """RenderMemo whose keys are digests, so that it can be pickled small and reread."""

    def body(self, key: tuple[Any, ...]) -> RenderedBody | None:
        return super().body((digest(key),))

    def keep_body(self, key: tuple[Any, ...], body: RenderedBody) -> None:
        self.changed = True
        if body.problems or any(not a.output_path.startswith("figures/") for a in body.assets):
            # Such a body also depends on files beside the post (copied media, missing files),
            # which the key does not cover: render it again next build.
            return
        super().keep_body((digest(key),), body)

    def page(self, key: tuple[Any, ...]) -> Page | None:
        return super().page((digest(key),))

    def keep_page(self, key: tuple[Any, ...], page: Page) -> None:
        self.changed = True
        super().keep_page((digest(key),), page)

    changed: bool = False


class DiskPrepareMemo(PrepareMemo):
    """PrepareMemo whose keys are digests."""

    changed = False

    def load_post(self, source_path: str, data: bytes, zone: ZoneInfo) -> _Loaded:
        key = digest((source_path, hashlib.blake2b(data, digest_size=20).digest(), str(zone)))
        found: _Loaded | None = self._loaded.get(key)  # type: ignore[call-overload]
        if found is None:
            self.changed = True
            found = load_post(source_path, data, zone)
        self._used_loaded[key] = found  # type: ignore[index]
        return found

    def extract_snippets(self, post: Post, defaults: SnippetOptions) -> _Extracted:
        key = digest((post.source_path, post.body, post.body_line, defaults))
        found: _Extracted | None = self._snippets.get(key)  # type: ignore[call-overload]
        if found is None:
            self.changed = True
            found = extract_snippets(post, defaults)
        self._used_snippets[key] = found  # type: ignore[index]
        return found


class NotebookMemo:
    """Notebook pages by a digest of the post, its snippets, its run and the site's URLs.

    Notebooks embed their figures and are the largest pages: the memo keeps only their digest,
    and takes the bytes back from the previous build's output folder.
    """

    def __init__(self, output_dir: Path | None = None) -> None:
        # With an output folder (a build), the memo keeps (output path, content digest) and
        # rereads the bytes from there; without one (`lemma serve`), it keeps the pages.
        self.output_dir = output_dir
        self.pages: dict[bytes, tuple[str, bytes] | Page] = {}
        self._used: dict[bytes, tuple[str, bytes] | Page] = {}
        self.changed = False

    def _previous(self, key: bytes) -> Page | None:
        found = self.pages.get(key)
        if found is None or isinstance(found, Page):
            return found
        if self.output_dir is None:
            return None
        output_path, content_digest = found
        try:
            content = (self.output_dir / output_path).read_bytes()
        except OSError:
            return None
        if hashlib.blake2b(content, digest_size=20).digest() != content_digest:
            return None  # changed or damaged since: make it again
        return Page(output_path, content)

    def notebook_pages(
        self,
        posts: Sequence[Post],
        snippets: Mapping[str, Sequence[Snippet]],
        runs: Mapping[str, PostRun],
        read_figure: Callable[[str], bytes | None],
        post_urls: Mapping[str, str],
        bibliographies: Mapping[str, Bibliography] | None = None,
    ) -> list[Page]:
        urls_key = digest(sorted(post_urls.items()))
        pages = []
        for post in posts:
            found = tuple(snippets.get(post.source_path, ()))
            if not has_notebook(found):
                continue
            run = runs.get(post.source_path)
            bibliography = (bibliographies or {}).get(post.source_path)
            key = digest((post, found, normalized_run(run), urls_key, bibliography))
            page = self._previous(key)
            if page is None:
                self.changed = True
                content = post_notebook(post, found, run, read_figure, post_urls, bibliography)
                page = Page(notebook_output_path(post), content)
            if self.output_dir is None:
                self._used[key] = page
            else:
                content_digest = hashlib.blake2b(page.content, digest_size=20).digest()
                self._used[key] = (page.output_path, content_digest)
            pages.append(page)
        if set(self._used) != set(self.pages):
            self.changed = True
        self.pages, self._used = self._used, {}
        return pages


def normalized_run(run: PostRun | None) -> PostRun | None:
    """A run as far as pages are concerned: where it came from and how long it took do not count."""
    if run is None:
        return None
    return replace(run, duration_s=0.0, from_cache=False)


class BuildMemos:
    def __init__(self, output_dir: Path | None = None, stamp: str = "") -> None:
        # The fingerprint of the code and templates when the build started: saving the one of
        # the end would stamp a memo of old objects as current if Lemma changed mid-build.
        self.stamp = stamp
        self.prepare = DiskPrepareMemo()
        self.render = DiskRenderMemo()
        self.notebooks = NotebookMemo(output_dir)

    @property
    def changed(self) -> bool:
        return self.prepare.changed or self.render.changed or self.notebooks.changed


def fingerprint(config: SiteConfig) -> str:
    """Everything that invalidates the whole memo: Lemma's code, templates, site.toml, Python."""
    parts: list[str] = [sys.version, str(_FORMAT), repr(config)]
    package = Path(__file__).resolve().parents[1]
    folders = [package, theme_dir(), config.root / "templates"]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix == ".pyc" or not path.is_file():
                continue
            stat = path.stat()
            parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    with contextlib.suppress(OSError):
        parts.append((config.root / CONFIG_FILE).read_text())
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


class _MemoPickler(pickle.Pickler):
    """Pickles time zones by name: ZoneInfo's own reduction needs `getattr`, which the
    unpickler refuses (with getattr, a crafted file could reach any function)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, ZoneInfo):
            return ZoneInfo, (obj.key,)
        return NotImplemented


class _MemoUnpickler(pickle.Unpickler):
    """Unpickles only Lemma's own values: a memo file from elsewhere cannot run code."""

    _BUILTINS = frozenset({"tuple", "list", "dict", "set", "frozenset", "str", "bytes", "int"})
    _MODULES = frozenset({"datetime", "zoneinfo", "markupsafe"})

    def find_class(self, module: str, name: str) -> Any:
        allowed = "." not in name and (  # a dotted name walks from a module to any function
            module.startswith("lemma.")
            or module in self._MODULES
            or (module == "builtins" and name in self._BUILTINS)
        )
        if not allowed:
            raise pickle.UnpicklingError(f"not a memo value: {module}.{name}")
        return super().find_class(module, name)


def load_memos(config: SiteConfig) -> BuildMemos:
    stamp = fingerprint(config)
    memos = BuildMemos(config.output_dir, stamp)
    path = config.cache_dir / MEMO_FILE
    try:
        with path.open("rb") as file:
            stored = _MemoUnpickler(file).load()
        if stored.get("fingerprint") != stamp:
            return memos
        memos.prepare._loaded = stored["loaded"]
        memos.prepare._snippets = stored["snippets"]
        memos.render.bodies = stored["bodies"]
        memos.render.pages = stored["pages"]
        memos.notebooks.pages = stored["notebooks"]
    except Exception:  # missing, corrupt or from another version: start afresh
        return BuildMemos(config.output_dir, stamp)
    return memos


def save_memos(config: SiteConfig, memos: BuildMemos) -> None:
    """Write the memos atomically, only when this build changed them."""
    if not memos.changed:
        return
    stored = {
        "fingerprint": memos.stamp or fingerprint(config),
        "loaded": memos.prepare._loaded,
        "snippets": memos.prepare._snippets,
        "bodies": memos.render.bodies,
        "pages": memos.render.pages,
        "notebooks": memos.notebooks.pages,
    }
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=config.cache_dir, prefix=".tmp-memo-")
    try:
        with os.fdopen(fd, "wb") as file:
            _MemoPickler(file, protocol=pickle.HIGHEST_PROTOCOL).dump(stored)
        Path(temp).replace(config.cache_dir / MEMO_FILE)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp).unlink()
        raise
