"""A shared execution cache (fsspec URL) and `lemma build --shard K/N`: N machines, one site.

Each "machine" is a separate copy of the site with its own local cache, run as its own `lemma`
process; they share only the store named by `cache_url`: a folder, or an S3 bucket served by
moto on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from site_support import NO_SEARCH, SiteDir, assert_ok, lemma_env, post, snapshot

POSTS = 5
SHARDS = 3


def _posts() -> dict[str, str]:
    files = {}
    for number in range(1, POSTS + 1):
        body = (
            "```python\n"
            "import matplotlib.pyplot as plt\n"
            f"print('post {number}:', sum(range({number * 1000})))\n"
            f"plt.plot([0, 1, {number}])\n"
            "```\n"
        )
        files[f"posts/post-{number}.md"] = post(f"Post {number}", f"2025-01-{number:02d}", body)
    return files


def _machine(tmp_path: Path, name: str, site_toml: str) -> SiteDir:
    site = SiteDir(tmp_path / name / "blog")
    for relative, content in {**_posts(), "site.toml": NO_SEARCH + site_toml}.items():
        site.write(relative, content)
    return site


def _run_shards(tmp_path: Path, site_toml: str, env: dict[str, str] | None = None) -> list[str]:
    """All shards at once, each a `lemma build --shard K/N` process on its own machine."""
    machines = [_machine(tmp_path, f"shard{k}", site_toml) for k in range(1, SHARDS + 1)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "lemma", "build", "--shard", f"{k}/{SHARDS}"],
            cwd=machine.root,
            env=lemma_env(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k, machine in enumerate(machines, 1)
    ]
    outputs = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=240)
        assert process.returncode == 0, stdout + stderr
        assert "Traceback" not in stderr, stderr
        outputs.append(stdout)
    return outputs


def _assert_sharded_equals_one_machine(
    tmp_path: Path, site_toml: str, env: dict[str, str] | None = None
) -> None:
    outputs = _run_shards(tmp_path, site_toml, env)
    executed = []
    for k, stdout in enumerate(outputs, 1):
        line = next(x for x in stdout.splitlines() if x.startswith(f"shard {k}/{SHARDS}:"))
        executed.append(int(line.split(": ")[2].split(" executed")[0]))
    assert executed == [2, 2, 1]  # round robin over 5 posts: each post runs exactly once

    final = _machine(tmp_path, "final", site_toml)
    rendered = final.build("--no-execute", env=env)
    assert_ok(rendered)
    assert f"0 executed, {POSTS} from cache, 0 failed" in rendered.stdout, rendered.stdout

    alone = _machine(tmp_path, "alone", "")
    assert_ok(alone.build())
    assert snapshot(final.out) == snapshot(alone.out)


def test_shards_over_a_shared_folder_give_the_bytes_of_one_machine(tmp_path: Path) -> None:
    store = tmp_path / "shared-store"
    _assert_sharded_equals_one_machine(tmp_path, f'cache_url = "{store.as_uri()}"\n')
    assert len(list((store / "entries").glob("*.json"))) == POSTS
    assert not [p for p in store.rglob(".tmp-*")]  # every write was renamed into place


def test_corrupt_or_partial_shared_entry_is_a_miss(tmp_path: Path) -> None:
    store = tmp_path / "store"
    site_toml = f'cache_url = "{store}"\n'  # a plain folder path works too
    first = _machine(tmp_path, "first", site_toml)
    assert_ok(first.build())
    entries = sorted((store / "entries").glob("*.json"))
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # cut short: a partial upload
    entries[1].write_text('{"format": 1, "key": "someone else\'s"}')

    second = _machine(tmp_path, "second", site_toml)
    nothing = second.build("--no-execute")
    assert nothing.code == 1
    assert nothing.stderr.count("no stored results for this code") == 2

    rebuilt = second.build()
    assert_ok(rebuilt)
    assert "2 executed, 3 from cache" in rebuilt.stdout
    assert_ok(_machine(tmp_path, "third", site_toml).build("--no-execute"))  # healed


def test_shard_needs_a_shared_cache_and_a_valid_share(make_site: Callable[..., SiteDir]) -> None:
    site = make_site(_posts())
    result = site.build("--shard", "1/2")
    assert result.code == 1
    assert "site.toml: --shard stores its results" in result.stderr
    assert "cache_url" in result.stderr

    result = site.build("--shard", "3/2")
    assert result.code == 1
    assert "--shard takes K/N with 1 <= K <= N, not '3/2'" in result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on 127.0.0.1, with a bucket named `lemma`; stopped afterwards."""
    pytest.importorskip("s3fs")
    pytest.importorskip("moto")
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):  # until it answers: bounded, and no time is asserted
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            if server.poll() is not None:
                pytest.fail("moto's server exited at start")
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(0.1)
        else:
            pytest.fail("moto's server never answered")
        request = urllib.request.Request(f"{endpoint}/lemma", method="PUT")
        urllib.request.urlopen(request, timeout=10).close()  # create the bucket
        yield endpoint
    finally:
        server.terminate()
        server.wait(10)


S3_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def test_shards_over_a_local_s3_server_give_the_bytes_of_one_machine(
    tmp_path: Path, s3_endpoint: str
) -> None:
    site_toml = (
        'cache_url = "s3://lemma/blog-cache"\n'
        f'cache_options = {{ endpoint_url = "{s3_endpoint}" }}\n'
    )
    _assert_sharded_equals_one_machine(tmp_path, site_toml, S3_ENV)

    import s3fs

    fs = s3fs.S3FileSystem(endpoint_url=s3_endpoint, key="testing", secret="testing")
    assert len(fs.ls("lemma/blog-cache/entries")) == POSTS
    assert len(fs.ls("lemma/blog-cache/figures")) == POSTS


def test_unreachable_shared_store_costs_runs_never_the_build(tmp_path: Path) -> None:
    port = _free_port()  # nothing listens there
    site_toml = (
        'cache_url = "s3://lemma/blog-cache"\n'
        f'cache_options = {{ endpoint_url = "http://127.0.0.1:{port}" }}\n'
    )
    pytest.importorskip("s3fs")
    site = _machine(tmp_path, "offline", site_toml)
    env = {**S3_ENV, "AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "standard"}
    result = site.build(env=env)
    assert_ok(result)
    assert f"{POSTS} executed" in result.stdout


def test_shard_with_an_unreachable_store_fails_before_running_anything(tmp_path: Path) -> None:
    pytest.importorskip("s3fs")
    port = _free_port()  # nothing listens there
    site_toml = (
        'cache_url = "s3://lemma/blog-cache"\n'
        f'cache_options = {{ endpoint_url = "http://127.0.0.1:{port}" }}\n'
    )
    site = _machine(tmp_path, "offline-shard", site_toml)
    env = {**S3_ENV, "AWS_MAX_ATTEMPTS": "1"}
    result = site.build("--shard", "1/2", env=env)
    assert result.code == 1, str(result)
    assert "site.toml: cache_url 's3://lemma/blog-cache' cannot be written" in result.stderr
    assert "ran posts/" not in result.stdout
    assert "Traceback" not in result.stderr
