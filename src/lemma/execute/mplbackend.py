"""Matplotlib backend of the child: Agg rendering; `plt.show()` turns open figures into outputs."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg

from lemma.execute import figures

# The child selects this module with MPLBACKEND=module://lemma.execute.mplbackend, the same
# mechanism as Jupyter's inline backend, so `plt.show()` works however it was imported.
FigureCanvas = FigureCanvasAgg


def show(*args: object, **kwargs: object) -> None:
    figures.show_open_figures()
