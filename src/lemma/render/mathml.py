"""TeX to MathML at build time, so that readers need no JavaScript for math."""

from __future__ import annotations

import re
from functools import lru_cache

from latex2mathml.converter import convert

# latex2mathml leaves unknown commands as <mi>\foo</mi> and a stray '&' as <mi>&</mi>:
# treat both as "could not convert" rather than show a reader half-rendered math.
_UNCONVERTED = re.compile(r"<m[io]>(\\[A-Za-z]+|&amp;|&)</m[io]>")
# Environments latex2mathml renders badly, mapped to ones it renders as aligned tables.
_REWRITES = (("aligned", "split"), ("alignedat", "split"), ("eqnarray", "align"))


class MathError(ValueError):
    """The TeX could not be converted; the message says why."""


@lru_cache(maxsize=4096)
def tex_to_mathml(tex: str, *, display: bool) -> str:
    """MathML for `tex`; raises MathError when it cannot be converted faithfully."""
    source = tex.strip()
    if not source:
        raise MathError("empty formula")
    for old, new in _REWRITES:
        source = source.replace(f"\\begin{{{old}}}", f"\\begin{{{new}}}").replace(
            f"\\end{{{old}}}", f"\\end{{{new}}}"
        )
    try:
        mathml = convert(source, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many unrelated types for bad TeX
        reason = str(exc) or type(exc).__name__
        raise MathError(_explain(reason)) from exc
    unknown = _UNCONVERTED.search(mathml)
    if unknown:
        found = unknown.group(1).replace("&amp;", "&")
        what = (
            "an alignment '&' outside an environment"
            if found == "&"
            else f"unknown command {found}"
        )
        raise MathError(what)
    return mathml


def _explain(reason: str) -> str:
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", reason).lower().replace(" error", "")
    return words if words != reason.lower() else reason
