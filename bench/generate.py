# ruff: noqa: E501, F541  (the snippets are code written as f-strings, kept one line per line)
"""Generate N synthetic math posts, the same content in Lemma's format and in each peer's format.

    python bench/generate.py 100 bench/_work/sites/n100

writes, under the output folder:

    lemma/posts/*.md            Lemma (site.toml, YAML front matter, ```python fences)
    mkdocs/docs/*.md            MkDocs + markdown-exec (```python exec="on" session="post-N")
    jupyter/*.md                Jupytext Markdown notebooks (converted and run by nbconvert)
    pelican/content/*.md        Pelican (Markdown, rendered only)
    hugo/content/posts/*.md     Hugo (Markdown, rendered only)
    floor/snippets.json         the snippets alone, for the floor measurements
    floor/post-NNNN.py          one plain script per post (the fresh-`python`-per-post baseline)
    expected.json               what each post must print and draw: the execution check

Deterministic: the same N gives the same bytes. Each post has 600-1,500 words of prose with headings,
a table, inline and display math, 3-6 python snippets that build on each other with numpy (at least
one print and one matplotlib figure), and one fence that is not executed.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

# Each print carries a marker computed at run time ("[12:3]"), which never appears in the code as
# written ('[{seed}:3]'), so finding it in a page proves the snippet ran. Each figure's title
# carries "(post 12, figure 2)", found in the SVG's text comments or Lemma's alt text.
PROSE_EDIT_FROM = "We now look at the numbers."
CODE_EDIT_PATTERN = re.compile(r"^n = (\d+)$", re.MULTILINE)

TOPICS = (
    "gradient descent",
    "monte carlo",
    "fourier analysis",
    "principal components",
    "markov chains",
    "kl divergence",
    "newton's method",
    "central limit theorem",
)

TAGS = {
    "gradient descent": ["optimization", "machine-learning"],
    "monte carlo": ["probability", "simulation"],
    "fourier analysis": ["signal-processing", "linear-algebra"],
    "principal components": ["linear-algebra", "statistics"],
    "markov chains": ["probability", "linear-algebra"],
    "kl divergence": ["information-theory", "probability"],
    "newton's method": ["optimization", "numerics"],
    "central limit theorem": ["probability", "statistics"],
}

AUTHORS = ("Ada Okafor", "Tomás Lindqvist", "Mei Tanaka", "Ravi Menon", "Lena Fischer")


@dataclass(frozen=True)
class Snippet:
    code: str
    prints: tuple[str, ...]  # markers
    figures: tuple[str, ...]  # markers


def _snippets(topic: str, seed: int, rnd: random.Random) -> list[Snippet]:
    """Six snippets of one topic; each builds on the names defined by the ones before it."""
    n = rnd.choice([200, 300, 400, 500])
    fig = [f"(post {seed}, figure {k})" for k in (1, 2, 3)]
    p = [f"[{seed}:{k}]" for k in range(1, 10)]
    setup = (
        "import numpy as np\nimport matplotlib.pyplot as plt\n\n"
        f"seed = {seed}\nrng = np.random.default_rng(seed)\nn = {n}\n"
    )
    if topic == "gradient descent":
        codes = [
            setup + "X = rng.normal(0.0, 2.0, size=(n, 3))\nw_true = np.array([1.5, -0.7, 0.3])\n"
            "y = X @ w_true + 0.5 + rng.normal(0.0, 0.5, size=n)\n"
            f'print(f"[{{seed}}:1] {{n}} examples, mean target {{y.mean():.3f}}")',
            "def loss(w, b):\n    r = X @ w + b - y\n    return float(r @ r) / n\n\n"
            "def gradient(w, b):\n    r = X @ w + b - y\n    return 2 * X.T @ r / n, 2 * r.mean()\n\n"
            "w, b = np.zeros(3), 0.0\nlosses = []\nfor step in range(300):\n"
            "    gw, gb = gradient(w, b)\n    w, b = w - 0.02 * gw, b - 0.02 * gb\n"
            "    losses.append(loss(w, b))\n"
            f'print(f"[{{seed}}:2] final loss {{losses[-1]:.4f}}, w = {{np.round(w, 3)}}")',
            "fig, ax = plt.subplots(figsize=(6, 3.5))\nax.semilogy(losses)\n"
            'ax.set_xlabel("step")\nax.set_ylabel("loss")\n'
            f'ax.set_title(f"Loss curve (post {{seed}}, figure 1)")\nplt.show()',
            "rates = [0.005, 0.01, 0.02, 0.05]\ncurves = {}\nfor lr in rates:\n"
            "    w, b = np.zeros(3), 0.0\n    trace = []\n    for step in range(200):\n"
            "        gw, gb = gradient(w, b)\n        w, b = w - lr * gw, b - lr * gb\n"
            "        trace.append(loss(w, b))\n    curves[lr] = trace\n"
            f'print(f"[{{seed}}:3] best rate {{min(curves, key=lambda r: curves[r][-1])}}")',
            "fig, ax = plt.subplots(figsize=(6, 3.5))\nfor lr, trace in curves.items():\n"
            '    ax.semilogy(trace, label=f"rate {lr}")\nax.legend()\n'
            f'ax.set_title(f"Step sizes (post {{seed}}, figure 2)")\nplt.show()',
            "exact = np.linalg.lstsq(np.column_stack([X, np.ones(n)]), y, rcond=None)[0]\n"
            f'print(f"[{{seed}}:4] gap to least squares {{np.abs(exact[:3] - w).max():.2e}}")\n'
            "exact.round(3)",
        ]
    elif topic == "monte carlo":
        codes = [
            setup + "points = rng.uniform(-1.0, 1.0, size=(n * 20, 2))\n"
            "inside = (points ** 2).sum(axis=1) <= 1.0\n"
            f'print(f"[{{seed}}:1] pi is about {{4 * inside.mean():.4f}}")',
            "counts = np.arange(1, inside.size + 1)\nrunning = 4 * np.cumsum(inside) / counts\n"
            "error = np.abs(running - np.pi)\n"
            f'print(f"[{{seed}}:2] error after {{counts[-1]}} draws: {{error[-1]:.2e}}")',
            "fig, ax = plt.subplots(figsize=(6, 3.5))\nax.loglog(counts[::10], error[::10])\n"
            'ax.loglog(counts[::10], 1 / np.sqrt(counts[::10]), "--")\n'
            f'ax.set_title(f"Monte Carlo error (post {{seed}}, figure 1)")\nplt.show()',
            "def integrate(f, draws):\n    u = rng.uniform(0.0, 1.0, size=draws)\n"
            "    values = f(u)\n    return values.mean(), values.std() / np.sqrt(draws)\n\n"
            "estimate, stderr = integrate(lambda u: np.exp(-u ** 2), n * 50)\n"
            f'print(f"[{{seed}}:3] integral {{estimate:.4f}} +/- {{stderr:.4f}}")',
            "batches = np.array([integrate(np.sin, 200)[0] for _ in range(300)])\n"
            "fig, ax = plt.subplots(figsize=(6, 3.5))\nax.hist(batches, bins=30)\n"
            f'ax.set_title(f"Estimates (post {{seed}}, figure 2)")\nplt.show()',
            f'print(f"[{{seed}}:4] spread of estimates {{batches.std():.4f}}")\n'
            "np.percentile(batches, [5, 50, 95]).round(4)",
        ]
    elif topic == "fourier analysis":
        codes = [
            setup + "t = np.linspace(0.0, 1.0, 4 * n, endpoint=False)\nfreqs_true = [5, 12, 31]\n"
            "signal = sum(np.sin(2 * np.pi * f * t) / (k + 1) for k, f in enumerate(freqs_true))\n"
            "noisy = signal + rng.normal(0.0, 0.4, size=t.size)\n"
            f'print(f"[{{seed}}:1] {{t.size}} samples, signal power {{np.mean(signal ** 2):.3f}}")',
            "spectrum = np.fft.rfft(noisy)\nfreqs = np.fft.rfftfreq(t.size, d=t[1] - t[0])\n"
            "peaks = freqs[np.argsort(np.abs(spectrum))[-3:]]\n"
            f'print(f"[{{seed}}:2] strongest frequencies {{sorted(peaks.tolist())}}")',
            "fig, ax = plt.subplots(figsize=(6, 3.5))\nax.plot(freqs, np.abs(spectrum))\n"
            'ax.set_xlim(0, 50)\nax.set_xlabel("frequency")\n'
            f'ax.set_title(f"Spectrum (post {{seed}}, figure 1)")\nplt.show()',
            "kept = np.where(np.abs(spectrum) > 0.2 * np.abs(spectrum).max(), spectrum, 0)\n"
            "cleaned = np.fft.irfft(kept, n=t.size)\n"
            f'print(f"[{{seed}}:3] error after filtering {{np.sqrt(np.mean((cleaned - signal) ** 2)):.3f}}")',
            "fig, ax = plt.subplots(figsize=(6, 3.5))\n"
            'ax.plot(t[:200], noisy[:200], ".", ms=2)\nax.plot(t[:200], cleaned[:200])\n'
            f'ax.set_title(f"Filtered (post {{seed}}, figure 2)")\nplt.show()',
            "energy = np.cumsum(np.sort(np.abs(spectrum) ** 2)[::-1])\n"
            f'print(f"[{{seed}}:4] coefficients for 90% energy: {{int(np.searchsorted(energy, 0.9 * energy[-1])) + 1}}")',
        ]
    elif topic == "principal components":
        codes = [
            setup + "A = rng.normal(size=(4, 4))\ncov = A @ A.T + np.eye(4)\n"
            "data = rng.multivariate_normal(np.zeros(4), cov, size=n)\n"
            f'print(f"[{{seed}}:1] data shape {{data.shape}}, trace {{np.trace(cov):.2f}}")',
            "centered = data - data.mean(axis=0)\nsample_cov = centered.T @ centered / (n - 1)\n"
            "eigenvalues, eigenvectors = np.linalg.eigh(sample_cov)\n"
            "order = np.argsort(eigenvalues)[::-1]\n"
            "eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]\n"
            "explained = eigenvalues / eigenvalues.sum()\n"
            f'print(f"[{{seed}}:2] explained variance {{np.round(explained, 3)}}")',
            "scores = centered @ eigenvectors[:, :2]\nfig, ax = plt.subplots(figsize=(5, 4))\n"
            'ax.scatter(scores[:, 0], scores[:, 1], s=6)\nax.set_aspect("equal")\n'
            f'ax.set_title(f"First two components (post {{seed}}, figure 1)")\nplt.show()',
            "u, s, vt = np.linalg.svd(centered, full_matrices=False)\n"
            f'print(f"[{{seed}}:3] SVD agrees: {{np.allclose(s ** 2 / (n - 1), eigenvalues)}}")',
            "fig, ax = plt.subplots(figsize=(6, 3.5))\n"
            'ax.bar(range(1, 5), explained)\nax.plot(range(1, 5), np.cumsum(explained), "o-")\n'
            f'ax.set_title(f"Scree plot (post {{seed}}, figure 2)")\nplt.show()',
            "reconstructed = scores @ eigenvectors[:, :2].T\n"
            f'print(f"[{{seed}}:4] rank-2 error {{np.linalg.norm(centered - reconstructed) / np.linalg.norm(centered):.3f}}")',
        ]
    elif topic == "markov chains":
        codes = [
            setup + "P = rng.uniform(size=(5, 5)) ** 3\nP /= P.sum(axis=1, keepdims=True)\n"
            f'print(f"[{{seed}}:1] rows sum to one: {{np.allclose(P.sum(axis=1), 1)}}")\nP.round(2)',
            "values, vectors = np.linalg.eig(P.T)\n"
            "stationary = np.real(vectors[:, np.argmin(np.abs(values - 1))])\n"
            "stationary /= stationary.sum()\n"
            f'print(f"[{{seed}}:2] stationary {{np.round(stationary, 3)}}")',
            "dist = np.eye(5)[0]\ngaps = []\nfor step in range(40):\n    dist = dist @ P\n"
            "    gaps.append(np.abs(dist - stationary).sum())\n"
            "fig, ax = plt.subplots(figsize=(6, 3.5))\nax.semilogy(gaps)\n"
            f'ax.set_title(f"Distance to stationarity (post {{seed}}, figure 1)")\nplt.show()',
            "state, visits = 0, np.zeros(5)\nfor step in range(n * 20):\n"
            "    state = rng.choice(5, p=P[state])\n    visits[state] += 1\n"
            f'print(f"[{{seed}}:3] empirical {{np.round(visits / visits.sum(), 3)}}")',
            "fig, ax = plt.subplots(figsize=(6, 3.5))\nax.bar(np.arange(5) - 0.2, stationary, 0.4)\n"
            "ax.bar(np.arange(5) + 0.2, visits / visits.sum(), 0.4)\n"
            f'ax.set_title(f"Theory and simulation (post {{seed}}, figure 2)")\nplt.show()',
            f'print(f"[{{seed}}:4] second eigenvalue {{np.sort(np.abs(values))[-2]:.3f}}")',
        ]
    elif topic == "kl divergence":
        codes = [
            setup + "x = np.linspace(-6.0, 6.0, 4 * n)\n\ndef gauss(x, mu, sigma):\n"
            "    return np.exp(-(x - mu) ** 2 / (2 * sigma ** 2)) / (sigma * np.sqrt(2 * np.pi))\n\n"
            "p, q = gauss(x, 0.0, 1.0), gauss(x, 1.0, 1.5)\n"
            f'print(f"[{{seed}}:1] both integrate to {{np.trapezoid(p, x):.4f}} and {{np.trapezoid(q, x):.4f}}")',
            "def kl(p, q):\n    return float(np.trapezoid(p * np.log(p / q), x))\n\n"
            "exact = np.log(1.5) + (1 + 1) / (2 * 1.5 ** 2) - 0.5\n"
            f'print(f"[{{seed}}:2] numeric {{kl(p, q):.5f}}, closed form {{exact:.5f}}")',
            "fig, ax = plt.subplots(figsize=(6, 3.5))\n"
            'ax.plot(x, p, label="p")\nax.plot(x, q, label="q")\nax.fill_between(x, p, q, alpha=0.2)\n'
            f'ax.legend()\nax.set_title(f"Two Gaussians (post {{seed}}, figure 1)")\nplt.show()',
            "shifts = np.linspace(0.0, 3.0, 40)\n"
            "forward = [kl(p, gauss(x, m, 1.5)) for m in shifts]\n"
            "backward = [kl(gauss(x, m, 1.5), p) for m in shifts]\n"
            f'print(f"[{{seed}}:3] asymmetry at shift 3: {{forward[-1] - backward[-1]:.3f}}")',
            "fig, ax = plt.subplots(figsize=(6, 3.5))\n"
            'ax.plot(shifts, forward, label="KL(p||q)")\nax.plot(shifts, backward, label="KL(q||p)")\n'
            f'ax.legend()\nax.set_title(f"Asymmetry (post {{seed}}, figure 2)")\nplt.show()',
            "samples = rng.normal(0.0, 1.0, size=n * 10)\n"
            "log_ratio = np.log(gauss(samples, 0.0, 1.0) / gauss(samples, 1.0, 1.5))\n"
            f'print(f"[{{seed}}:4] Monte Carlo KL {{log_ratio.mean():.4f}}")',
        ]
    elif topic == "newton's method":
        codes = [
            setup + "X = rng.normal(size=(n, 2))\nw_true = np.array([2.0, -1.0])\n"
            "labels = (rng.uniform(size=n) < 1 / (1 + np.exp(-X @ w_true))).astype(float)\n"
            f'print(f"[{{seed}}:1] positive fraction {{labels.mean():.3f}}")',
            "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n\n"
            "def log_likelihood(w):\n    z = X @ w\n    return float(labels @ z - np.logaddexp(0, z).sum())\n\n"
            "w = np.zeros(2)\nhistory = [log_likelihood(w)]\nfor step in range(8):\n"
            "    s = sigmoid(X @ w)\n    grad = X.T @ (labels - s)\n"
            "    hess = -(X * (s * (1 - s))[:, None]).T @ X\n"
            "    w = w - np.linalg.solve(hess, grad)\n    history.append(log_likelihood(w))\n"
            f'print(f"[{{seed}}:2] Newton estimate {{np.round(w, 3)}}")',
            "fig, ax = plt.subplots(figsize=(6, 3.5))\n"
            'ax.plot(history, "o-")\nax.set_xlabel("iteration")\n'
            f'ax.set_title(f"Log-likelihood (post {{seed}}, figure 1)")\nplt.show()',
            "grid = np.linspace(-1.0, 4.0, 60)\n"
            "surface = np.array([[log_likelihood(np.array([a, b])) for a in grid] for b in grid - 2])\n"
            f'print(f"[{{seed}}:3] best on grid {{surface.max():.2f}} vs Newton {{history[-1]:.2f}}")',
            "fig, ax = plt.subplots(figsize=(5, 4))\nax.contour(grid, grid - 2, surface, levels=20)\n"
            'ax.plot(*w, "r*")\n'
            f'ax.set_title(f"Likelihood surface (post {{seed}}, figure 2)")\nplt.show()',
            f'print(f"[{{seed}}:4] accuracy {{((sigmoid(X @ w) > 0.5) == labels).mean():.3f}}")',
        ]
    else:  # central limit theorem
        codes = [
            setup + "draws = rng.exponential(1.0, size=(n * 10, 30))\n"
            f'print(f"[{{seed}}:1] skewness of one draw {{np.mean((draws[:, 0] - 1) ** 3):.3f}}")',
            "sizes = [1, 2, 5, 10, 30]\nmeans = {k: draws[:, :k].mean(axis=1) for k in sizes}\n"
            "for k in sizes:\n    m = means[k]\n"
            f'    print(f"[{{seed}}:2] size {{k:2d}}: std {{m.std():.3f}} (theory {{1 / np.sqrt(k):.3f}})")',
            "fig, axes = plt.subplots(1, 3, figsize=(8, 3), sharey=True)\n"
            "for ax, k in zip(axes, [1, 5, 30]):\n    ax.hist(means[k], bins=40, density=True)\n"
            '    ax.set_title(f"size {k}")\n'
            f'fig.suptitle(f"Sample means (post {{seed}}, figure 1)")\nplt.show()',
            "z = (means[30] - 1) * np.sqrt(30)\nquantiles = np.quantile(z, [0.025, 0.5, 0.975])\n"
            f'print(f"[{{seed}}:3] quantiles {{np.round(quantiles, 3)}}")',
            "grid = np.linspace(-4, 4, 200)\nfig, ax = plt.subplots(figsize=(6, 3.5))\n"
            "ax.hist(z, bins=50, density=True, alpha=0.6)\n"
            "ax.plot(grid, np.exp(-grid ** 2 / 2) / np.sqrt(2 * np.pi))\n"
            f'ax.set_title(f"Standardized means (post {{seed}}, figure 2)")\nplt.show()',
            f'print(f"[{{seed}}:4] coverage {{np.mean(np.abs(z) < 1.96):.3f}}")',
        ]
    snippets = []
    for code in codes:
        prints = tuple(m for k, m in enumerate(p, 1) if f"[{{seed}}:{k}]" in code)
        figures = tuple(m for k, m in enumerate(fig, 1) if f"(post {{seed}}, figure {k})" in code)
        snippets.append(Snippet(code, prints, figures))
    return snippets


# ---------------------------------------------------------------------------------------------
# Prose

SUBJECTS = {
    "gradient descent": ("the loss", "the gradient", "the step size", "the weights"),
    "monte carlo": ("the estimator", "the sample mean", "the variance", "the number of draws"),
    "fourier analysis": ("the spectrum", "the signal", "the sampling rate", "each coefficient"),
    "principal components": ("the covariance", "each component", "the projection", "the spectrum"),
    "markov chains": (
        "the transition matrix",
        "the chain",
        "the stationary distribution",
        "each row",
    ),
    "kl divergence": ("the divergence", "the density", "the log ratio", "the reference measure"),
    "newton's method": ("the Hessian", "the iterate", "the log-likelihood", "the update"),
    "central limit theorem": ("the sample mean", "the distribution", "the tail", "the variance"),
}
VERBS = (
    "depends on",
    "is controlled by",
    "shrinks with",
    "grows with",
    "can be read off from",
    "is bounded by",
    "behaves like",
    "is dominated by",
    "stays close to",
    "is determined by",
)
OBJECTS = (
    "the size of the data",
    "a single constant",
    "the condition number",
    "the noise level",
    "the first few terms",
    "the curvature",
    "the largest eigenvalue",
    "the choice of scale",
    "how far we start from the answer",
    "the geometry of the problem",
)
CONNECTIVES = (
    "In practice,",
    "Put differently,",
    "It follows that",
    "For this reason,",
    "Notice that",
    "At first sight,",
    "More precisely,",
    "As a consequence,",
    "Remarkably,",
    "Of course,",
)
INLINE_MATH = (
    r"$\alpha \in (0, 1)$",
    r"$\mathbf{x}_i \in \mathbb{R}^d$",
    r"$\sum_{i=1}^{n} x_i$",
    r"$\mathbb{E}[X] = \mu$",
    r"$\sigma^2 / n$",
    r"$O(1/\sqrt{n})$",
    r"$\lambda_{\max}$",
    r"$\|\mathbf{w}\|_2$",
    r"$p(x) > 0$",
    r"$\log \frac{p}{q}$",
    r"$f'(x_k)$",
    r"$e^{-t}$",
    r"$A^\top A$",
    r"$\theta^\star$",
    r"$k \to \infty$",
    r"$\nabla L(\mathbf{w})$",
)
DISPLAY_MATH = (
    r"\mathbf{w}_{k+1} = \mathbf{w}_k - \alpha \nabla L(\mathbf{w}_k)",
    r"\hat{\mu}_n = \frac{1}{n} \sum_{i=1}^{n} f(X_i), \qquad \operatorname{Var}(\hat{\mu}_n) = \frac{\sigma^2}{n}",
    r"\hat{x}_k = \sum_{t=0}^{N-1} x_t \, e^{-2 \pi i k t / N}",
    r"\Sigma = \frac{1}{n-1} \sum_{i=1}^{n} (\mathbf{x}_i - \bar{\mathbf{x}})(\mathbf{x}_i - \bar{\mathbf{x}})^\top",
    r"\pi^\top P = \pi^\top, \qquad \sum_{j} \pi_j = 1",
    r"D_{\mathrm{KL}}(p \,\|\, q) = \int p(x) \log \frac{p(x)}{q(x)} \, dx \ge 0",
    r"\theta_{k+1} = \theta_k - \left( \nabla^2 \ell(\theta_k) \right)^{-1} \nabla \ell(\theta_k)",
    r"\sqrt{n} \left( \bar{X}_n - \mu \right) \to \mathcal{N}(0, \sigma^2)",
    r"L(\mathbf{w}) = \frac{1}{n} \sum_{i=1}^{n} \left( \mathbf{x}_i^\top \mathbf{w} - y_i \right)^2",
    r"\left| \hat{\mu}_n - \mu \right| \le \frac{2 \sigma}{\sqrt{n}}",
)
HEADINGS = (
    "Setting up the problem",
    "A first experiment",
    "What the numbers say",
    "A closer look",
    "Where it breaks",
    "Comparing the variants",
    "A second view",
    "Checking against theory",
    "The general picture",
    "Loose ends",
)
NON_EXECUTED = (
    (
        "text",
        "step 0: loss 4.21\nstep 1: loss 2.87\nstep 2: loss 1.95    <- halves every few steps",
    ),
    ("pycon", ">>> import numpy as np\n>>> np.linalg.norm([3, 4])\nnp.float64(5.0)"),
    ("bash", "pip install numpy matplotlib\npython experiment.py --seed 0"),
    ("", "input  -> model -> prediction\n            ^\n            |  update with the gradient"),
)


def _sentence(rnd: random.Random, topic: str) -> str:
    subject = rnd.choice(SUBJECTS[topic])
    parts = [rnd.choice(CONNECTIVES), subject, rnd.choice(VERBS), rnd.choice(OBJECTS)]
    if rnd.random() < 0.45:
        parts += ["when", rnd.choice(INLINE_MATH)]
    if rnd.random() < 0.3:
        parts += ["and", rnd.choice(SUBJECTS[topic]), rnd.choice(VERBS), rnd.choice(OBJECTS)]
    text = " ".join(parts) + "."
    return text[0].upper() + text[1:]


def _paragraph(rnd: random.Random, topic: str, sentences: int) -> str:
    words = " ".join(_sentence(rnd, topic) for _ in range(sentences)).split(" ")
    lines, line = [], ""
    for word in words:  # wrap at 100 columns, as an author would
        if line and len(line) + 1 + len(word) > 100:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def _table(rnd: random.Random, topic: str) -> str:
    head = "| setting | value | error | time (ms) |\n|---|---:|---:|---:|"
    rows = [
        f"| {name} | {rnd.uniform(0, 10):.3f} | {rnd.uniform(0, 1):.2e} | {rnd.randint(1, 900)} |"
        for name in ("baseline", "small step", "large step", "tuned")
    ]
    return f"Table: {topic}, four settings.\n\n" + head + "\n" + "\n".join(rows)


@dataclass(frozen=True)
class Block:
    kind: str  # prose | heading | math | table | code | fence
    text: str
    snippet: Snippet | None = None
    language: str = ""


@dataclass(frozen=True)
class PostContent:
    number: int
    slug: str
    title: str
    day: date
    author: str
    tags: tuple[str, ...]
    blocks: tuple[Block, ...]

    @property
    def snippets(self) -> list[Snippet]:
        return [b.snippet for b in self.blocks if b.snippet is not None]


def make_post(number: int) -> PostContent:
    rnd = random.Random(number * 7919 + 17)
    topic = TOPICS[number % len(TOPICS)]
    seed = number
    snippets = _snippets(topic, seed, rnd)[: rnd.randint(3, 6)]
    target_words = rnd.randint(700, 1400)  # prose words; code and tables come on top
    headings = rnd.sample(HEADINGS, 4)
    title = f"{topic.title()}, part {number + 1}: {headings[0].lower()}"
    blocks: list[Block] = [Block("prose", _paragraph(rnd, topic, rnd.randint(3, 5)))]
    # Spread the snippets over the sections, prose and math between them.
    sections: list[list[Block]] = [[] for _ in range(3)]
    for index, snippet in enumerate(snippets):
        sections[min(index * 3 // len(snippets), 2)].append(Block("code", snippet.code, snippet))
    fence_language, fence_text = NON_EXECUTED[number % len(NON_EXECUTED)]
    for index, section in enumerate(sections):
        blocks.append(Block("heading", headings[index + 1] if index else headings[0]))
        blocks.append(Block("prose", _paragraph(rnd, topic, rnd.randint(3, 6))))
        blocks.append(Block("math", rnd.choice(DISPLAY_MATH)))
        if index == 0:
            blocks.append(Block("prose", PROSE_EDIT_FROM + " " + _paragraph(rnd, topic, 2)))
        for block in section:
            blocks.append(block)
            blocks.append(Block("prose", _paragraph(rnd, topic, rnd.randint(2, 4))))
        if index == 1:
            blocks.append(Block("table", _table(rnd, topic)))
            blocks.append(Block("fence", fence_text, language=fence_language))
    blocks.append(Block("heading", "Summary"))
    while _prose_words(blocks) < target_words:
        blocks.append(Block("prose", _paragraph(rnd, topic, rnd.randint(3, 6))))
    # Every other day from 2022-01-03; past 800 posts the odd days of the same span are used
    # (then shared), so every date stays in the past: Lemma does not publish future-dated posts,
    # and dates two days apart ran past today at post 893 (a 2,000-post site built 892 posts).
    offset = number * 2
    if offset > 1600:
        offset = (offset - 1600) % 1600 + 1
    day = date(2022, 1, 3) + timedelta(days=offset)
    slug = f"{topic.replace(' ', '-').replace(chr(39), '')}-{number + 1}"
    tags = (*TAGS[topic], f"series-{number % 12}")
    return PostContent(
        number, slug, title, day, AUTHORS[number % len(AUTHORS)], tags, tuple(blocks)
    )


def _prose_words(blocks: list[Block]) -> int:
    return sum(len(b.text.split()) for b in blocks if b.kind == "prose")


# ---------------------------------------------------------------------------------------------
# Formats


def _body(post: PostContent, code_fence: callable, heading_level: int = 2) -> str:  # type: ignore[valid-type]
    parts = []
    for block in post.blocks:
        if block.kind == "prose":
            parts.append(block.text)
        elif block.kind == "heading":
            parts.append("#" * heading_level + " " + block.text)
        elif block.kind == "math":
            parts.append(f"$$\n{block.text}\n$$")
        elif block.kind == "table":
            parts.append(block.text)
        elif block.kind == "fence":
            parts.append(f"```{block.language}\n{block.text}\n```")
        else:
            parts.append(code_fence(block))
    return "\n\n".join(parts) + "\n"


def lemma_post(post: PostContent) -> str:
    tags = ", ".join(post.tags)
    head = (
        f'---\ntitle: "{post.title}"\ndate: {post.day.isoformat()}\nauthor: "{post.author}"\n'
        f"tags: [{tags}]\n---\n\n"
    )
    return head + _body(post, lambda b: f"```python\n{b.text}\n```")


MKDOCS_SHOW = (
    "for _number in plt.get_fignums():\n"
    "    _buffer = io.StringIO()\n"
    '    plt.figure(_number).savefig(_buffer, format="svg")\n'
    "    print(_buffer.getvalue())\n"
    'plt.close("all")'
)


def mkdocs_post(post: PostContent) -> str:
    """markdown-exec's way to show matplotlib figures: print the SVG from an html="1" block."""

    def fence(block: Block) -> str:
        code = block.text.replace("plt.show()", MKDOCS_SHOW)
        if block.snippet is post.snippets[0]:
            code = "import io\n" + code
        return (
            f'```python exec="on" session="post-{post.number}" source="above" html="1"\n{code}\n```'
        )

    tags = ", ".join(post.tags)
    head = f'---\ntitle: "{post.title}"\ndate: {post.day.isoformat()}\ntags: [{tags}]\n---\n\n'
    return head + f"# {post.title}\n\n" + _body(post, fence)


