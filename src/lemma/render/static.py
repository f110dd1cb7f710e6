"""The site's static/ folder: files published as they are (CNAME, favicon, .nojekyll, downloads)."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path

from lemma.errors import Problem
from lemma.model import Asset, SourceLocation

STATIC_DIR = "static"


def static_assets(root: Path) -> dict[str, Asset]:
    """Every file under ROOT/static/, hidden ones included, at the same path in the site."""
    folder = root / STATIC_DIR
    assets: dict[str, Asset] = {}
    if not folder.is_dir():
        return assets
    for current, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(current) / name
            if path.is_file():  # a dangling link is not a file to publish
                output_path = path.relative_to(folder).as_posix()
                assets[output_path] = Asset(output_path, str(path))
    return dict(sorted(assets.items()))


def static_clashes(static: Mapping[str, Asset], generated: Collection[str]) -> list[Problem]:
    """A static file at the path of a page or asset Lemma makes: an error, never a silent winner."""
    return [
        Problem(
            f"static file clashes with the {output_path} that Lemma generates",
            SourceLocation(f"{STATIC_DIR}/{output_path}"),
            hint="rename or remove it; theme files are overridden in templates/",
        )
        for output_path in static
        if output_path in generated
    ]
