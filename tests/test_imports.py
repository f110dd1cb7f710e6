"""The guess whether a post's code needs numpy in the fork server (lemma/imports.py)."""

from __future__ import annotations

import pytest

from lemma.imports import imports_beyond_stdlib


@pytest.mark.parametrize(
    "code",
    [
        "print(1 + 1)",
        "import math\nprint(math.pi)",
        "import os, sys\nimport os.path as p, collections.abc",
        "from math import sqrt, pi",
        "from math import (\n    sqrt,\n    pi,\n)\nimport json",
        "from __future__ import annotations\nfrom dataclasses import dataclass",
        "exec(open('common.py').read())",  # what it runs is not read: a "no" (seeded anyway)
    ],
)
def test_code_of_the_standard_library_alone_needs_no_numpy(code: str) -> None:
    assert not imports_beyond_stdlib([code])


@pytest.mark.parametrize(
    "code",
    [
        "import numpy as np",
        "import math as m , numpy",
        "from scipy.stats import norm",
        "import helpers  # a module beside the post, which may import numpy",
        "from . import helpers",
        "np = __import__('numpy')",
        "import importlib\nnp = importlib.import_module('numpy')",
        "%matplotlib inline",
        "x = 1; import pandas",
        "code = 'import sympy'",  # a string counts: the guess leans to yes
    ],
)
def test_code_that_may_import_beyond_the_standard_library_needs_numpy(code: str) -> None:
    assert imports_beyond_stdlib([code])


def test_one_code_that_needs_numpy_is_enough() -> None:
    assert imports_beyond_stdlib(["print(1)", "import numpy"])
    assert not imports_beyond_stdlib([])
