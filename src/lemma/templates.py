"""The site's Jinja templates: where they are, the environment that compiles them, and their
code compiled ahead of the build, in another process.

Jinja compiles a template to Python the first time a build renders it: a prose edit spent about
40 ms on the post page, the base page and the snippet partial, on the one core that builds,
while the other had nothing to do. So `lemma build` starts this file as a script as soon as it
knows it will render (`compile_ahead`): it compiles every template of the site's folders and
writes each template's code to its standard output as it goes (marshal). The build's
environment (`environment`) takes a template's code from there when it has arrived and the
template's source is still the one compiled (Jinja compares a digest of the source); otherwise
Jinja compiles it, as it always did. Nothing waits for the other process and nothing is stored:
the code comes from this build's own process, never from a file. The script imports Jinja and
nothing of Lemma.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import CodeType

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

# What a post's edit renders first: compiled first.
FIRST = ("partials/snippet.html", "post.html", "base.html")


def template_folders(root: Path, theme: Path) -> list[Path]:
    """The site's templates/ first (a file there replaces the theme's of the same name), then
    the theme's; the folders that exist."""
    return [folder for folder in (root / "templates", theme) if folder.is_dir()]


def environment(folders: Sequence[Path]) -> jinja2.Environment:
    """The environment of the templates in `folders`, with every option that shapes their
    compiled code; the code compiled ahead for these folders, if `compile_ahead` started it."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_ahead.pop(tuple(folders), None),
    )


class CompiledAhead(BytecodeCache):
    """The code of the templates of some folders, as this file run as a script sends it."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}  # by Jinja's key: (source digest, code)
        self._process: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None
        # -P: the script's folder is not put first on sys.path.
        command = [sys.executable, "-P", str(Path(__file__).resolve()), *map(str, folders)]
        with contextlib.suppress(OSError):  # only saves time: Jinja compiles without it
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            self._reader = threading.Thread(target=self._read, name="lemma-templates", daemon=True)
            self._reader.start()

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        with contextlib.suppress(EOFError, ValueError, TypeError, OSError):
            while True:
                key, digest, code = marshal.load(self._process.stdout)
                if isinstance(key, str) and isinstance(digest, str) and type(code) is CodeType:
                    self._code[key] = (digest, code)

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Nothing is stored."""

    def finished(self) -> bool:
        """Whether every template the other process compiled has arrived (or it failed)."""
        return self._reader is None or not self._reader.is_alive()

    def stop(self) -> None:
        """End the other process if it still runs (the build ended first)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()


_ahead: dict[tuple[Path, ...], CompiledAhead] = {}


def compile_ahead(folders: Sequence[Path]) -> CompiledAhead:
    """Start compiling the templates of `folders` in another process, for the next
    `environment` of these folders to take."""
    compiled = _ahead[tuple(folders)] = CompiledAhead(folders)
    atexit.register(compiled.stop)
    return compiled


def _compile(folders: Sequence[str]) -> None:
    """Write (key, source digest, code) of each template that compiles, the likely first ones
    first; a template with a mistake is left to the build, which reports it."""
    env = environment([Path(folder) for folder in folders])
    keys = BytecodeCache()
    assert env.loader is not None
    names = env.list_templates(extensions=["html"])
    for name in [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]:
        try:
            source, filename, _ = env.loader.get_source(env, name)
            code = env.compile(source, name, filename)
        except Exception:
            continue
        key = keys.get_cache_key(name, filename)
        sys.stdout.buffer.write(marshal.dumps((key, keys.get_source_checksum(source), code)))
        sys.stdout.buffer.flush()


if __name__ == "__main__":
    _compile(sys.argv[1:])
