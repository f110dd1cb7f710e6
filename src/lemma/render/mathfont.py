"""The site's math font: STIX Two Math, cut down to the characters the site's formulas use.

Readers on most Linux and Android machines have no font with an OpenType MATH table, and
without one a browser cannot size a display \\sum or stretch a bracket. The font comes from a
package dependency (the `ziamath` wheel ships STIXTwoMath-Regular.ttf, SIL Open Font License
1.1); each build keeps only the glyphs the site needs (with their MATH size variants and
script-size forms) and writes WOFF2. The subset is renamed "Lemma Math" so that it never
passes for the full font, and keeps the copyright and license strings. Same characters, same
bytes: the subset is cached on disk by its inputs.

Cutting and compressing the font takes half a second of one core, so a build makes it in another
process (`MathFontJob`), started once the site's formulas are rendered, while it assembles
the pages and starts the search index. That process runs this file as a script: it imports
fontTools, `lemma.reuse.atomic` and `lemma.big_delimiters`, never the author's files nor the
rest of Lemma.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import os
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lemma import python_path_with_lemma
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
# Stretchy accents: the spacing character the MathML uses -> its combining twin. Chromium
# stretches the spacing ones along the line, but STIX Two Math gives its wide variants to the
# combining ones only (and its own assemblies of → and ↔ are invalid: a connector of length 0),
# so the subset gives each spacing accent its twin's variants and assembly.
STRETCHY_TWINS = {
    "ˆ": "\u0302",
    "˜": "\u0303",
    "ˇ": "\u030c",
    "→": "\u20d7",
    "←": "\u20d6",
    "↔": "\u20e1",
}


# Arrows MathJax stretches under a label (\xrightarrow, \xtwoheadrightarrow, \xlongequal) that
# STIX Two Math cannot stretch: the subset gives each an assembly of pieces the font has. The long
# arrows are built of ↪'s shaft and head, ↩'s head and ↦'s bar (→ and ← have an accent's pieces,
# drawn high); ↠ and ↞ are themselves at their heads' end with that shaft; = is itself, repeated,
# each copy overlapping the last so that the bars join.
ARROW_PIECES = {"⟶": "start shaft head", "⟵": "tail shaft", "⟷": "tail shaft head"}
ARROW_PIECES |= {"⟼": "bar shaft head", "↠": "start shaft self", "↞": "self shaft"}
REPEATED = "="
# Where a label sits over or under a stretched arrow (\xrightarrow, amscd's @>f>>), in the font's
# units (1,000 to the em): the baseline of the label over it is this far above the arrow's, the
# one under it this far below. STIX Two Math says 800 and 590, which Chromium follows: the label
# floated 0.8 em over its arrow, a formula 1.43 times as tall as MathJax draws it. These are the
# shifts with which \xrightarrow{f}, \xrightarrow[g]{f} and a CD square are 0.93 to 1.07 times
# MathJax's height, measured side by side in Chromium. A taller label still keeps the font's own
# minimum gap (StretchStackGapBelowMin, StretchStackGapAboveMin).
STRETCH_STACK_SHIFTS = {"StretchStackTopShiftUp": 350, "StretchStackBottomShiftDown": 300}
# Where the parts of a fraction in text style (inline \frac, \tfrac anywhere, a fraction inside
# another's parts) sit: the numerator's baseline this far above the main baseline, the
# denominator's this far below. STIX Two Math says 585 and 585, nearly its display style's 640,
# which Chromium follows: \tfrac{a}{b} was 1.46 times as tall as MathJax draws it. These are
# TeX's own (num2 and denom2 of cmsy10, 3.94 pt and 3.45 pt at 10 pt), which MathJax uses; the
# font's minimum gaps around the rule still hold for taller parts.
FRACTION_SHIFTS = {"FractionNumeratorShiftUp": 394, "FractionDenominatorShiftDown": 345}
# Straight bars built of copies of themselves: ‖ (\lVert, \|). STIX Two Math lets the last copy
# of ‖ overlap the one before by 0.1 em only, and Chromium overlaps every joint of an assembly
# alike, so a stretched ‖ grew in steps of 0.83 em: \left\| \frac{x}{2} \right\| stood 0.4 em
# above and below its fraction (2.55 em for a 1.76 em fraction, where \left( is 1.96 em). In the
# subset each copy may overlap the next as far as | lets its own copies (0.8 em), and the bars
# stop where the fraction's parentheses would.
STRAIGHT_BARS = {"‖": "|"}


def wanted_chars(chars: str) -> str:
    """The characters to keep for formulas showing `chars`: with the base set, and the
    mathematical italic of each letter, ∂ and ∇, which the browser shows for a one-letter <mi>."""
    from lemma.render.texmath.alphabets import styled

    italic = styled("".join(sorted(set(chars))), "italic")
    return "".join(sorted(set(chars) | set(italic) | set(_BASE)))


def _font_path() -> Path:
    # find_spec locates the package without importing it: importing ziamath parses the font.
    spec = importlib.util.find_spec("ziamath")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    if not folders:
        raise ModuleNotFoundError("the ziamath package (it ships the math font) is not installed")
    return Path(folders[0]) / "fonts" / "STIXTwoMath-Regular.ttf"


TIMEOUT_S = 120.0
# What `_subset` does to the font, in the cache key: a change to it is a new font, never an old one.
SUBSET_FORMAT = 11
# fontTools compresses WOFF2 at Brotli's highest quality, 11. At quality 10 the font's process
# takes 0.54 s instead of 0.72 s, for 1-2 % more bytes (61.2 KB instead of 59.8 KB).
BROTLI_QUALITY = 10
_made: dict[str, bytes] = {}  # the last fonts this process made, by their characters (serve)


class MathFontJob:
    """The math font for `chars`, made in another process unless this process or the cache
    has it; `result` waits for it. A job not waited for is stopped by `close`. No characters,
    no formulas: no font (empty bytes)."""

    def __init__(self, chars: str, cache_dir: Path | None) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._data: bytes | None = b"" if not chars else None
        if not chars:
            return
        self._wanted = wanted_chars(chars)
        source = _font_path()
        from fontTools import version as fonttools_version

        key_text = f"{SUBSET_FORMAT}:{source.stat().st_size}:{fonttools_version}:{self._wanted}"
        key = hashlib.sha256(key_text.encode()).hexdigest()[:32]
        self._cached = cache_dir / "math-font" / f"{key}.woff2" if cache_dir is not None else None
        self._data = _made.get(self._wanted)
        if self._data is None and self._cached is not None and self._cached.is_file():
            self._data = self._cached.read_bytes()
        if self._data is None:
            self._process = _start(self._wanted)

    def __enter__(self) -> MathFontJob:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def result(self) -> bytes:
        """The font's WOFF2 bytes; made here if the other process could not make them."""
        if self._data is not None:
            return self._data
        data = b""
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired, OSError):
                data, _ = self._process.communicate(timeout=TIMEOUT_S)
            self.close()
            if self._process.returncode != 0:
                data = b""
        if not data:  # the same work here: a real fault (no font, no fontTools) raises here
            data = _subset(str(_font_path()), self._wanted)
        _made[self._wanted] = self._data = data
        while len(_made) > 4:
            del _made[next(iter(_made))]  # the oldest
        if self._cached is not None:
            try:
                self._cached.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(self._cached, data)  # a reader never sees half a font
            except OSError:
                pass  # a cache that cannot be written only costs time, never the build
        return data

    def close(self) -> None:
        """Stop the other process if it still runs (a build that failed on the way)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.communicate()


def _start(wanted: str) -> subprocess.Popen[bytes] | None:
    # -P: the script's folder is not put first on sys.path; the blog's own folder never is.
    command = [sys.executable, "-P", str(Path(__file__).resolve()), wanted.encode().hex()]
    try:
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": python_path_with_lemma()},
        )
    except OSError:
        return None


def _subset(source: str, wanted: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from lemma import big_delimiters

    font = TTFont(source, recalcTimestamp=False)  # keep head.modified: same input, same bytes
    _give_stretchy_accents_variants(font)
    _give_arrows_assemblies(font)
    _offer_script_forms_to_every_script(font)
    _offer_big_sizes(font)
    _let_straight_bars_overlap(font)
    constants = font["MATH"].table.MathConstants
    for name, value in (STRETCH_STACK_SHIFTS | FRACTION_SHIFTS).items():
        getattr(constants, name).Value = value
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["ssty", big_delimiters.FEATURE]  # MATH size variants are kept anyway
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
    with _brotli_quality(BROTLI_QUALITY):
        font.save(buffer)
    return buffer.getvalue()


@contextlib.contextmanager
def _brotli_quality(quality: int) -> Iterator[None]:
    """fontTools has no setting for the Brotli quality of the WOFF2 it writes: while the block
    runs, its woff2 module compresses at `quality`. Without Brotli, fontTools says so itself."""
    from fontTools.ttLib import woff2

    real = getattr(woff2, "brotli", None)
    if real is None:
        yield
        return
    woff2.brotli = _Brotli(real, quality)
    try:
        yield
    finally:
        woff2.brotli = real


class _Brotli:
    """The brotli module, whose `compress` works at a given quality."""

    def __init__(self, real: Any, quality: int) -> None:
        self._real, self._quality = real, quality

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def compress(self, data: bytes, mode: int = 0, **_: object) -> bytes:
        return bytes(self._real.compress(data, mode=mode, quality=self._quality))


def _give_stretchy_accents_variants(font: Any) -> None:
    """Each spacing accent of STRETCHY_TWINS: itself, then its twin's wider variants, then its
    twin's assembly. The subsetter keeps the variants of the glyphs the text keeps."""
    from fontTools.ttLib.tables import otTables

    cmap = font.getBestCmap()
    variants = font["MATH"].table.MathVariants
    constructions = _constructions(font, "Horiz")
    for spacing, combining in STRETCHY_TWINS.items():
        glyph, twin = cmap.get(ord(spacing)), constructions.get(cmap.get(ord(combining), ""))
        if glyph is None or twin is None:
            continue
        advance = font["hmtx"][glyph][0]
        own = otTables.MathGlyphVariantRecord()
        own.VariantGlyph, own.AdvanceMeasurement = glyph, advance
        wider = [r for r in twin.MathGlyphVariantRecord if r.AdvanceMeasurement > advance]
        construction = otTables.MathGlyphConstruction()
        construction.MathGlyphVariantRecord = [own, *wider]
        construction.VariantCount = 1 + len(wider)
        construction.GlyphAssembly = twin.GlyphAssembly
        constructions[glyph] = construction
    _set_horizontal(font, variants, constructions)


