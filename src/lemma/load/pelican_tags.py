"""Pelican's liquid_tags that bring in a file: `{% notebook %}` and `{% include_code %}`.

`{% notebook path.ipynb [cells[1:5]] [language[python]] %}` shows the notebook's cells in the
tag's place, as Pelican's nbconvert did: Markdown cells as prose, code cells as code that is
shown and never run, followed by the outputs saved in the notebook (`load.notebook_outputs`).
`{% include_code path [lang:python] [title] %}` shows a file as code, titled with its name.
Both are read through `load.includes` (Quarto's include): the file must be inside the blog, and
a missing one, a path leaving the blog or a bad cell range is an error at the tag's line. As
Pelican's NOTEBOOK_DIR and CODE_DIR default to `notebooks/` and `code/` in its content folder,
a path not found beside the post is looked for in the blog's `notebooks/` and `code/` (beside
`posts/`, where a notebook is not taken for a post).
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
from dataclasses import replace
from pathlib import Path

from lemma.errors import Problem
from lemma.load.includes import Included, included_text_line, read_included, resolve_include
from lemma.load.notebook_outputs import cell_text, stored_outputs
from lemma.load.quarto_shortcodes import QuartoValues
from lemma.model import Error, Rich, SourceLocation, Stream, Value

PELICAN_TAGS = ("notebook", "include_code")
_FOLDERS = {"notebook": "notebooks", "include_code": "code"}  # Pelican's defaults, in content/
_CELLS = re.compile(r"^cells\[(?P<start>-?\d*):(?P<stop>-?\d*)\]$")
_LANGUAGE = re.compile(r"^language\[(?P<name>[\w+-]+)\]$")
_IMAGES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")
_TAG_PATH = re.compile(r"\{%-?\s*(?P<name>notebook|include_code)\s+(?P<args>.*?)\s*-?%\}")


def pelican_tag_paths(text: str, post_dir: str, root: Path) -> list[tuple[str, str]]:
    """(folder, path) of each file a post's tags bring in (for the key of its memo)."""
    found = []
    for match in _TAG_PATH.finditer(text):
        words = _words(match["args"])
        path = next((w for w in words if not _is_option(w)), "")
        found.append((_folder(match["name"], path, post_dir, root), path))
    return found


def pelican_tag(
    name: str, args: str, written: str, values: QuartoValues, where: SourceLocation
) -> Included:
    """The line that stands for `{% notebook %}` or `{% include_code %}`, or the tag kept with
    the error that stops it."""
    words = _words(args)
    paths = [w for w in words if not _is_option(w)]
    if not paths:
        what = f"'{written}' names no file"
        return Included(written, (Problem(f"{what}; shown as text", where, hint=_HINTS[name]),))
    if values.root is None:  # a post read without its blog
        what = f"Pelican's '{written}' is not read"
        hint = "copy what the file holds into the post"
        return Included(written, (Problem(what, where, hint=hint, is_warning=True),))
    path = paths[0]
    folder = _folder(name, path, values.post_dir, values.root)
    inner = QuartoValues(root=values.root, post_dir=folder, include_depth=values.include_depth)
    problems: list[Problem] = []
    if name == "notebook":
        selection = _selection(words)

        def select(text: str) -> str:
            return _notebook_markdown(text, selection, _language(words), where, problems)

        read = read_included(path, written, inner, where, values.include_depth, select)
    else:
        relative_name = path

        def select(text: str) -> str:
            return _code_block(text, words, relative_name)

        read = read_included(path, written, inner, where, values.include_depth, select)
    if isinstance(read, Included):
        return Included(read.line, tuple(_in_pelican_terms(p, name) for p in read.problems))
    relative, text = read
    return included_text_line(relative, text, where, problems)


def _in_pelican_terms(problem: Problem, name: str) -> Problem:
    """A problem of Quarto's include, said of the Pelican tag it came from."""
    message = problem.message.removeprefix("include: ")
    hint = problem.hint or ""
    if "outside the blog" in message or "no file" in message:
        hint = (
            f"name a file from the post's folder, from the blog's folder (/{_FOLDERS[name]}/x), "
            f"or from the blog's {_FOLDERS[name]}/ folder, as Pelican's "
            f"{'NOTEBOOK_DIR' if name == 'notebook' else 'CODE_DIR'} does"
        )
    elif hint == "copy what the file holds into the post":
        hint = _HINTS[name]
    return replace(problem, message=f"{{% {name} %}}: {message}", hint=hint)


_HINTS = {
    "notebook": "write it as {% notebook path/to/file.ipynb %}, the path from the post's folder",
    "include_code": "write it as {% include_code path/to/file.py lang:python %}",
}


def _words(args: str) -> list[str]:
    try:
        return shlex.split(args)
    except ValueError:
        return args.split()


def _is_option(word: str) -> bool:
    return word.startswith(("cells[", "language[", "lang:", "lines:", ":hide"))


