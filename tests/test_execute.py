"""Executing posts in real child processes: outputs, figures, files, errors and isolation."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

from engine_support import Code, write_post
from lemma.execute import ExecutionSettings, execute_posts
from lemma.execute.scheduler import start_method
from lemma.model import (
    Error,
    Figure,
    Output,
    PostRun,
    Rich,
    SnippetOptions,
    SourceLocation,
    Stream,
    Sweep,
    Value,
)


def settings_for(root: Path, jobs: int = 2, use_cache: bool = False) -> ExecutionSettings:
    return ExecutionSettings(root, root / ".lemma-cache", root / "_site", jobs, 2048, use_cache)


def run_one(root: Path, codes: Sequence[Code], name: str = "post", prose_lines: int = 0) -> PostRun:
    job = write_post(root, name, codes, "\n".join(["Some prose."] * prose_lines))
    return execute_posts([job], settings_for(root))[job.source_path]


def outputs(run: PostRun) -> list[Output]:
    return [output for result in run.results for output in result.outputs]


def test_outputs_keep_the_order_they_happened_in(tmp_path: Path) -> None:
    run = run_one(
        tmp_path,
        [
            """
        import sys
        import matplotlib.pyplot as plt
        print("one")
        print("two")
        print("oops", file=sys.stderr)
        plt.plot([1, 2, 3])
        plt.show()
        print("three")
        40 + 2
    """
        ],
    )
    assert run.failure is None
    kinds = [type(o).__name__ for o in outputs(run)]
    assert kinds == ["Stream", "Stream", "Figure", "Stream", "Value"]
    first, second, _, third, value = outputs(run)
    assert first == Stream("stdout", "one\ntwo\n")  # consecutive writes merge
    assert second == Stream("stderr", "oops\n")
    assert third == Stream("stdout", "three\n")
    assert value == Value("42")


def test_trailing_semicolon_and_none_show_no_value(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["1 + 1;", "None", "x = 3\nx  # shown"])
    assert [r.outputs for r in run.results] == [(), (), (Value("3"),)]


def test_snippets_share_one_namespace_in_order(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["a = 2", "b = a * 10", "print(a + b)"])
    assert outputs(run) == [Stream("stdout", "22\n")]


def test_numpy_array_value_prints_as_numpy_does(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["import numpy as np\nnp.arange(4).reshape(2, 2)"])
    assert outputs(run) == [Value("array([[0, 1],\n       [2, 3]])")]


def test_rich_representations_are_preferred_in_jupyter_order(tmp_path: Path) -> None:
    run = run_one(
        tmp_path,
        [
            """
        class Both:
            def _repr_markdown_(self): return "*md*"
            def _repr_html_(self): return "<b>html</b>"
        class Png:
            def _repr_png_(self): return b"\\x89PNG"
        class Latex:
            def _repr_latex_(self): return r"$x^2$"
        display(Both(), Png())
        Latex()
    """
        ],
    )
    assert outputs(run) == [
        Rich("text/html", "<b>html</b>"),
        Rich("image/png", base64.b64encode(b"\x89PNG").decode()),
        Rich("text/latex", "$x^2$"),
    ]


def test_display_of_plain_objects_and_figures(tmp_path: Path) -> None:
    run = run_one(
        tmp_path,
        [
            """
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots()
        ax.plot([0, 1])
        display([1, 2], fig)
        print("after")
    """
        ],
    )
    shown = outputs(run)
    assert shown[0] == Value("[1, 2]")
    assert isinstance(shown[1], Figure)
    assert shown[2] == Stream("stdout", "after\n")
    assert len(shown) == 3  # the displayed figure was closed: not shown again at the end


def test_display_takes_ipythons_keywords_without_ipython(tmp_path: Path) -> None:
    """A notebook's `display()` needs no import in Jupyter, nor here: a display id's update
    redraws it where it was, a raw bundle shows as its MIME type says."""
    run = run_one(
        tmp_path,
        [
            """
        import sys
        sys.modules["IPython"] = None  # as where IPython is not installed
        handle = display("loading", display_id=True)
        display("below")
        handle.update("loaded")
        display({"text/markdown": "*raw*"}, raw=True)
        display("first", display_id="named")
        display("second", display_id="named", update=True)
    """
        ],
    )
    assert outputs(run) == [
        Value("'loaded'"),
        Value("'below'"),
        Rich("text/markdown", "*raw*"),
        Value("'second'"),
    ]


def test_show_and_open_figures_become_figures_in_order(tmp_path: Path) -> None:
    run = run_one(
        tmp_path,
        [
            """
        import matplotlib.pyplot as plt
        plt.figure(); plt.plot([1, 2]); plt.title("first")
        plt.show()
        plt.figure(); plt.plot([2, 1]); plt.title("second")
        plt.figure(); plt.plot([3, 3]); plt.title("third")
    """,
            "import matplotlib.pyplot as plt\nlen(plt.get_fignums())",
        ],
    )
    figures = [o for o in run.results[0].outputs if isinstance(o, Figure)]
    assert [f.alt for f in figures] == ["Figure: first", "Figure: second", "Figure: third"]
    assert run.results[1].outputs == (Value("0"),)  # all were closed after the snippet
    for figure in figures:
        assert figure.file_name.endswith(".svg")
        assert (figure.width, figure.height) == (640, 480)
        data = settings_for(tmp_path).figures.path(figure.file_name).read_bytes()
        assert data.startswith(b"<?xml") and b"<svg" in data


def test_svg_figures_are_byte_identical_across_posts_and_dated_nowhere(tmp_path: Path) -> None:
    code = "import matplotlib.pyplot as plt\nplt.plot([1, 4, 9]); plt.title('same')"
    jobs = [write_post(tmp_path, "a", [code]), write_post(tmp_path, "b", [code])]
    runs = execute_posts(jobs, settings_for(tmp_path))
    names = [outputs(run)[0].file_name for run in runs.values()]  # type: ignore[union-attr]
    assert names[0] == names[1]
    data = settings_for(tmp_path).figures.path(names[0]).read_bytes()
    assert b"<dc:date>" not in data


def test_png_option_writes_a_double_resolution_png(tmp_path: Path) -> None:
    options = SnippetOptions(fig_format="png", fig_cap="A line", fig_alt="A rising line")
    run = run_one(tmp_path, [("import matplotlib.pyplot as plt\nplt.plot([1, 2])", options)])
    (figure,) = outputs(run)
    assert isinstance(figure, Figure)
    assert figure.file_name.endswith(".png")
    assert (figure.alt, figure.caption) == ("A rising line", "A line")
    data = settings_for(tmp_path).figures.path(figure.file_name).read_bytes()
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (2 * figure.width, 2 * figure.height)


def test_snippet_reads_a_data_file_beside_the_post_and_it_is_recorded(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "data.csv").write_text("1,2\n3,4\n")
    run = run_one(tmp_path, ["import numpy as np\nnp.loadtxt('data.csv', delimiter=',').sum()"])
    assert outputs(run) == [Value("np.float64(10.0)")]
    assert [record.path for record in run.files_read] == ["posts/data.csv"]


def test_local_module_beside_the_post_imports_and_is_recorded(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "helpers.py").write_text("def double(x):\n    return 2 * x\n")
    run = run_one(tmp_path, ["from helpers import double\ndouble(21)"])
    assert outputs(run) == [Value("42")]
    assert "posts/helpers.py" in [record.path for record in run.files_read]
    assert not (tmp_path / "posts" / "__pycache__").exists()


def test_writing_into_the_post_folder_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "data.csv").write_text("original")
    options = SnippetOptions(expects_error=True, expected_error="PermissionError")
    run = run_one(
        tmp_path,
        [
            ("open('data.csv', 'w').write('changed')", options),
            ("import os\nos.remove('data.csv')", options),
        ],
    )
    assert run.failure is None
    errors = [o for o in outputs(run) if isinstance(o, Error)]
    assert "cannot change files in the site folder" in errors[0].evalue
    assert len(errors) == 2
    assert (tmp_path / "posts" / "data.csv").read_text() == "original"


def test_writing_into_the_output_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "_site").mkdir()
    code = f"open({str(tmp_path / '_site' / 'x.html')!r}, 'w')"
    run = run_one(tmp_path, [code])
    assert run.failure is not None and run.failure.ename == "PermissionError"
    assert not (tmp_path / "_site" / "x.html").exists()


def test_new_files_land_in_scratch_and_saved_figures_still_appear(tmp_path: Path) -> None:
    run = run_one(
        tmp_path,
        [
            """
        import os
        import matplotlib.pyplot as plt
        with open("notes.txt", "w") as f:
            f.write("kept for the post")
        plt.plot([1, 2])
        plt.savefig("plot.png")
        print(open("notes.txt").read(), sorted(os.listdir(".")))
    """
        ],
    )
    assert run.failure is None
    text, figure = outputs(run)
    assert text == Stream("stdout", "kept for the post ['notes.txt', 'plot.png', 'post.md']\n")
    assert isinstance(figure, Figure)
    assert sorted(p.name for p in (tmp_path / "posts").iterdir()) == ["post.md"]


def test_nothing_leaks_between_posts(tmp_path: Path) -> None:
    first = write_post(
        tmp_path,
        "first",
        [
            """
        import json
        import numpy as np
        import matplotlib.pyplot as plt
        leaked = 1
        json.leaked = 1
        plt.rcParams["lines.linewidth"] = 7.0
        np.random.seed(0)
    """
        ],
    )
    second = write_post(
        tmp_path,
        "second",
        [
            """
        import json
        import numpy as np
        import matplotlib.pyplot as plt
        print("leaked" in globals(), hasattr(json, "leaked"), plt.rcParams["lines.linewidth"])
        print(np.random.rand() == np.random.RandomState(0).rand())
    """
        ],
    )
    runs = execute_posts([first, second], settings_for(tmp_path, jobs=1))
    assert outputs(runs["posts/second.md"]) == [Stream("stdout", "False False 1.5\nFalse\n")]


def test_name_error_points_at_the_md_line_with_a_suggestion(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["learning_rate = 0.1\nstep = 2\nlearnin_rate * step"], prose_lines=48)
    failure = run.failure
    assert failure is not None
    assert (failure.ename, failure.location) == ("NameError", SourceLocation("posts/post.md", 57))
    assert "did you mean 'learning_rate'?" in failure.evalue
    assert 'File "posts/post.md", line 57, in <module>' in failure.traceback
    assert "    learnin_rate * step" in failure.traceback
    assert "lemma" not in failure.traceback  # Lemma's own frames are dropped


def test_traceback_through_a_function_from_an_earlier_snippet(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["def f(x):\n    return 1 / x", "f(0)"])
    failure = run.failure
    assert failure is not None and failure.ename == "ZeroDivisionError"
    assert failure.traceback.count('File "posts/post.md"') == 2
    assert failure.location == SourceLocation("posts/post.md", 8)  # inside f, the innermost line


def test_a_runaway_recursion_shows_its_innermost_calls_and_counts_the_rest(tmp_path: Path) -> None:
    # A recursion that runs out of memory is a million calls deep: formatting every frame took
    # longer than the snippet's timeout, so only the innermost are shown.
    code = (
        "import sys\nsys.setrecursionlimit(10_000)\ndef down(n):\n    if n == 3000:\n"
        "        raise ValueError('bottom')\n    return down(n + 1)\ndown(1)"
    )
    run = run_one(tmp_path, [code])
    failure = run.failure
    assert failure is not None and failure.ename == "ValueError"
    assert failure.location == SourceLocation("posts/post.md", 11)  # the raise, innermost
    # <module> and 3,000 calls of down: all but the innermost 1,000 are counted, not shown.
    assert "  ... 2,001 outer calls not shown: 3,001 calls deep\n" in failure.traceback
    assert failure.traceback.startswith("Traceback (most recent call last):\n  ... 2,001 outer")
    assert failure.traceback.count("\n") < 30  # the repeated frames fold into one line
    assert failure.traceback.endswith("ValueError: bottom\n")


def test_syntax_error_has_the_exact_line_and_caret(tmp_path: Path) -> None:
    run = run_one(tmp_path, ["x = 1\nw² = 2"])
    failure = run.failure
    assert failure is not None and failure.kind == "syntax"
    assert failure.location is not None and failure.location.line == 8
    assert 'File "posts/post.md", line 8' in failure.traceback
    assert "^" in failure.traceback and "w² = 2" in failure.traceback


def test_expected_error_is_shown_and_the_post_goes_on(tmp_path: Path) -> None:
    options = SnippetOptions(expects_error=True, expected_error="ValueError")
    run = run_one(tmp_path, [("int('x')", options), "print('next')"])
    assert run.failure is None
    assert isinstance(run.results[0].outputs[0], Error)
    assert run.results[1].outputs == (Stream("stdout", "next\n"),)


def test_expected_error_matches_base_classes(tmp_path: Path) -> None:
    options = SnippetOptions(expects_error=True, expected_error="ArithmeticError")
    run = run_one(tmp_path, [("1 / 0", options)])
    assert run.failure is None


def test_expected_error_not_raised_fails_the_post(tmp_path: Path) -> None:
    options = SnippetOptions(expects_error=True, expected_error="ValueError")
    run = run_one(tmp_path, [("x = 1", options), "print('never')"])
    failure = run.failure
    assert failure is not None and failure.kind == "unexpected-success"
    assert failure.evalue == "expected ValueError but the snippet raised nothing"
    assert len(run.results) == 1  # the snippets after a failure do not run


def test_a_different_error_than_expected_fails_the_post(tmp_path: Path) -> None:
    options = SnippetOptions(expects_error=True, expected_error="KeyError")
    run = run_one(tmp_path, [("int('x')", options)])
    assert run.failure is not None and run.failure.ename == "ValueError"


def test_sweep_runs_every_value_from_the_state_at_that_point(tmp_path: Path) -> None:
    sweep = SnippetOptions(sweeps=(Sweep("rate", (0.1, 0.5, 2.0), default_index=1),))
    run = run_one(
        tmp_path,
        [
            "calls = []\nbase = 10",
            ("calls.append(rate)\nprint(base * rate, len(calls))", sweep),
            "print(rate, calls)",
        ],
    )
    assert run.failure is None
    swept = run.results[1]
    assert [label for label, _ in swept.variants] == ["rate = 0.1", "rate = 0.5", "rate = 2.0"]
    assert [outs for _, outs in swept.variants] == [
        (Stream("stdout", "1.0 1\n"),),
        (Stream("stdout", "5.0 1\n"),),
        (Stream("stdout", "20.0 1\n"),),
    ]
    assert swept.outputs == swept.variants[1][1]
    # later snippets see the default, and only the default's run changed the namespace
    assert run.results[2].outputs == (Stream("stdout", "0.5 [0.5]\n"),)


def test_results_do_not_depend_on_parallel_scheduling(tmp_path: Path) -> None:
    codes = [f"import numpy as np\nprint(np.linspace(0, {i}, 3))" for i in range(6)]
    jobs = [write_post(tmp_path, f"p{i}", [code]) for i, code in enumerate(codes)]
    parallel = execute_posts(jobs, settings_for(tmp_path, jobs=3))
    serial = execute_posts(jobs, settings_for(tmp_path, jobs=1))
    assert list(parallel) == [job.source_path for job in jobs]
    assert [outputs(r) for r in parallel.values()] == [outputs(r) for r in serial.values()]


def test_posts_without_executable_snippets_start_no_process(tmp_path: Path) -> None:
    job = write_post(tmp_path, "quiet", [("print('no')", SnippetOptions(eval=False))])
    seen: list[str] = []
    runs = execute_posts([job], settings_for(tmp_path), lambda r: seen.append(r.source_path))
    assert runs[job.source_path].results == ()
    assert seen == [job.source_path]


def test_the_builder_process_never_imports_numpy_or_matplotlib(tmp_path: Path) -> None:
    write_post(tmp_path, "np", ["import numpy as np\nprint(np.ones(2).sum())"])
    script = textwrap.dedent(f"""
        import json, sys
        from pathlib import Path
        from lemma.execute import ExecutionSettings, PostJob, execute_posts
        from lemma.model import Snippet, SnippetOptions, SourceLocation
        root = Path({str(tmp_path)!r})
        snippet = Snippet(0, "python", "import numpy as np\\nprint(np.ones(2).sum())",
                          SourceLocation("posts/np.md", 7), SnippetOptions(), 6)
        settings = ExecutionSettings(root, root / ".c", root / "_site", 2, 1024, False)
        run = execute_posts([PostJob("posts/np.md", (snippet,))], settings)["posts/np.md"]
        print(json.dumps([run.results[0].outputs[0].text,
                          "numpy" in sys.modules, "matplotlib" in sys.modules]))
    """)
    assert _in_a_fresh_builder(script) == ["2.0\n", False, False]


@pytest.mark.parametrize("jobs", [1, 2])
def test_blas_threads_are_limited_only_in_parallel(tmp_path: Path, jobs: int) -> None:
    if "OPENBLAS_NUM_THREADS" in os.environ:
        pytest.skip("the environment sets OPENBLAS_NUM_THREADS itself")
    job = write_post(tmp_path, "t", ["import os\nprint(os.environ.get('OPENBLAS_NUM_THREADS'))"])
    run = execute_posts([job], settings_for(tmp_path, jobs=jobs))[job.source_path]
    assert outputs(run) == [Stream("stdout", "1\n" if jobs > 1 else "None\n")]


def test_plot_calls_as_last_line_show_the_figure_without_artist_reprs(tmp_path: Path) -> None:
    codes = ["import matplotlib.pyplot as plt\nplt.plot([1, 2])", "plt.bar([1], [2])"]
    run = run_one(tmp_path, codes)
    assert [[type(o).__name__ for o in r.outputs] for r in run.results] == [["Figure"], ["Figure"]]


def test_unseeded_random_numbers_are_the_same_every_build_and_differ_between_posts(
    tmp_path: Path,
) -> None:
    code = """
        import random
        import numpy as np
        print(np.random.rand(), random.random())
    """
    jobs = [write_post(tmp_path, name, [code]) for name in ("a", "b")]
    first = execute_posts(jobs, settings_for(tmp_path))
    again = execute_posts(jobs, settings_for(tmp_path))
    assert outputs(first["posts/a.md"]) == outputs(again["posts/a.md"])
    assert outputs(first["posts/a.md"]) != outputs(first["posts/b.md"])


def _in_a_fresh_builder(script: str) -> object:
    """What `script` prints last, as JSON, run by a builder whose fork server is not started."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