def _give_arrows_assemblies(font: Any) -> None:
    """ARROW_PIECES and REPEATED made stretchy (see there), before the subsetter keeps them."""
    from fontTools.ttLib.tables import otTables

    cmap = font.getBestCmap()
    variants = font["MATH"].table.MathVariants
    constructions = _constructions(font, "Horiz")

    def parts_of(char: str) -> list[Any]:
        return _assembly_pieces(constructions, cmap, char)

    def part(glyph: str, start: int, end: int, extender: bool = False) -> Any:
        record = otTables.GlyphPartRecord()
        record.glyph, record.PartFlags = glyph, int(extender)
        record.StartConnectorLength, record.EndConnectorLength = start, end
        record.FullAdvance = font["hmtx"][glyph][0]
        return record

    hook, left_hook, maps = parts_of("↪"), parts_of("↩"), parts_of("↦")
    if len(hook) != 3 or len(left_hook) != 3 or len(maps) != 3:
        return  # not the STIX Two Math this was written for: leave the arrows as they are
    shaft, head = hook[1], hook[2]
    pieces = {
        "start": part(shaft.glyph, 0, shaft.EndConnectorLength),  # a first, unrepeated piece
        "shaft": shaft,
        "head": head,
        "tail": left_hook[0],
        "bar": maps[0],
    }
    wanted: dict[str, list[Any]] = {}
    for char, names in ARROW_PIECES.items():
        glyph = cmap.get(ord(char))
        if glyph is None:
            continue
        joint = font["hmtx"][glyph][0] * 2 // 5  # how far the shaft may run under the head
        own = {"self": part(glyph, joint, 0) if names.endswith("self") else part(glyph, 0, joint)}
        wanted[glyph] = [pieces.get(name) or own[name] for name in names.split()]
    for char in REPEATED:
        glyph = cmap.get(ord(char))
        if glyph is not None:
            joint = font["hmtx"][glyph][0] * 2 // 3  # how much of a copy may lie under the next
            wanted[glyph] = [part(glyph, 0, joint), part(glyph, joint, joint, True)]
            wanted[glyph].append(part(glyph, joint, 0))
    for glyph, parts in wanted.items():
        if glyph in constructions:
            continue
        assembly = otTables.GlyphAssembly()
        assembly.ItalicsCorrection = otTables.MathValueRecord()
        assembly.ItalicsCorrection.Value = 0
        assembly.PartRecords, assembly.PartCount = parts, len(parts)
        own_size = otTables.MathGlyphVariantRecord()
        own_size.VariantGlyph, own_size.AdvanceMeasurement = glyph, font["hmtx"][glyph][0]
        construction = otTables.MathGlyphConstruction()
        construction.MathGlyphVariantRecord, construction.VariantCount = [own_size], 1
        construction.GlyphAssembly = assembly
        constructions[glyph] = construction
    _set_horizontal(font, variants, constructions)


