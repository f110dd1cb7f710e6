"""IPython's display objects in a post, as a notebook turned into a post uses them.

`from IPython.display import display` replaces the post's own `display()` with IPython's, which
outside a Jupyter kernel prints each object's repr: the page said "<IPython.core.display.Math
object>" where the notebook showed a formula. These posts are written as IPython's
documentation writes them, and run with the real IPython installed.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable

import pytest

from site_support import SiteDir, assert_ok, post

pytest.importorskip("IPython")

NOTEBOOK = r"""
```python
from IPython.display import display, clear_output, HTML, Markdown, Math, Latex, SVG
import numpy as np

z = np.array([1.0, 2.0, 3.0])
p = np.exp(z) / np.exp(z).sum()
clear_output(wait=True)
display(Math(r"\sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}"))
display(Markdown(f"The largest probability is **{p.max():.3f}**."))
display(HTML("<table><tr><td>cell</td></tr></table>"), Latex(r"$$\int_0^1 x\,dx$$"))
SVG('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><circle r="4"/></svg>')
```

```python
import IPython.display as ipd
import matplotlib.pyplot as plt

fig, ax = plt.subplots()
ax.plot([0, 1], [1, 0])
fig.savefig("line.png")
fig.savefig("line.jpg")
plt.close(fig)
ipd.display(ipd.Image(filename="line.png", width=320, alt='A "falling" line'))
ipd.display(ipd.Image(filename="line.jpg"))
ipd.display_markdown("*given raw*", raw=True)
progress = ipd.display(ipd.HTML("<i>step 1</i>"), display_id=True)
progress.update(ipd.HTML("<i>step 2</i>"))
print("after all")
```
"""


def _outputs(page: str) -> list[str]:
    """The class of each output of the page's snippets, in order."""
    return re.findall(r'class="lemma-output (lemma-[a-z]+)', page)


def test_ipython_display_objects_show_below_the_snippet(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"posts/nb.md": post("From a notebook", body=NOTEBOOK)})
    result = site.build()
    assert_ok(result)
    page = site.page("posts/nb/index.html")
    assert "IPython.core.display" not in page  # no repr printed in place of an object
    assert "\x1b" not in page and "[2K" not in page  # clear_output printed terminal escapes
    assert "<mi>σ</mi>" in page and "∑</mo>" in page  # the Math, typeset
    assert "<strong>0.665</strong>" in page  # the Markdown, rendered
    assert "<td>cell</td>" in page and "∫</mo>" in page  # both objects of one display()
    assert '<circle r="4"/>' in page  # the SVG, inline
    png, jpeg = re.findall(
        r'<img class="figure" src="data:(image/(?:png|jpeg));base64,([^"]+)"([^>]*)>', page
    )
    assert png[0] == "image/png" and base64.b64decode(png[1]).startswith(b"\x89PNG")
    assert 'width="320" alt="A &#34;falling&#34; line"' in png[2]  # as Image(...) asked
    assert jpeg[0] == "image/jpeg" and base64.b64decode(jpeg[1]).startswith(b"\xff\xd8")
    assert "width=" not in jpeg[2] and 'alt="Image output of the snippet"' in jpeg[2]
    assert "<em>given raw</em>" in page  # display_markdown(..., raw=True)
    # the update took the place of step 1, as Jupyter redraws it
    assert "<i>step 1</i>" not in page  # the code shows it escaped: &lt;i&gt;
    assert page.index("<i>step 2</i>") < page.rindex("after all")  # the output, not the code
    assert _outputs(page) == [
        *("lemma-latex", "lemma-markdown", "lemma-html", "lemma-latex", "lemma-figure"),
        *("lemma-figure", "lemma-figure", "lemma-markdown", "lemma-html", "lemma-stream"),
    ]


ANIMATION = """
```python
from IPython.display import HTML, clear_output, display, update_display
import matplotlib.pyplot as plt

print("before", "the loop")
for step in range(3):
    clear_output(wait=True)
    print(f"drawing step {step}")
    plt.plot(range(step + 2))
    plt.show()
display(HTML("<b>fit: 0%</b>"), display_id="fit")
display(HTML("<i>between</i>"))
for percent in (50, 100):
    update_display(HTML(f"<b>fit: {percent}%</b>"), display_id="fit")
```
"""


def test_clear_output_and_updates_leave_what_jupyter_leaves(
    make_site: Callable[..., SiteDir],
) -> None:
    """A loop that clears its output and draws again leaves its last drawing; a display
    updated by its id shows its last state, where it first was."""
    site = make_site({"posts/anim.md": post("Animated", body=ANIMATION)})
    assert_ok(site.build())
    page = site.page("posts/anim/index.html")
    assert "before the loop" not in page and "drawing step 1" not in page
    assert "drawing step 2" in page
    assert page.index("<b>fit: 100%</b>") < page.index("<i>between</i>")
    assert "<b>fit: 0%</b>" not in page and "<b>fit: 50%</b>" not in page
    assert _outputs(page) == ["lemma-stream", "lemma-figure", "lemma-html", "lemma-html"]


def test_an_images_size_and_alt_text_reach_its_notebook(make_site: Callable[..., SiteDir]) -> None:
    site = make_site({"posts/nb.md": post("From a notebook", body=NOTEBOOK)})
    assert_ok(site.build())
    notebook = json.loads((site.out / "posts/nb/nb.ipynb").read_text(encoding="utf-8"))
    shown = [o for cell in notebook["cells"] for o in cell.get("outputs", ()) if "data" in o]
    png = next(o for o in shown if "image/png" in o["data"])
    assert png["metadata"] == {"image/png": {"width": 320, "alt": 'A "falling" line'}}
    jpeg = next(o for o in shown if "image/jpeg" in o["data"])
    assert jpeg["metadata"] == {}
    # A prose edit takes the run from the cache, which keeps them too.
    site.write("posts/nb.md", post("From a notebook", body="Edited.\n" + NOTEBOOK))
    result = site.build()
    assert_ok(result)
    assert "0 executed, 1 from cache" in result.stdout
    assert 'width="320" alt="A &#34;falling&#34; line"' in site.page("posts/nb/index.html")