_FRESH_BUILDER = """
    import json, sys
    from pathlib import Path
    from lemma.execute import ExecutionSettings, PostJob, execute_posts
    from lemma.model import Snippet, SnippetOptions, SourceLocation
    root = Path({root!r})
    settings = ExecutionSettings(root, root / ".c", root / "_site", 2, 1024, False)
    def run(*names):
        jobs = [PostJob(f"posts/{{n}}.md", (Snippet(0, "python", CODES[n],
                SourceLocation(f"posts/{{n}}.md", 5), SnippetOptions(), 4),)) for n in names]
        runs = execute_posts(jobs, settings)
        return [[o.text for o in runs[job.source_path].results[0].outputs] for job in jobs]
"""


def test_numpy_is_preloaded_only_when_a_post_may_import_it(tmp_path: Path) -> None:
    # A blog of plain Python does not pay for numpy and matplotlib; a server started without
    # them is started again with them once a post that imports numpy is to run.
    codes = {
        "plain": "import sys\nprint('numpy' in sys.modules)",
        "numeric": "import sys\nprint('numpy' in sys.modules)\nimport numpy",
    }
    script = (
        _FRESH_BUILDER.format(root=str(tmp_path))
        + f"""
    CODES = {codes!r}
    print(json.dumps([run("plain"), run("plain", "numeric")]))
    """
    )
    preloading = start_method() == "forkserver"  # spawn preloads nothing
    expected = [[["False\n"]], [[f"{preloading}\n"], [f"{preloading}\n"]]]
    assert _in_a_fresh_builder(script) == expected


