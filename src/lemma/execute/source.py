"""Child side: a snippet's code as Python at its .md lines, with notebook magic lines handled."""

from __future__ import annotations

import ast
import linecache
import re
from types import CodeType

from lemma.model import Snippet

# `await` at the top level of a snippet, as in Jupyter: the code compiles to a coroutine that
# the runner drives on the post's event loop.
COMPILE_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT

# Lines that set up a notebook's display or editing session, which a post does not need:
# `%matplotlib inline` asks for figures in the page, which Lemma always does; `%config
# InlineBackend.figure_format = 'retina'` for sharp ones, and Lemma's are SVG; `%load_ext
# autoreload` and `%autoreload 2` reload edited modules, and a build imports them fresh;
# `%config Completer.use_jedi = False` sets up tab completion.
_SETUP_MAGIC = re.compile(
    r"(%matplotlib(\s+inline)?|%config\s+(InlineBackend|IPCompleter|Completer)\.\w+\s*=.*"
    r"|%(re)?load_ext\s+autoreload|%autoreload(\s+\w+)?)\s*(#.*)?$"
)
_MAGIC_NAME = re.compile(r"(%%?|!)\s*([^\s(]*)")
# Colab's and Jupyter's `!pip install -q x`, `%pip install x`, `!python -m pip install x`.
_PIP_INSTALL = re.compile(r"(?:!|%)\s*(?:python3?\s+-m\s+)?pip3?\s+install\s+(?P<arguments>.*)$")


def compile_snippet(snippet: Snippet, path: str) -> tuple[CodeType, CodeType | None]:
    """The snippet's statements, and its last expression when it is to be displayed.

    Raises SyntaxError at the .md line, also for an IPython magic or shell line (`%timeit`,
    `!ls`), which names it; `%matplotlib inline` and the other set-up lines (`_SETUP_MAGIC`) are
    accepted and do nothing, and so is `!pip install x` (or `%pip`) when x is installed: a build
    never installs a package.
    """
    source = "\n" * (snippet.location.line - 1) + snippet.code  # pad so lines match the .md file
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError:
        tree = ast.parse(_without_magic_lines(source, path), filename=path)
    expression = None
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr) and not _ends_with_semicolon(source, last):
        tree.body.pop()
        expression = compile(
            ast.Expression(last.value), path, "eval", flags=COMPILE_FLAGS, dont_inherit=True
        )
    # dont_inherit: the worker's own `from __future__` imports must not change the user's code
    return compile(tree, path, "exec", flags=COMPILE_FLAGS, dont_inherit=True), expression


def _without_magic_lines(source: str, path: str) -> str:
    """`source` with set-up lines (`%matplotlib inline`) and `pip install` lines of installed
    packages made `pass`; a SyntaxError at the first other magic or shell line, which Lemma
    cannot run (only called when `source` does not parse)."""
    lines = source.splitlines()
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        if not stripped.startswith(("%", "!")) or stripped.startswith("!="):
            continue
        indent = line[: len(line) - len(stripped)]
        if _SETUP_MAGIC.match(stripped):
            lines[number - 1] = indent + "pass"
            continue
        install = _PIP_INSTALL.match(stripped)
        if install is not None:
            missing = _not_installed(install.group("arguments"))
            if not missing:
                lines[number - 1] = indent + "pass"  # what it installs is here already
                continue
            message = (
                f"'{stripped}' does not run in a post: a build never installs packages; "
                f"install {', '.join(missing)} where Lemma runs (pip install "
                f"{' '.join(missing)}), then this line does nothing"
            )
            raise SyntaxError(message, (path, number, len(indent) + 1, line, None, None))
        match = _MAGIC_NAME.match(stripped)
        name = (match.group(1) + match.group(2)) if match else stripped.split()[0]
        if stripped.startswith("!"):
            message = (
                f"shell command '{stripped}' does not run in a post: Lemma runs plain Python, "
                "not IPython; call it with subprocess.run([...]) instead"
            )
        else:
            message = (
                f"IPython magic '{name}' does not run in a post: Lemma runs plain Python, not "
                "IPython; write the Python it stands for (only set-up lines such as "
                "'%matplotlib inline' and '%config InlineBackend…' are accepted, and do nothing: "
                "figures always appear, as SVG)"
            )
        raise SyntaxError(message, (path, number, len(indent) + 1, line, None, None))
    return "\n".join(lines)


def _not_installed(arguments: str) -> list[str]:
    """The requirements of a `pip install` line that are not installed here; the whole line
    when it installs from a file, a folder or an address (`-r x.txt`, `.`, `git+https://`)."""
    from importlib.metadata import PackageNotFoundError, distribution

    words = arguments.split("#", 1)[0].split()
    wanted = [word.strip("'\"") for word in words if not word.startswith("-")]
    if not wanted or any(w in ("-r", "-e", "--requirement", "--editable") for w in words):
        return [arguments.strip()]
    missing = []
    for requirement in wanted:
        name = re.split(r"[\[<>=!~;@ ]", requirement, maxsplit=1)[0]
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
            return [arguments.strip()]
        try:
            distribution(name)
        except PackageNotFoundError:
            missing.append(name)
    return missing


def _ends_with_semicolon(source: str, node: ast.stmt) -> bool:
    if node.end_lineno is None or node.end_col_offset is None:
        return False
    line = source.splitlines()[node.end_lineno - 1]
    rest = line.encode("utf-8")[node.end_col_offset :].decode("utf-8", "replace")  # byte offset
    return rest.lstrip().startswith(";")


class PostSource:
    """The post's code at its .md line numbers, registered with linecache for tracebacks.

    Registering it keeps Python from reading the .md file for source lines, which would also
    count as a file the post read.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._lines: list[str] = []

    def add(self, snippet: Snippet) -> None:
        first = snippet.location.line - 1
        code_lines = snippet.code.splitlines()
        if len(self._lines) < first + len(code_lines):
            self._lines.extend([""] * (first + len(code_lines) - len(self._lines)))
        self._lines[first : first + len(code_lines)] = code_lines
        lines = [line + "\n" for line in self._lines]
        linecache.cache[self.path] = (sum(map(len, lines)), None, lines, self.path)
