"""Reports of `lemma check`: text lines, GitHub annotations, JUnit XML and JSON."""

from __future__ import annotations

import json
import sys
from xml.etree import ElementTree as ET

from lemma.errors import Problem
from lemma.pipeline import BuildReport


def print_check_report(report: BuildReport, fmt: str, *, quiet: bool = False) -> None:
    failures = {p.location.path: p for p in report.problems if p.location and not p.is_warning}
    if fmt == "json":
        print(json.dumps(_as_json(report), indent=2, sort_keys=True))
        return
    if fmt == "junit":
        print(_as_junit(report))
        return
    for problem in report.problems:
        if fmt == "github":
            print(_annotation(problem))
        else:
            print(_text(problem), file=sys.stderr)
    if not quiet:
        for path, run in sorted(report.runs.items()):
            state = "cached" if run.from_cache else "ok"
            state = "failed" if path in failures else ("frozen" if run.frozen else state)
            print(f"{state:>6}  {path}  {run.duration_s:.2f} s")
        errors = len(report.errors)
        frozen = f"{report.frozen} frozen, " if report.frozen else ""
        print(
            f"checked {report.posts} posts: {report.executed} executed, {report.from_cache} from "
            f"cache, {frozen}{report.failed} failed, {errors} error{'s' if errors != 1 else ''} "
            f"in {report.duration_s:.2f} s"
        )


def _text(problem: Problem) -> str:
    label = problem.label
    text = f"{problem.location}: {label}{problem.message}" if problem.location else problem.message
    if problem.hint:
        text += f" ({problem.hint})"
    if problem.detail:
        text += "\n" + "\n".join(f"    {line}" for line in problem.detail.splitlines())
    return text


def _annotation(problem: Problem) -> str:
    level = "notice" if problem.is_note else "warning" if problem.is_warning else "error"
    where = ""
    message = str(problem.message) + (f" ({problem.hint})" if problem.hint else "")
    location = problem.location
    if location and location.cell > 0:
        # A notebook's line counts in its cell, not in the file's JSON: the annotation names
        # the file, and the message the cell and its line.
        where = f" file={location.path}"
        message = f"cell {location.cell}, line {location.line}: {message}"
    elif location:
        where = f" file={location.path}"
        if location.line:
            where += f",line={location.line}"
        if location.column:
            where += f",col={location.column}"
    if problem.detail:
        message += "\n" + problem.detail
    escaped = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level}{where}::{escaped}"


def _as_json(report: BuildReport) -> dict[str, object]:
    return {
        "posts": report.posts,
        "executed": report.executed,
        "from_cache": report.from_cache,
        "frozen": report.frozen,
        "failed": report.failed,
        "duration_s": round(report.duration_s, 3),
        "problems": [
            {
                "path": p.location.path if p.location else None,
                "line": p.location.line if p.location else None,  # in its cell, if any
                "cell": p.location.cell if p.location and p.location.cell > 0 else None,
                "severity": "warning" if p.is_warning else "error",
                "message": p.message,
                "hint": p.hint,
                "detail": p.detail,
            }
            for p in report.problems
        ],
    }


def _as_junit(report: BuildReport) -> str:
    errors_by_path: dict[str, list[Problem]] = {}
    for problem in report.errors:
        errors_by_path.setdefault(problem.location.path if problem.location else "", []).append(
            problem
        )
    paths = sorted(set(report.runs) | set(errors_by_path))
    suite = ET.Element(
        "testsuite",
        name="lemma check",
        tests=str(len(paths)),
        failures=str(sum(1 for p in paths if p in errors_by_path)),
        time=f"{report.duration_s:.3f}",
    )
    for path in paths:
        run = report.runs.get(path)
        case = ET.SubElement(
            suite,
            "testcase",
            classname="lemma",
            name=path or "site",
            time=f"{run.duration_s:.3f}" if run else "0",
        )
        for problem in errors_by_path.get(path, []):
            failure = ET.SubElement(case, "failure", message=_text(problem).splitlines()[0])
            failure.text = problem.detail or ""
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode")
