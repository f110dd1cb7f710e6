"""`lemma check --drift`: fresh outputs against frozen ones, text and figures, within tolerance."""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree import ElementTree as ET

import pytest

from site_support import NO_SEARCH, SiteDir, assert_ok, error_line, post

MODEL = post(
    "Model",
    freeze="auto",
    body=(
        "```python\n"  # line 6
        "{text_option}"
        "import numpy as np\n"
        "weights = np.loadtxt('weights.txt')\n"
        "print('mean', weights.mean())\n"
        "```\n"
        "\n"
        "```python\n"
        "{figure_option}"
        "import matplotlib.pyplot as plt\n"
        "plt.plot(np.loadtxt('curve.txt'))\n"
        "```\n"
    ),
)


@pytest.fixture
def frozen_site(make_site: Callable[..., SiteDir]) -> Callable[..., SiteDir]:
    def make(text_option: str = "", figure_option: str = "", site_toml: str = "") -> SiteDir:
        body = MODEL.format(text_option=text_option, figure_option=figure_option)
        site = make_site(
            {
                "site.toml": NO_SEARCH + site_toml,
                "posts/model.md": body,
                "posts/weights.txt": "1\n2\n3\n",
                "posts/curve.txt": "1\n2\n3\n",
            }
        )
        assert_ok(site.lemma("freeze"))
        return site

    return make


def _line(site: SiteDir, code: str) -> int:
    """The line of the first snippet line containing `code`."""
    lines = (site.root / "posts" / "model.md").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if code in line)


def test_unchanged_world_has_no_drift(frozen_site: Callable[..., SiteDir]) -> None:
    site = frozen_site()
    result = site.lemma("check", "--drift")
    assert_ok(result)
    assert "1 executed, 0 from cache, 0 failed" in result.stdout  # run afresh, not cached


def test_changed_number_is_drift_at_its_snippet_in_every_format(
    frozen_site: Callable[..., SiteDir],
) -> None:
    site = frozen_site()
    site.write("posts/weights.txt", "1\n2\n3.0003\n")  # a new data file: the mean moves
    line = _line(site, "import numpy")

    text = site.lemma("check", "--drift")
    assert text.code == 1, str(text)
    error_line(text, "posts/model.md", line, "output changed since _freeze/: text changed")
    assert "    - mean 2.0\n    + mean 2.0001" in text.stderr
    assert "lemma freeze posts/model.md" in text.stderr

    github = site.lemma("check", "--drift", "--format", "github")
    assert github.code == 1
    annotations = [a for a in github.stdout.splitlines() if a.startswith("::error")]
    assert annotations == [
        f"::error file=posts/model.md,line={line}::output changed since _freeze/: text changed "
        "(if the new output is right: lemma freeze posts/model.md)%0A- mean 2.0%0A+ mean 2.0001"
    ]

    junit = site.lemma("check", "--drift", "--format", "junit")
    assert junit.code == 1
    suite = ET.fromstring(junit.stdout)
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.text == "- mean 2.0\n+ mean 2.0001"
    assert f"posts/model.md:{line}: output changed" in failure.get("message", "")


def test_number_within_tolerance_of_snippet_or_site_is_no_drift(
    frozen_site: Callable[..., SiteDir],
) -> None:
    for site in (
        frozen_site(text_option="#| drift-rtol: 1e-3\n"),
        frozen_site(site_toml="[execute]\ndrift-rtol = 1e-3\n"),
    ):
        site.write("posts/weights.txt", "1\n2\n3.0003\n")  # relative change 5e-5
        assert_ok(site.lemma("check", "--drift"))
        site.write("posts/weights.txt", "1\n2\n3.3\n")  # relative change 5e-2: beyond
        result = site.lemma("check", "--drift")
        assert result.code == 1
        assert "+ mean 2.1" in result.stderr


def test_changed_figure_is_drift_with_an_html_report_side_by_side(
    frozen_site: Callable[..., SiteDir],
) -> None:
    site = frozen_site()
    site.write("posts/curve.txt", "3\n1\n2\n")
    line = _line(site, "import matplotlib")

    result = site.lemma("check", "--drift", "--drift-report", "report/drift.html")

    assert result.code == 1, str(result)
    message = error_line(result, "posts/model.md", line, "figure 1 changed")
    rms = float(re.search(r"RMS (\d+\.\d+) > 0", message).group(1))  # type: ignore[union-attr]
    assert rms > 1
    assert "drift report: report/drift.html" in result.stderr
    report = (site.root / "report" / "drift.html").read_text()
    assert f"posts/model.md:{line}" in report
    images = re.findall(r'<img src="data:image/png;base64,[^"]+" alt="([^"]+)"', report)
    assert images == ["figure 1 before", f"figure 1 now (RMS {rms:.2f})", "difference"]


def test_figure_within_pixel_tolerance_is_no_drift(frozen_site: Callable[..., SiteDir]) -> None:
    strict = frozen_site()
    tolerant = frozen_site(figure_option="#| drift-figure-rms: 10\n")
    for site in (strict, tolerant):
        site.write("posts/curve.txt", "1\n2\n3.01\n")  # the line moves by a few pixels

    assert strict.lemma("check", "--drift").code == 1
    assert_ok(tolerant.lemma("check", "--drift"))
    tolerant.write("posts/curve.txt", "3\n2\n1\n")  # the line turns over: far beyond
    assert tolerant.lemma("check", "--drift").code == 1


def test_post_without_frozen_results_compares_with_the_last_cached_run(
    make_site: Callable[..., SiteDir],
) -> None:
    body = "```python\nprint(open('n.txt').read().strip())\n```\n"
    site = make_site({"posts/plain.md": post("Plain", body=body), "posts/n.txt": "41\n"})
    assert_ok(site.lemma("check", "--drift"))  # nothing to compare with yet: a warning
    assert_ok(site.build())
    site.write("posts/n.txt", "42\n")

    result = site.lemma("check", "--drift")

    assert result.code == 1
    error_line(result, "posts/plain.md", 7, "output changed since the cache: text changed")
    assert "- 41\n    + 42" in result.stderr