JUPYTER_SVG = "%config InlineBackend.figure_formats = ['svg']\n"


def jupyter_post(post: PostContent) -> str:
    """Jupytext Markdown: ```python fences are code cells; figures as SVG, like Lemma's default."""

    def fence(block: Block) -> str:
        code = block.text
        if block.snippet is post.snippets[0]:
            code = JUPYTER_SVG + code
        return f"```python\n{code}\n```"

    # Jupytext turns a ```bash fence into a %%bash code cell: keep it a plain fence here.
    post = replace(
        post,
        blocks=tuple(
            replace(b, language="") if b.kind == "fence" and b.language == "bash" else b
            for b in post.blocks
        ),
    )
    head = (
        "---\njupyter:\n  jupytext:\n    text_representation:\n      extension: .md\n"
        "      format_name: markdown\n  kernelspec:\n    display_name: Python 3\n"
        "    language: python\n    name: python3\n---\n\n"
    )
    return head + f"# {post.title}\n\n" + _body(post, fence)


def pelican_post(post: PostContent) -> str:
    head = (
        f"Title: {post.title}\nDate: {post.day.isoformat()}\nAuthor: {post.author}\n"
        f"Tags: {', '.join(post.tags)}\nSlug: {post.slug}\n\n"
    )
    return head + _body(post, lambda b: f"```python\n{b.text}\n```")