def _folder(name: str, path: str, post_dir: str, root: Path) -> str:
    """The folder `path` is read from: the post's, or Pelican's default one when the file is
    there and not beside the post."""
    target = resolve_include(path, root, post_dir)
    if path.startswith("/") or (target is not None and target.exists()):
        return post_dir
    default = _FOLDERS[name]  # beside posts/: a notebook in posts/ would be a post of its own
    fallback = resolve_include(path, root, default)
    return default if fallback is not None and fallback.exists() else post_dir


def _selection(words: list[str]) -> tuple[str, str]:
    """The start and stop of `cells[start:stop]`, as written ("" when not given)."""
    for word in words:
        if word.startswith("cells["):
            match = _CELLS.match(word)
            if match is None:
                return ("bad", word)
            return (match["start"], match["stop"])
    return ("", "")


def _language(words: list[str]) -> str:
    """The language `language[julia]` gives the notebook's code ("" when not given)."""
    found = (_LANGUAGE.match(word) for word in words)
    return next((match["name"] for match in found if match is not None), "")


def _notebook_markdown(
    text: str,
    selection: tuple[str, str],
    language: str,
    where: SourceLocation,
    problems: list[Problem],
) -> str:
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the notebook's JSON is broken at line {exc.lineno}") from exc
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ValueError("it is not a Jupyter notebook (no cells)")
    start, stop = selection
    if start == "bad":
        raise ValueError(f"'{stop}' is not a cell range (write cells[1:5], as Python slices)")
    chosen = cells[int(start) if start else None : int(stop) if stop else None]
    if not chosen:
        raise ValueError(f"cells[{start}:{stop}] selects none of its {len(cells)} cells")
    metadata = notebook.get("metadata") or {}
    kernel = metadata.get("kernelspec") if isinstance(metadata, dict) else None
    language = language or str((kernel or {}).get("language") or "python").lower()
    parts = [_cell_markdown(c, language, where, problems) for c in chosen if isinstance(c, dict)]
    return "\n\n".join(part for part in parts if part.strip()) + "\n"


def _cell_markdown(
    cell: dict[str, object], language: str, where: SourceLocation, problems: list[Problem]
) -> str:
    source = cell_text(cell.get("source")).rstrip("\n")
    if cell.get("cell_type") == "markdown":
        return source
    if cell.get("cell_type") != "code":
        return ""  # a raw cell: nbconvert's HTML leaves it out too
    shown = "py" if language == "python" else language  # shown, never run
    parts = [_fence(source, shown)] if source.strip() else []
    outputs, said = stored_outputs(cell.get("outputs"), where)
    problems.extend(said)
    for output in outputs:
        match output:
            case Stream(text=text) | Value(text=text):
                parts.append(_fence(text.rstrip("\n"), "text"))
            case Error(traceback=traceback, ename=ename, evalue=evalue):
                parts.append(_fence(traceback or f"{ename}: {evalue}", "text"))
            case Rich(mime=mime, data=data) if mime in _IMAGES:
                parts.append(_image(mime, data))
            case Rich(mime="text/html", data=data):
                lines = [line for line in data.splitlines() if line.strip()]
                parts.append('<div class="output">\n' + "\n".join(lines) + "\n</div>")
            case Rich(mime=("text/markdown" | "text/latex"), data=data):
                parts.append(data.strip())
            case _:
                problems.append(
                    Problem(
                        f"a stored output of the notebook ({type(output).__name__.lower()}) "
                        "is left out",
                        where,
                        hint="write the post as a notebook (posts/x.ipynb with 'outputs: "
                        "stored') to show it",
                        is_warning=True,
                    )
                )
    return "\n\n".join(parts)


def _fence(text: str, language: str) -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def _image(mime: str, data: str) -> str:
    if mime == "image/svg+xml":
        import base64

        data = base64.b64encode(data.encode("utf-8")).decode("ascii")
    return f'<img src="data:{mime};base64,{data.strip()}" alt="">'


def _code_block(text: str, words: list[str], relative: str) -> str:
    language = next((w.removeprefix("lang:") for w in words if w.startswith("lang:")), "")
    if not language:
        language = {".py": "python", ".r": "r", ".jl": "julia"}.get(
            posixpath.splitext(relative)[1].lower(), "text"
        )
    lines = next((w.removeprefix("lines:") for w in words if w.startswith("lines:")), "")
    if lines:
        first, _, last = lines.partition("-")
        if not first.isdigit() or not (last or first).isdigit():
            raise ValueError(f"'lines:{lines}' is not a range of lines (write lines:3-10)")
        text = "\n".join(text.split("\n")[int(first) - 1 : int(last or first)])
    titles = [w for w in words if not _is_option(w)][1:]
    title = " ".join(titles) or posixpath.basename(relative)
    shown = "py" if language == "python" else language  # shown, never run
    code = _fence(text.rstrip("\n"), shown)
    hidden = any(w in (":hidefilename:", ":hideall:") for w in words)
    return f"{code}\n" if hidden else f"**{title}**\n\n{code}\n"