def _constructions(font: Any, axis: str) -> dict[str, Any]:
    """The MATH table's glyph constructions along `axis` ("Horiz" or "Vert"), by glyph."""
    variants = font["MATH"].table.MathVariants
    glyphs = getattr(variants, f"{axis}GlyphCoverage").glyphs
    return dict(zip(glyphs, getattr(variants, f"{axis}GlyphConstruction"), strict=True))


def _assembly_pieces(constructions: dict[str, Any], cmap: dict[int, str], char: str) -> list[Any]:
    """The pieces of `char`'s assembly among `constructions` (none when it has none)."""
    construction = constructions.get(cmap.get(ord(char), ""))
    assembly = construction.GlyphAssembly if construction is not None else None
    return list(assembly.PartRecords) if assembly is not None else []


def _set_horizontal(font: Any, variants: Any, constructions: dict[str, Any]) -> None:
    """The MATH table's horizontal constructions, by glyph: a Coverage is in glyph order."""
    order = font.getReverseGlyphMap()
    glyphs = sorted(constructions, key=order.__getitem__)
    variants.HorizGlyphCoverage.glyphs = glyphs
    variants.HorizGlyphConstruction = [constructions[glyph] for glyph in glyphs]
    variants.HorizGlyphCount = len(glyphs)


