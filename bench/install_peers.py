"""Create one virtual environment per peer under bench/_work/venvs/ and install it from PyPI.

    python bench/install_peers.py            # all peers
    python bench/install_peers.py hugo       # only some

Each peer gets the same numpy and matplotlib versions as the Python running this script, so that
executing peers run the snippets with the same libraries as Lemma. A peer that cannot be installed
is recorded in bench/_work/peers.json with the reason, and the others still install.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import venv
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

WORK = Path(__file__).resolve().parent / "_work"
VENVS = WORK / "venvs"


def _pinned(name: str) -> str:
    try:
        return f"{name}=={version(name)}"
    except PackageNotFoundError:
        return name


SCIENCE = [_pinned("numpy"), _pinned("matplotlib")]

# peer -> (packages, the modules or commands that prove it works)
PEERS: dict[str, list[str]] = {
    "mkdocs": ["mkdocs", "markdown-exec[ansi]", *SCIENCE],
    "jupyter": ["nbconvert", "jupytext", "ipykernel", "nbclient", *SCIENCE],
    "pelican": ["pelican", "markdown"],
    "hugo": ["hugo"],
}

SMOKE: dict[str, list[str]] = {
    "mkdocs": ["-m", "mkdocs", "--version"],
    "jupyter": ["-m", "jupyter", "nbconvert", "--version"],
    "pelican": ["-m", "pelican", "--version"],
    "hugo": ["-c", "import subprocess, sys; subprocess.run(['hugo', 'version'], check=True)"],
}


def python_of(peer: str) -> Path:
    return VENVS / peer / "bin" / "python"


def install(peer: str) -> dict[str, object]:
    started = time.perf_counter()
    target = VENVS / peer
    if not python_of(peer).exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(target)
    command = [str(python_of(peer)), "-m", "pip", "install", "--quiet", *PEERS[peer]]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return {"ok": False, "reason": done.stderr.strip()[-2000:], "packages": PEERS[peer]}
    if peer == "jupyter":  # a kernel spec inside the venv, so nbconvert never picks another python
        subprocess.run(
            [
                str(python_of(peer)),
                "-m",
                "ipykernel",
                "install",
                "--prefix",
                str(target),
                "--name",
                "python3",
            ],
            capture_output=True,
            check=False,
        )
    env_bin = str(target / "bin")
    smoke = subprocess.run(
        [str(python_of(peer)), *SMOKE[peer]],
        capture_output=True,
        text=True,
        env={"PATH": f"{env_bin}:/usr/bin:/bin"},
    )
    if smoke.returncode != 0:
        return {"ok": False, "reason": (smoke.stderr or smoke.stdout).strip()[-2000:]}
    freeze = subprocess.run(
        [str(python_of(peer)), "-m", "pip", "freeze"], capture_output=True, text=True
    ).stdout.split()
    return {
        "ok": True,
        "version": (smoke.stdout or smoke.stderr).strip().splitlines()[0][:200],
        "packages": [p for p in freeze if p.split("==")[0].lower() in _INTERESTING],
        "install_s": round(time.perf_counter() - started, 1),
    }


_INTERESTING = {
    "mkdocs",
    "markdown-exec",
    "nbconvert",
    "nbclient",
    "jupytext",
    "ipykernel",
    "jupyter-client",
    "pelican",
    "markdown",
    "hugo",
    "numpy",
    "matplotlib",
}


def main(argv: list[str]) -> int:
    peers = argv or list(PEERS)
    VENVS.mkdir(parents=True, exist_ok=True)
    record_path = WORK / "peers.json"
    record = json.loads(record_path.read_text()) if record_path.exists() else {}
    for peer in peers:
        print(f"installing {peer} ...", flush=True)
        record[peer] = install(peer)
        status = "ok" if record[peer]["ok"] else f"FAILED: {record[peer]['reason'][:300]}"
        print(f"  {peer}: {status}", flush=True)
        record_path.write_text(json.dumps(record, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
