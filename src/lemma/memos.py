"""The memos a build hands its stages, one each: in memory for `lemma serve`, in a file for `build`.

The memo type and its key discipline are `lemma.reuse.memo`; this module only says which stage
gets which memo, and which values a memo file may hold (`MEMO_TYPES`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lemma import theme_dir
from lemma.config import CONFIG_FILE, SiteConfig, output_settings
from lemma.errors import Problem
from lemma.load import Loaded
from lemma.model import (
    FrontMatter,
    KeptPage,
    Page,
    Post,
    Snippet,
    SnippetOptions,
    SourceLocation,
    Sweep,
)
from lemma.render import RenderMemo
from lemma.render.body import RenderedBody
from lemma.reuse.codec import MemoCodec
from lemma.reuse.figures import FigureStore
from lemma.reuse.memo import Memo
from lemma.reuse.memo_file import MEMO_FILE, MemoFile, fingerprint

Extracted = tuple[tuple[Snippet, ...], list[Problem]]  # a post's snippets and their warnings

# Every dataclass a memo file may name (Asset and Page are kept as references, see the codec).
MEMO_TYPES = (
    Post,
    FrontMatter,
    SourceLocation,
    Problem,
    Snippet,
    SnippetOptions,
    Sweep,
    RenderedBody,
)


@dataclass(frozen=True, slots=True)
class Memos:
    loaded: Memo[Loaded] = field(default_factory=Memo)  # load: a post's file -> Post
    snippets: Memo[Extracted] = field(default_factory=Memo)  # parse: body, defaults -> snippets
    render: RenderMemo = field(default_factory=RenderMemo)  # render: bodies and pages
    notebooks: Memo[Page | KeptPage] = field(default_factory=Memo)  # render.notebook

    def end_build(self) -> None:
        """Drop what this build did not use: a memo follows the site, not the session."""
        for memo in (self.loaded, self.snippets, self.notebooks):
            memo.end_build()
        self.render.end_build()


def open_memo_file(config: SiteConfig) -> MemoFile:
    """The memo file of the site's cache, empty when Lemma, the templates or site.toml changed."""
    stamp = fingerprint(
        repr(output_settings(config)),
        [theme_dir(), config.root / "templates"],
        config.root / CONFIG_FILE,
    )
    codec = MemoCodec(MEMO_TYPES, FigureStore.in_cache(config.cache_dir), config.output_dir)
    return MemoFile(config.cache_dir / MEMO_FILE, stamp, codec)


def memos_in(file: MemoFile) -> Memos:
    """Memos whose entries come from `file` and go back to it with `file.save()`."""
    return Memos(
        loaded=file.memo("loaded", Loaded),
        snippets=file.memo("snippets", Extracted),
        render=RenderMemo(
            # Spilled: each post's body is 56 KB of HTML, its highlighted code 3 KB a snippet.
            bodies=file.memo("bodies", RenderedBody, spill=True),
            pages=file.memo("pages", Page | KeptPage),
            highlights=file.memo("highlights", str, spill=True),
        ),
        notebooks=file.memo("notebooks", Page | KeptPage),
    )
