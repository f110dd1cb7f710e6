"""The site's math font: STIX Two Math, cut down to the characters the site's formulas use.

Readers on most Linux and Android machines have no font with an OpenType MATH table, and
without one a browser cannot size a display \\sum or stretch a bracket. The font comes from a
package dependency (the `ziamath` wheel ships STIXTwoMath-Regular.ttf, SIL Open Font License
1.1); each build keeps only the glyphs the site needs (with their MATH size variants and
script-size forms) and writes WOFF2. The subset is renamed "Lemma Math" so that it never
passes for the full font, and keeps the copyright and license strings. Same characters, same
bytes: the subset is cached on disk by its inputs.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import string
from functools import lru_cache
from pathlib import Path

from lemma.reuse.atomic import write_atomically

FAMILY = "Lemma Math"
OUTPUT_PATH = "assets/math.woff2"
# Always in the subset, so that a new formula rarely changes the file a reader has cached.
_BASE = (
    string.ascii_letters
    + string.digits
    + string.punctuation
    + "αβγδεζηθικλμνξοπρστυφχψωϵϑϕϖϱςΓΔΘΛΞΠΣΥΦΨΩ"
    + "−±×÷⋅∘√∞∂∇∑∏∫∮≤≥≠≈≡∼≃∝→←↔⇒⇐⇔↦∈∉∋⊂⊃⊆⊇∪∩∖∅∀∃¬∧∨ℝℕℤℚℂ⟨⟩⌈⌉⌊⌋‖…⋯⋮⋱′ "
)


def _font_path() -> Path:
    # find_spec locates the package without importing it: importing ziamath parses the font.
    spec = importlib.util.find_spec("ziamath")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    if not folders:
        raise ModuleNotFoundError("the ziamath package (it ships the math font) is not installed")
    return Path(folders[0]) / "fonts" / "STIXTwoMath-Regular.ttf"


def math_font(chars: str, cache_dir: Path | None) -> bytes:
    """WOFF2 bytes of the math font with the glyphs for `chars` (and the base set)."""
    wanted = "".join(sorted(set(chars) | set(_BASE)))
    source = _font_path()
    from fontTools import version as fonttools_version

    key_text = f"{source.stat().st_size}:{fonttools_version}:{wanted}"
    key = hashlib.sha256(key_text.encode()).hexdigest()[:32]
    cached = cache_dir / "math-font" / f"{key}.woff2" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    data = _subset(str(source), wanted)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(cached, data)  # a reader never sees half a font
        except OSError:
            pass  # a cache that cannot be written only costs time, never the build
    return data


@lru_cache(maxsize=4)
def _subset(source: str, wanted: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, recalcTimestamp=False)  # keep head.modified: same input, same bytes
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["ssty"]  # script-size forms; MATH size variants are kept anyway
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=wanted)
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 16):
            record.string = FAMILY
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "")
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
