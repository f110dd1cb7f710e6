"""Write pages and assets into a temporary folder beside the output, then swap it in atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from lemma.errors import LemmaError
from lemma.model import Site, SourceLocation

MARKER = ".lemma-site"  # marks a folder Lemma built, so that it never replaces anything else


def check_output_dir(root: Path, output_dir: Path, *, explicit: bool) -> None:
    """Refuse output folders that would destroy the user's files."""
    root, output_dir = root.resolve(), output_dir.resolve()
    where = SourceLocation(str(output_dir))
    if output_dir == root or root.is_relative_to(output_dir):
        raise LemmaError(
            "the output folder is the site root (or contains it)", where, hint="use --out _site"
        )
    if (root / "posts").is_relative_to(output_dir) or output_dir.is_relative_to(root / "posts"):
        raise LemmaError(
            "the output folder contains posts/ or lies inside it", where, hint="use --out _site"
        )
    if not explicit and not output_dir.is_relative_to(root):
        raise LemmaError(
            "the output folder lies outside the site root",
            where,
            hint="pass it explicitly with --out if you mean it",
        )
    if output_dir.is_file():
        raise LemmaError("the output path is a file, not a folder", where)
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / MARKER).exists():
        raise LemmaError(
            "the output folder is not empty and was not built by Lemma; refusing to replace it",
            where,
            hint="empty it, or choose another folder with --out",
        )


def safe_output_path(output_dir: Path, output_path: str) -> Path:
    """Resolve an output path, refusing anything that could land outside the output folder."""
    pure = PurePosixPath(output_path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in output_path or ":" in output_path:
        raise LemmaError(f"refusing to write outside the output folder: {output_path!r}")
    return output_dir.joinpath(*pure.parts)


def write_site(
    site: Site, output_dir: Path, finalize: Callable[[Path], None] | None = None
) -> int:
    """Write the whole site; on any failure the previous output folder is left as it was.

    `finalize` runs on the complete staging folder before the swap (the search index is built
    there), so that its failure also leaves the previous site untouched.
    """
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    try:
        count = _fill(site, staging)
        if finalize is not None:
            finalize(staging)
        _swap(staging, output_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise LemmaError(
            f"cannot write the site: {exc.strerror or exc}",
            SourceLocation(str(exc.filename or output_dir)),
            hint="check free disk space and permissions; the previous site is unchanged",
        ) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _fill(site: Site, staging: Path) -> int:
    made: set[Path] = set()

    def parent_of(path: Path) -> None:
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)

    for page in site.pages:
        target = safe_output_path(staging, page.output_path)
        parent_of(target)
        target.write_bytes(page.content)
    for asset in site.assets:
        target = safe_output_path(staging, asset.output_path)
        parent_of(target)
        shutil.copyfile(asset.source, target)
    (staging / MARKER).write_text("This folder was built by Lemma and is replaced by each build.\n")
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a site is meant to be read
    return len(site.pages) + len(site.assets)


def _swap(staging: Path, output_dir: Path) -> None:
    if not output_dir.exists():
        staging.rename(output_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    old.rmdir()
    output_dir.rename(old)
    try:
        staging.rename(output_dir)
    except BaseException:
        old.rename(output_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
