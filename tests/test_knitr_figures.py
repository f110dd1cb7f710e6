"""knitr's include_graphics() in a real build: the R chunk that only includes an image shows
it, as a numbered figure when it has a caption and a name."""

from __future__ import annotations

from pathlib import Path

from site_support import NO_SEARCH, SiteDir, assert_ok, post, warning_line

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e527de500000000049454e44ae426082"
)

BODY = """```{r pic, echo=FALSE, fig.cap="A PICTURE-CAPTION", out.width="50%"}
knitr::include_graphics("pic.png")
```

See Figure \\@ref(fig:pic).

```{r}
include_graphics('pic.png')
```

```{r}
x <- 1
knitr::include_graphics("pic.png")
```
"""


def test_include_graphics_chunks_are_images_and_figures(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    site.write("site.toml", NO_SEARCH)
    site.write("posts/p/index.Rmd", post("Pictures", body=BODY))
    (tmp_path / "posts/p/pic.png").write_bytes(PNG)
    result = site.build()
    assert_ok(result)
    page = site.page("posts/p/index.html")
    assert "Figure 1: A PICTURE-CAPTION" in page
    assert 'href="#fig-pic" data-lemma-card="fig-pic">1<' in page
    assert page.count('alt="A PICTURE-CAPTION"') == 1 and 'alt=""' in page
    assert "include_graphics(&#39;pic.png&#39;)" not in page
    assert "x &lt;- 1" in page or "x</span>" in page  # R code besides the image: shown as code
    warning_line(result, "posts/p/index.Rmd", 6, "knitr option 'out.width=\"50%\"'")
    warning_line(result, "posts/p/index.Rmd", 16, "R Markdown's {r} chunk is not run")