def test_numpy_imported_where_the_guess_sees_no_import_is_seeded_per_post(tmp_path: Path) -> None:
    # exec of a file beside the post: its code names only the standard library, so the fork
    # server has no numpy, and numpy comes in the post's own process, seeded as it loads.
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "common.py").write_text("import numpy as np\n")
    code = (
        "import sys\nbefore = 'numpy' in sys.modules\n"
        "exec(open('common.py').read())\nprint(before, np.random.rand())"
    )
    script = (
        _FRESH_BUILDER.format(root=str(tmp_path))
        + f"""
    CODES = {{"a": {code!r}, "b": {code!r}}}
    print(json.dumps([run("a", "b"), run("a", "b")]))
    """
    )
    first, again = _in_a_fresh_builder(script)  # type: ignore[misc]
    assert first == again
    (a,), (b,) = first
    assert a.startswith("False ") and b.startswith("False ")
    assert a != b


def test_scratch_folder_mirrors_the_post_folder_but_not_the_other_posts(tmp_path: Path) -> None:
    # Linking every sibling post into every post's scratch folder made cold builds quadratic.
    (tmp_path / "posts" / "data").mkdir(parents=True)
    (tmp_path / "posts" / "data" / "x.csv").write_text("1,2\n")
    for index in range(5):
        write_post(tmp_path, f"other-{index}", ["1"])
    run = run_one(tmp_path, ["import os\nprint(sorted(os.listdir('.')))"], name="reader")
    assert outputs(run) == [Stream("stdout", "['data', 'reader.md']\n")]
