"""Where the default theme lives (packaged, or the checkout's templates/) and its static assets."""

from __future__ import annotations

from pathlib import Path

from lemma import theme_dir
from lemma.model import Asset


def theme_assets(root: Path) -> dict[str, Asset]:
    """Files under assets/ of the theme, overridden file by file by the site's templates/assets/."""
    assets: dict[str, Asset] = {}
    for folder in (theme_dir() / "assets", root / "templates" / "assets"):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                output_path = "assets/" + path.relative_to(folder).as_posix()
                assets[output_path] = Asset(output_path, str(path))
    return assets
