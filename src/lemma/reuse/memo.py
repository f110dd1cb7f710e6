"""The one memo type: values by a key of every input they depend on, for the next build to reuse.

Each stage gets its own `Memo` from the caller, which decides where it lives: `lemma serve` keeps
plain in-memory memos for the whole session, `lemma build` opens them from a file in the cache
(`memo_file`), so that a second build parses and renders only the posts that changed.

One key discipline: `memo_key(*inputs)` digests the `repr` of every input the value depends on
(frozen dataclasses, tuples, strings, numbers). A change to any input is a different key, so an
entry is never stale, only unused; entries the last build did not use are dropped, so a memo
follows the site, not the length of a session.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

V = TypeVar("V")


def memo_key(*inputs: object) -> str:
    """The key of a value: a digest of the `repr` of every input it depends on."""
    text = repr(inputs).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=20).hexdigest()


def content_digest(data: bytes) -> str:
    """A short digest of bytes (a post's file, a page), to put in a key instead of the bytes."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def text_digest(text: str) -> str:
    """A short digest of a text (a post's body), to put in a key instead of the text: the `repr`
    of 2,000 bodies, three times a build (snippets, body, notebook), took 0.3 s."""
    return content_digest(text.encode("utf-8", "surrogatepass"))


class Memo(Generic[V]):
    """Values by key, kept from one build to the next.

    `stored` holds entries read from a memo file, decoded by `decode` only when a build asks for
    them; an entry that does not decode is a miss. With `spill`, the memo holds no value that
    `spill` can write out: it returns the stored form of the value it wrote (None when it cannot),
    and each `get` decodes that again (`lemma build`'s rendered bodies: at 2,000 posts their HTML
    was 110 MB held until the memo file was saved).
    """

    def __init__(
        self,
        stored: Mapping[str, object] | None = None,
        decode: Callable[[object], V] | None = None,
        spill: Callable[[V], object | None] | None = None,
    ) -> None:
        self._values: dict[str, V] = {}  # the values held
        self._stored = dict(stored or {})  # entries read from a file, not asked for yet
        self._decode = decode
        self._spill = spill
        self._used: set[str] = set()
        self._used_stored: dict[str, object] = {}  # the stored form of used entries, as read
        self.changed = False  # whether what the next build would find differs from the start

    def get(self, key: str) -> V | None:
        found = self._values.get(key)
        if found is None and self._decode is not None:
            raw = self._used_stored.get(key)  # spilled, or read before
            if raw is None and key in self._stored:
                raw = self._stored.pop(key)
            if raw is not None:
                try:
                    found = self._decode(raw)
                except ValueError:  # damaged or crafted: make the value again
                    found = None
                if found is None:
                    self._used_stored.pop(key, None)
                else:
                    self._used_stored[key] = raw
                    if self._spill is None:
                        self._values[key] = found
        if found is not None:
            self._used.add(key)
        return found

    def keep(self, key: str, value: V) -> None:
        stored = self._spill(value) if self._spill is not None else None
        if stored is None:
            self._values[key] = value
            self._used_stored.pop(key, None)
        else:
            self._values.pop(key, None)
            self._used_stored[key] = stored
        self._used.add(key)
        self.changed = True

    def use(self, key: str) -> bool:
        """Keep the entry for the next build without decoding it; whether there was one. A damaged
        entry kept this way is found out, and made again, when a build asks for its value."""
        if key not in self._values and key not in self._used_stored:  # as `get`: the newest
            if key not in self._stored:
                return False
            self._used_stored[key] = self._stored.pop(key)
        self._used.add(key)
        return True

    def spilled(self, key: str) -> bool:
        """Whether the entry's value is not held, only written out (`get` decodes it)."""
        return key not in self._values and self._spill is not None and key in self._used_stored

    def get_or_make(self, key: str, make: Callable[[], V]) -> V:
        found = self.get(key)
        if found is None:
            found = make()
            self.keep(key, found)
        return found

    def end_build(self) -> None:
        """Forget what this build did not use."""
        if self._stored or not self._used.issuperset(self._values.keys() | self._used_stored):
            self.changed = True
        self._values = {k: v for k, v in self._values.items() if k in self._used}
        self._used_stored = {k: v for k, v in self._used_stored.items() if k in self._used}
        self._used = set()
        self._stored = {}

    def entries(self) -> Iterator[tuple[str, V | None, object | None]]:
        """(key, value, stored form) of every entry: the value is None when it was spilled, the
        stored form None when the value is new and held."""
        for key, value in self._values.items():
            yield key, value, self._used_stored.get(key)
        for key, stored in self._used_stored.items():
            if key not in self._values:
                yield key, None, stored

    def clear(self) -> None:
        self._values.clear()
        self._stored.clear()
        self._used.clear()
        self._used_stored.clear()
        self.changed = True