def hugo_post(post: PostContent) -> str:
    tags = ", ".join(f'"{t}"' for t in post.tags)
    head = (
        f'---\ntitle: "{post.title}"\ndate: {post.day.isoformat()}\nauthor: "{post.author}"\n'
        f"tags: [{tags}]\nslug: {post.slug}\n---\n\n"
    )
    return head + _body(post, lambda b: f"```python\n{b.text}\n```")


FLOOR_PRELUDE = """import io, os, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

def _show(*args, **kwargs):
    for number in plt.get_fignums():
        buffer = io.BytesIO()
        plt.figure(number).savefig(buffer, format="svg")
    plt.close("all")

plt.show = _show
"""


def floor_script(post: PostContent) -> str:
    """One plain script: the post's snippets in order, each followed by showing open figures."""
    parts = [FLOOR_PRELUDE]
    for snippet in post.snippets:
        parts.append(snippet.code + "\n_show()\n")
    return "\n".join(parts)


SITE_TOML = 'title = "Bench blog"\nbase_url = "https://bench.example.org/"\nauthor = "Bench"\n'
MKDOCS_YML = (
    "site_name: Bench blog\nsite_url: https://bench.example.org/\ntheme: mkdocs\n"
    "use_directory_urls: true\n"
    "markdown_extensions:\n  - tables\n  - toc:\n      permalink: true\n"
    "  - pymdownx.arithmatex:\n      generic: true\n  - pymdownx.superfences\n"
    "plugins:\n  - markdown-exec\n"
)
PELICAN_CONF = """AUTHOR = "Bench"
SITENAME = "Bench blog"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
RELATIVE_URLS = True
"""
HUGO_TOML = """baseURL = "https://bench.example.org/"
title = "Bench blog"
disableKinds = []
[pagination]
  pagerSize = 10
[markup.goldmark.extensions.passthrough]
  enable = true
  [markup.goldmark.extensions.passthrough.delimiters]
    block = [["$$", "$$"]]
    inline = [["$", "$"]]
[markup.highlight]
  noClasses = false
[outputs]
  home = ["html", "rss"]
"""
HUGO_LAYOUTS = {
    "baseof.html": (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>{{ .Title }} | {{ site.Title }}</title></head>\n<body>\n"
        '<nav><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></nav>\n'
        '<main>{{ block "main" . }}{{ end }}</main>\n</body></html>\n'
    ),
    "single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }}'
        '{{ range .GetTerms "tags" }} <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>'
        "{{ .TableOfContents }}{{ .Content }}"
        '{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}'
        '{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}'
        "</article>{{ end }}\n"
    ),
    "list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .RegularPagesRecursive }}'
        '{{ range $p.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>'
        "<p>{{ .Summary }}</p></article>{{ end }}"
        '{{ with $p.Next }}<a href="{{ .URL }}">older</a>{{ end }}{{ end }}\n'
    ),
}