def _let_straight_bars_overlap(font: Any) -> None:
    """Each bar of STRAIGHT_BARS: the connectors of its assembly's pieces as long as those of
    its model's (see there)."""
    cmap = font.getBestCmap()
    constructions = _constructions(font, "Vert")
    for bar, model in STRAIGHT_BARS.items():
        own, theirs = (_assembly_pieces(constructions, cmap, c) for c in (bar, model))
        if not own or not theirs:
            continue
        reach = min(min(p.StartConnectorLength, p.EndConnectorLength) for p in theirs)
        for piece in own:
            piece.StartConnectorLength = max(piece.StartConnectorLength, reach)
            piece.EndConnectorLength = max(piece.EndConnectorLength, reach)


def _offer_script_forms_to_every_script(font: Any) -> None:
    """STIX Two Math lists its script-size forms (ssty) under the 'math' script only, and no
    browser shapes text as that script: list them under every script, so that the theme can
    ask for them (the prime of f', TeX's larger, lower prime). Off unless asked for."""
    _list_under_every_script(font, "ssty")


def _offer_big_sizes(font: Any) -> None:
    """Each of big_delimiters.DELIMITERS' sizes for \\big to \\Bigg, as the alternates of its
    FEATURE (see there): of the glyph's vertical variants, the one nearest that tall."""
    from fontTools.otlLib import builder
    from fontTools.ttLib.tables import otTables

    from lemma import big_delimiters

    cmap = font.getBestCmap()
    constructions = _constructions(font, "Vert")
    em = font["head"].unitsPerEm
    alternates = {}
    for char in big_delimiters.DELIMITERS:
        glyph = cmap.get(ord(char), "")
        records = constructions[glyph].MathGlyphVariantRecord if glyph in constructions else []
        if len(records) > len(big_delimiters.SIZES):
            alternates[glyph] = [
                min(records, key=lambda r: abs(r.AdvanceMeasurement - height * em)).VariantGlyph
                for height in big_delimiters.SIZES.values()
            ]
    table = font["GSUB"].table
    lookups = table.LookupList.Lookup
    lookups.append(builder.buildLookup([builder.buildAlternateSubstSubtable(alternates)]))
    table.LookupList.LookupCount = len(lookups)
    feature = otTables.Feature()
    feature.FeatureParams, feature.LookupListIndex = None, [len(lookups) - 1]
    feature.LookupCount = 1
    record = otTables.FeatureRecord()
    record.FeatureTag, record.Feature = big_delimiters.FEATURE, feature
    table.FeatureList.FeatureRecord.append(record)
    table.FeatureList.FeatureCount = len(table.FeatureList.FeatureRecord)
    _list_under_every_script(font, big_delimiters.FEATURE)


def _list_under_every_script(font: Any, tag: str) -> None:
    """The GSUB features tagged `tag` on for every script and language that asks for them."""
    table = font["GSUB"].table
    features = table.FeatureList.FeatureRecord
    tagged = [index for index, record in enumerate(features) if record.FeatureTag == tag]
    for script in table.ScriptList.ScriptRecord:
        systems = [script.Script.DefaultLangSys, *(r.LangSys for r in script.Script.LangSysRecord)]
        for system in systems:
            if system is None:
                continue
            system.FeatureIndex = sorted(set(system.FeatureIndex) | set(tagged))
            system.FeatureCount = len(system.FeatureIndex)


if __name__ == "__main__":  # MathFontJob's process: the characters in hex, WOFF2 on stdout
    sys.stdout.buffer.write(_subset(str(_font_path()), bytes.fromhex(sys.argv[1]).decode()))
