"""Full-text search: a Pagefind index of the written site, built before the site is swapped in."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from lemma.errors import OutputError
from lemma.model import SourceLocation

BUNDLE_DIR = "pagefind"  # Pagefind's default output folder inside the site
INSTALL_HINT = "pip install 'pagefind[bin]' (or: pip install 'lemma[search]')"


def pagefind_binary() -> Path | None:
    """The Pagefind executable from the `pagefind` package, or None when it is not installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    try:
        found = get_executable()
    except Exception:  # a broken optional install is the same as no install
        return None
    return Path(found) if found is not None and Path(found).is_file() else None


def unavailable_reason() -> str | None:
    """Why the site cannot get a search index, or None when it can."""
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return f"the 'pagefind' package is not installed; {INSTALL_HINT}"
    if pagefind_binary() is None:
        return f"the 'pagefind' package has no binary; {INSTALL_HINT}"
    return None


def index_site(site_dir: Path, timeout_s: float = 300.0) -> None:
    """Index every page of `site_dir` (marked with data-pagefind-body) into site_dir/pagefind/."""
    binary = pagefind_binary()
    where = SourceLocation(str(site_dir))
    if binary is None:
        raise OutputError("search: Pagefind is not installed", where, hint=INSTALL_HINT)
    command = [str(binary), "--site", str(site_dir), "--output-subdir", BUNDLE_DIR]
    # Pagefind reads PAGEFIND_* variables as options; pass none from the caller's shell by accident.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout_s, env=env, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OutputError(f"search: cannot run Pagefind: {exc}", where, hint=INSTALL_HINT) from exc
    if done.returncode != 0 or not (site_dir / BUNDLE_DIR / "pagefind.js").is_file():
        output = (done.stderr or done.stdout).strip().splitlines()
        detail = output[-1] if output else f"exit status {done.returncode}"
        raise OutputError(f"search: Pagefind failed: {detail}", where)