def write_all(count: int, out: Path) -> dict[str, object]:
    if out.exists():
        shutil.rmtree(out)
    posts = [make_post(i) for i in range(count)]
    folders = {
        "lemma": out / "lemma" / "posts",
        "mkdocs": out / "mkdocs" / "docs",
        "jupyter": out / "jupyter" / "notebooks",
        "pelican": out / "pelican" / "content",
        "hugo": out / "hugo" / "content" / "posts",
        "floor": out / "floor",
    }
    for folder in folders.values():
        folder.mkdir(parents=True)
    (out / "lemma" / "site.toml").write_text(SITE_TOML)
    (out / "mkdocs" / "mkdocs.yml").write_text(MKDOCS_YML)
    (out / "mkdocs" / "docs" / "index.md").write_text(
        "# Bench blog\n\nThe posts are in the menu.\n"
    )
    (out / "pelican" / "pelicanconf.py").write_text(PELICAN_CONF)
    (out / "hugo" / "hugo.toml").write_text(HUGO_TOML)
    layouts = out / "hugo" / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text)
    expected: dict[str, object] = {}
    floor_json = []
    for post in posts:
        stem = f"{post.day.isoformat()}-{post.slug}"
        (folders["lemma"] / f"{stem}.md").write_text(lemma_post(post))
        (folders["mkdocs"] / f"{post.slug}.md").write_text(mkdocs_post(post))
        (folders["jupyter"] / f"{post.slug}.md").write_text(jupyter_post(post))
        (folders["pelican"] / f"{post.slug}.md").write_text(pelican_post(post))
        (folders["hugo"] / f"{post.slug}.md").write_text(hugo_post(post))
        (folders["floor"] / f"post-{post.number:04d}.py").write_text(floor_script(post))
        floor_json.append({"slug": post.slug, "snippets": [s.code for s in post.snippets]})
        expected[post.slug] = {
            "lemma_file": f"posts/{stem}.md",
            "prints": [m for s in post.snippets for m in s.prints],
            "figures": [m for s in post.snippets for m in s.figures],
            "snippets": len(post.snippets),
            "words": _prose_words(list(post.blocks)),
        }
    (folders["floor"] / "snippets.json").write_text(json.dumps(floor_json))
    (out / "expected.json").write_text(json.dumps(expected, indent=1))
    return expected


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    expected = write_all(int(argv[0]), Path(argv[1]))
    words = [e["words"] for e in expected.values()]  # type: ignore[index]
    snippets = sum(e["snippets"] for e in expected.values())  # type: ignore[index]
    figures = sum(len(e["figures"]) for e in expected.values())  # type: ignore[index]
    print(
        f"{len(expected)} posts into {argv[1]}: {snippets} snippets, {figures} figures, "
        f"prose {min(words)}-{max(words)} words"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
