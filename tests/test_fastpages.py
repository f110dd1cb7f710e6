"""fastpages' notebooks as posts: the title cell as front matter and the cell flags as the tags
they stand for, as a fastpages blog copied into posts/ relies on them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from lemma.load.fastpages import cell_flag, header_yaml
from site_support import SiteDir, assert_ok

TITLE_CELL = """# "Fitting a line with gradient descent"
> "A tour of the loss surface, in numpy."

- toc: true
- branch: master
- badges: true
- comments: true
- author: Ada Lovelace
- categories: [jupyter, optimization]"""


def write_notebook(site: SiteDir, name: str, *cells: Any) -> None:
    """A notebook as fastpages' template has it: no raw cell, the date in the file name."""
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = new_notebook(cells=list(cells), metadata={"kernelspec": kernel})
    nbformat.validate(notebook)
    site.write(f"posts/{name}.ipynb", nbformat.writes(notebook))


def new_site(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path)
    site.write("site.toml", 'title = "fastpages"\n')
    return site


def test_the_title_cell_is_the_front_matter() -> None:
    found = yaml.safe_load(header_yaml(TITLE_CELL) or "")
    assert found["title"] == "Fitting a line with gradient descent"
    assert found["description"] == "A tour of the loss surface, in numpy."
    assert found["categories"] == ["jupyter", "optimization"]
    assert found["toc"] is True and found["author"] == "Ada Lovelace"


def test_a_first_cell_of_prose_is_no_title_cell() -> None:
    assert header_yaml("# Introduction\n\nWe fit a line.") is None
    assert header_yaml("# Introduction") is None
    assert header_yaml('# "Title"\n> "Summary"\n\nAnd a paragraph.') is None


def test_a_flag_is_a_tag_and_its_line_goes() -> None:
    assert cell_flag("#hide\nimport numpy as np") == (("remove-cell",), "import numpy as np")
    assert cell_flag("#collapse-hide\nx = 1") == (("hide-input",), "x = 1")
    assert cell_flag("# hide_input\nprint(1)") == (("remove-input",), "print(1)")
    assert cell_flag("# hide the axes\nplt.axis('off')") is None
    assert cell_flag("#export\ndef f(): ...") is None


def test_a_fastpages_notebook_builds_as_its_author_wrote_it(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    write_notebook(
        site,
        "2020-02-20-gradient-descent",
        new_markdown_cell(TITLE_CELL),
        new_markdown_cell("## Setup\n\nWe minimise the squared error."),
        new_code_cell("#hide\nimport numpy as np\nSECRET_SETUP = 'HIDDEN-' + 'CELL'"),
        new_code_cell("#collapse-hide\nprint('FOLDED-' + 'CODE')"),
        new_code_cell("#collapse-show\nprint('SHOWN-' + 'CODE', np.sqrt(16))"),
        new_code_cell("#hide_input\nprint('ONLY-' + 'OUTPUT')"),
    )
    result = site.build()
    assert_ok(result)
    page = site.page("posts/gradient-descent/index.html")
    assert "<h1" in page and "Fitting a line with gradient descent</h1>" in page
    assert "&quot;Fitting" not in page and '>"Fitting' not in page
    assert "- toc: true" not in page and "badges" not in page
    assert '<meta name="description" content="A tour of the loss surface, in numpy.">' in page
    assert "Ada Lovelace" in page and 'href="/tags/optimization/"' in page
    assert 'class="post-toc' in page  # toc: true
    assert "SECRET_SETUP" not in page and "HIDDEN-CELL" not in page
    assert "FOLDED-CODE" in page and "lemma-fold" in page
    assert "SHOWN-CODE" in page and "4.0" in page  # the hidden cell ran: np is there
    assert "ONLY-OUTPUT" in page and "ONLY-" not in page.replace("ONLY-OUTPUT", "")
    assert "#hide" not in page and "#collapse" not in page


def test_an_error_in_a_flagged_cell_is_at_its_line_in_the_cell(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    write_notebook(
        site,
        "2020-02-21-broken",
        new_markdown_cell('# "Broken"\n- toc: false'),
        new_code_cell("#collapse-hide\nx = 1\ny = x / 0"),
    )
    result = site.build()
    assert result.code == 1
    assert "posts/2020-02-21-broken.ipynb: cell 2, line 3: ZeroDivisionError" in result.stderr


def test_hide_and_search_exclude_are_read(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    write_notebook(site, "2020-03-01-hidden", new_markdown_cell('# "Hidden"\n- hide: true'))
    write_notebook(
        site, "2020-03-02-unsearched", new_markdown_cell('# "Unsearched"\n- search_exclude: true')
    )
    result = site.build()
    assert_ok(result)
    assert not (site.out / "posts" / "hidden").exists()  # a draft, as Pelican's hidden is
    page = site.page("posts/unsearched/index.html")
    assert 'data-pagefind-ignore="all"' in page and "data-pagefind-body" not in page
