"""Where the default theme lives (packaged, or the checkout's templates/) and its static assets."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from lemma.model import Asset


@cache
def theme_dir() -> Path:
    """The packaged theme; in a source checkout, the top-level templates/ it is built from."""
    packaged = Path(str(resources.files("lemma"))) / "theme"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


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
