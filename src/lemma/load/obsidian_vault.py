"""Which file of the blog an Obsidian embed or file link names, found as Obsidian finds it.

Obsidian writes `![[plot.png]]` with the file's name only when no other file of the vault has
it, and finds it anywhere in the vault; a vault keeps its images in the attachment folder of
`.obsidian/app.json` (`attachmentFolderPath`: `/` the vault's folder, `./` beside the note,
`./assets` a folder beside the note, `attachments` a folder of the vault). The vault is the
nearest folder above the note, within the blog's folder, that holds `.obsidian/`, else `posts/`,
where the vault's notes are copied. A link is looked for beside the note (the only place for
`./x.png` and `../x.png`), from the vault's folder, in the attachment folder, then as the end of
the path of any file of the blog's folder (`sub/plot.png` is `any/where/sub/plot.png`), letter
case aside as in Obsidian; several such files are an error that names them. Nothing outside the
blog's folder is ever looked at, nor hidden folders (`.obsidian/`, `.trash/`) or the output
folder.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from lemma.errors import Problem
from lemma.model import SourceLocation
from lemma.reuse.walk import walk_files

SETTINGS = ".obsidian/app.json"
_VAULT_MARK = ".obsidian"
_NOTES = "posts"  # where the vault's notes are copied, when its .obsidian/ was not


@dataclass(frozen=True, slots=True)
class Found:
    """Where a link leads (`path`, from the blog's folder) or why it leads nowhere."""

    link: str
    path: str | None
    candidates: tuple[str, ...] = ()  # files of that name, when there are several
    looked: tuple[str, ...] = ()  # the folders looked in, in order, as the author names them
    outside: bool = False  # the link leaves the blog's folder (`../../x.png`)
    suggested: str = ""  # where to put the file: its path in the last folder looked in

    def problem(self, written: str, where: SourceLocation, kind: str) -> Problem | None:
        """The error that says why Obsidian's `written` shows nothing; None when found."""
        if self.path is not None:
            return None
        name = posixpath.basename(self.link)
        mark = "!" if written.startswith("!") else ""
        if self.outside:
            return Problem(
                f"missing {kind}: Obsidian's '{written}' names a file outside the blog's folder",
                where,
                hint=f"copy {name} into the blog's folder, beside the note, and write "
                f"{mark}[[{name}]]",
            )
        if self.candidates:
            ways = " or ".join(f"{mark}[[{end}]]" for end in distinct_ends(self.candidates))
            return Problem(
                f"Obsidian's '{written}' could be any of {', '.join(self.candidates)}",
                where,
                hint=f"write as much of the path as tells them apart: {ways}",
            )
        elsewhere = "" if self.link.startswith(("./", "../")) else " and everywhere in the blog"
        return Problem(
            f"missing {kind}: Obsidian's '{written}' names no file: looked "
            f"{', '.join(self.looked)}{elsewhere}",
            where,
            hint=f"copy {name} from the vault to {self.suggested}",
        )


class Vault:
    """The files of the blog's folder `root`, by name, read once and only when a link needs
    them; `skip` are folders that are not the blog's (the output folder)."""

    def __init__(self, root: Path, skip: Collection[Path] = ()) -> None:
        self.root = root.resolve()
        self.skip = {str(path) for path in skip}
        self._by_name: dict[str, list[str]] | None = None
        self._vaults: dict[str, str] = {}
        self._marked: dict[str, bool] = {}  # folder -> whether it holds .obsidian/
        self._attachments: dict[str, str | None] = {}

    def find(self, link: str, note: str) -> Found:
        """The file `link` (as written in `[[...]]`, without `|` and `#`) names, seen from the
        note at `note` (from the blog's folder)."""
        folder = posixpath.dirname(note)
        vault = self._vault_folder(folder)
        relative = link.startswith(("./", "../"))
        places = {folder: f"beside the note ({_shown(folder)})"}
        if not relative:
            places.setdefault(vault, f"in the vault's folder ({_shown(vault)})")
            setting = self._attachment_folder(vault)
            if setting is not None:
                beside = setting == "." or setting.startswith("./")
                start, rest = (folder, setting[2:]) if beside else (vault, setting)
                place = posixpath.normpath(posixpath.join(start, rest.strip("/")))
                named = f"the attachment folder of {posixpath.join(vault, SETTINGS)}"
                places.setdefault(place, f"in {named} ({_shown(place)})")
        looked = tuple(places.values())
        targets = [posixpath.normpath(posixpath.join(place, link.lstrip("/"))) for place in places]
        if all(_leaves(target) for target in targets):
            return Found(link, None, looked=looked, outside=True)
        for target in targets:
            if not _leaves(target) and self._is_file(target):
                return Found(link, target, looked=looked)
        ends = [] if relative else self._ending_with(posixpath.normpath(link.lstrip("/")))
        if len(ends) == 1:
            return Found(link, ends[0], looked=looked)
        return Found(link, None, tuple(ends), looked, suggested=targets[-1])

    def holds(self, note: str) -> bool:
        """Whether the note at `note` is in a vault of Obsidian's: a folder above it, within the
        blog's folder, holds .obsidian/ (notes copied into posts/ without it are in none)."""
        return self._is_vault(self._vault_folder(posixpath.dirname(note)))

    def _is_file(self, relative: str) -> bool:
        path = (self.root / relative).resolve()
        return path.is_relative_to(self.root) and path.is_file() and not _hidden(relative)

    def _ending_with(self, link: str) -> list[str]:
        """The files of the blog whose path ends with `link`, letter case aside."""
        if self._by_name is None:
            self._by_name = {}
            for relative, _, _ in walk_files(str(self.root), self.skip):
                name = posixpath.basename(relative).lower()
                self._by_name.setdefault(name, []).append(relative)
        wanted = link.lower()
        return [
            path
            for path in self._by_name.get(posixpath.basename(wanted), [])
            if (path.lower() == wanted or path.lower().endswith("/" + wanted))
            and self._is_file(path)  # a link to a file outside the blog is no file of it
        ]

    def _vault_folder(self, folder: str) -> str:
        """The vault the note in `folder` is in: the nearest folder holding .obsidian/."""
        if folder not in self._vaults:
            current = folder
            while not self._is_vault(current):
                if current in ("", "."):
                    current = _NOTES
                    break
                current = posixpath.dirname(current)
            self._vaults[folder] = current
        return self._vaults[folder]

    def _is_vault(self, folder: str) -> bool:
        """Whether `folder` holds .obsidian/ (asked for every post: looked up once)."""
        if folder not in self._marked:
            path = (self.root / folder / _VAULT_MARK).resolve()
            self._marked[folder] = path.is_relative_to(self.root) and path.is_dir()
        return self._marked[folder]

    def _attachment_folder(self, vault: str) -> str | None:
        """The vault's `attachmentFolderPath`: `./x` from the note, else from the vault."""
        if vault not in self._attachments:
            self._attachments[vault] = None
            path = (self.root / vault / SETTINGS).resolve()
            try:
                inside = path.is_relative_to(self.root)
                settings = json.loads(path.read_text("utf-8")) if inside else {}
            except (OSError, ValueError):
                settings = {}
            value = settings.get("attachmentFolderPath") if isinstance(settings, dict) else None
            if isinstance(value, str) and value.strip():
                self._attachments[vault] = value.strip()
        return self._attachments[vault]


def distinct_ends(paths: Collection[str]) -> list[str]:
    """For each path, its shortest end that no other of `paths` ends with."""
    ends: list[str] = []
    for path in paths:
        parts = path.split("/")
        others = [other.lower() for other in paths if other != path]
        for count in range(1, len(parts) + 1):
            end = "/".join(parts[-count:])
            if not any(o == end.lower() or o.endswith("/" + end.lower()) for o in others):
                break
        ends.append(end)
    return ends


def _leaves(relative: str) -> bool:
    return relative == ".." or relative.startswith("../") or relative.startswith("/")


def _hidden(relative: str) -> bool:
    return any(part.startswith(".") and part not in (".", "..") for part in relative.split("/"))


def _shown(folder: str) -> str:
    return "the blog's folder" if folder in ("", ".") else f"{folder}/"
