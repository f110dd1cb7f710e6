"""Which figures keep their colours in the dark theme, read from the files Matplotlib writes."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure as MplFigure

from lemma.model import Figure, Rich
from lemma.render.figure_colours import keeps_colours
from lemma.render.outputs import outputs_for_template
from lemma.reuse.figures import FigureStore

RNG = np.random.default_rng(0)
X = np.linspace(0, 2 * np.pi, 50)
GRID = np.sin(X)[:, None] * np.cos(X)[None, :]


def line_plot(ax: Axes) -> None:
    ax.plot(X, np.sin(X))


def ten_lines_with_a_legend(ax: Axes) -> None:
    for k in range(10):
        ax.plot(X, np.sin(X + k), label=str(k))
    ax.legend()
    ax.grid(True)


def histogram(ax: Axes) -> None:
    ax.hist(RNG.normal(size=500), bins=30)


def heatmap(ax: Axes) -> None:
    image = ax.imshow(RNG.random((10, 10)), cmap="viridis")
    ax.figure.colorbar(image)


def grey_heatmap(ax: Axes) -> None:
    ax.imshow(RNG.random((10, 10)), cmap="gray")


def mesh(ax: Axes) -> None:
    ax.pcolormesh(RNG.random((10, 10)))


def filled_contours(ax: Axes) -> None:
    ax.contourf(GRID)  # Matplotlib's default levels: 8 colours


def hexbins(ax: Axes) -> None:
    ax.hexbin(RNG.normal(size=2000), RNG.normal(size=2000), gridsize=15)


def saved(draw: Callable[[Axes], None], fig_format: str) -> bytes:
    fig = MplFigure()
    draw(fig.add_subplot())
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fig_format)
    return buffer.getvalue()


PLAIN = [line_plot, ten_lines_with_a_legend, histogram]
COLOUR_MAPPED = [heatmap, grey_heatmap, mesh, filled_contours, hexbins]


@pytest.mark.parametrize("fig_format", ["svg", "png"])
@pytest.mark.parametrize("draw", PLAIN, ids=lambda f: f.__name__)
def test_plain_plots_are_inverted(draw: Callable[[Axes], None], fig_format: str) -> None:
    assert not keeps_colours(saved(draw, fig_format))


@pytest.mark.parametrize("fig_format", ["svg", "png"])
@pytest.mark.parametrize("draw", COLOUR_MAPPED, ids=lambda f: f.__name__)
def test_colour_mapped_plots_keep_their_colours(
    draw: Callable[[Axes], None], fig_format: str
) -> None:
    assert keeps_colours(saved(draw, fig_format))


def test_a_scatter_plot_coloured_by_a_colormap_keeps_its_colours_as_svg() -> None:
    def scatter(ax: Axes) -> None:
        ax.scatter(RNG.random(50), RNG.random(50), c=RNG.random(50))

    assert keeps_colours(saved(scatter, "svg"))


def test_bytes_that_are_no_image_are_inverted_as_before() -> None:
    assert not keeps_colours(b"\x89PNG\r\n\x1a\n broken")
    assert not keeps_colours(b"")


def test_figures_and_stored_images_carry_the_decision_to_the_template(tmp_path: Path) -> None:
    store = FigureStore(tmp_path)
    (tmp_path / f"{'a' * 64}.svg").write_bytes(saved(heatmap, "svg"))
    (tmp_path / f"{'b' * 64}.svg").write_bytes(saved(line_plot, "svg"))
    png = base64.b64encode(saved(mesh, "png")).decode()
    outputs = [
        Figure(f"{'a' * 64}.svg", 640, 480, "heatmap"),
        Figure(f"{'b' * 64}.svg", 640, 480, "line"),
        Rich("image/png", png),
        Rich("image/svg+xml", saved(line_plot, "svg").decode()),
    ]
    views = outputs_for_template(outputs, str, store, {}, str)
    assert [view["keep_colours"] for view in views] == [True, False, True, False]
