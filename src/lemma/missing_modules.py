"""How to fix a snippet's `ModuleNotFoundError`: what to install where Lemma runs, by its pip name.

A build never installs packages, and the post runs with the Python that runs Lemma: a notebook's
`import sklearn` fails there until scikit-learn is installed beside Lemma. Several packages are
imported by another name than the one pip installs them by; those are named here.
"""

from __future__ import annotations

import importlib.util
import re

# Import name -> the distribution pip installs, where the two differ.
DISTRIBUTIONS = {
    "IPython": "ipython",
    "sklearn": "scikit-learn",
    "skimage": "scikit-image",
    "PIL": "pillow",
    "cv2": "opencv-python",
    "yaml": "pyyaml",
    "bs4": "beautifulsoup4",
    "dateutil": "python-dateutil",
    "Crypto": "pycryptodome",
    "jwt": "pyjwt",
    "docx": "python-docx",
    "dotenv": "python-dotenv",
    "serial": "pyserial",
    "OpenSSL": "pyopenssl",
}
_MESSAGE = re.compile(r"No module named '([^']+)'")


def missing_module_hint(evalue: str) -> str | None:
    """The hint for the message of a ModuleNotFoundError, or None when the module's package is
    installed (a wrong submodule name: the message says enough)."""
    match = _MESSAGE.fullmatch(evalue.strip())
    if match is None:
        return None
    top = match.group(1).split(".")[0]
    if not top.isidentifier() or importlib.util.find_spec(top) is not None:
        return None
    if top in DISTRIBUTIONS:
        return f"install it where Lemma runs: pip install {DISTRIBUTIONS[top]}"
    return (
        f"install its package where Lemma runs, often pip install {top}; "
        f"or put your {top}.py beside the post"
    )
