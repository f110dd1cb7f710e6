"""JSON form of snippets, outputs and results: what crosses the parent/child pipe and the cache."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

from lemma.model import (
    Chart,
    Error,
    Figure,
    FileRecord,
    Output,
    Rich,
    SnippetOptions,
    SnippetResult,
    SourceLocation,
    Stream,
    Sweep,
    Value,
)

JSONObject = dict[str, Any]


class ProtocolError(ValueError):
    """A message or cache entry does not have the expected shape."""


def dumps(message: Mapping[str, Any]) -> bytes:
    # ensure_ascii keeps lone surrogates (from undecodable output) encodable
    return json.dumps(message, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def loads(data: bytes | str) -> JSONObject:
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError(f"not JSON: {exc}") from None
    return as_object(value)


def as_object(value: object) -> JSONObject:
    if not isinstance(value, dict):
        raise ProtocolError(f"expected an object, got {type(value).__name__}")
    return cast(JSONObject, value)


def get_str(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise ProtocolError(f"{key!r} must be a string")
    return value


def get_opt_str(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise ProtocolError(f"{key!r} must be a string or null")
    return value


def get_int(obj: Mapping[str, Any], key: str) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProtocolError(f"{key!r} must be an integer")
    return value


def get_opt_int(obj: Mapping[str, Any], key: str) -> int | None:
    return None if obj.get(key) is None else get_int(obj, key)


def get_float(obj: Mapping[str, Any], key: str) -> float:
    value = obj.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ProtocolError(f"{key!r} must be a number")
    return float(value)


def get_list(obj: Mapping[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    if not isinstance(value, list):
        raise ProtocolError(f"{key!r} must be a list")
    return value


# Snippet options (the part of a Snippet the child needs besides code and location).


def encode_options(options: SnippetOptions) -> JSONObject:
    return {
        "eval": options.eval,
        "echo": options.echo,
        "echo_fenced": options.echo_fenced,
        "output": options.output,
        "expects_error": options.expects_error,
        "expected_error": options.expected_error,
        "timeout_s": options.timeout_s,
        "fig_cap": options.fig_cap,
        "fig_caps": list(options.fig_caps),
        "fig_alt": options.fig_alt,
        "fig_format": options.fig_format,
        "svg_limit_kb": options.svg_limit_kb,
        "code_fold": options.code_fold,
        "cache_keep": options.cache_keep,
        "sweeps": [
            {"name": sweep.name, "values": list(sweep.values), "default_index": sweep.default_index}
            for sweep in options.sweeps
        ],
    }


def decode_options(obj: Mapping[str, Any]) -> SnippetOptions:
    fig_format = get_str(obj, "fig_format")
    if fig_format not in ("svg", "png"):
        raise ProtocolError(f"unknown figure format {fig_format!r}")
    sweeps = []
    for raw_sweep in get_list(obj, "sweeps"):
        sweep_obj = as_object(raw_sweep)
        sweeps.append(
            Sweep(
                get_str(sweep_obj, "name"),
                tuple(get_list(sweep_obj, "values")),
                get_int(sweep_obj, "default_index"),
            )
        )
    return SnippetOptions(
        eval=bool(obj.get("eval", True)),
        echo=bool(obj.get("echo", True)),
        echo_fenced=bool(obj.get("echo_fenced", False)),
        output=bool(obj.get("output", True)),
        expects_error=bool(obj.get("expects_error", False)),
        expected_error=get_opt_str(obj, "expected_error"),
        timeout_s=get_float(obj, "timeout_s"),
        fig_cap=get_opt_str(obj, "fig_cap"),
        fig_caps=tuple(str(caption) for caption in get_list(obj, "fig_caps")),
        fig_alt=get_opt_str(obj, "fig_alt"),
        fig_format=cast(Literal["svg", "png"], fig_format),
        svg_limit_kb=get_int(obj, "svg_limit_kb"),
        code_fold=bool(obj.get("code_fold", False)),
        cache_keep=bool(obj.get("cache_keep", False)),
        sweeps=tuple(sweeps),
    )


# Outputs and results.


def encode_location(location: SourceLocation | None) -> list[Any] | None:
    if location is None:
        return None
    return [location.path, location.line, location.column]


def decode_location(value: object) -> SourceLocation | None:
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 3
        or not isinstance(value[0], str)
        or not all(isinstance(n, int) for n in value[1:])
    ):
        raise ProtocolError("a location must be [path, line, column]")
    return SourceLocation(value[0], value[1], value[2])


def encode_output(output: Output) -> JSONObject:
    match output:
        case Stream(name=name, text=text):
            return {"type": "stream", "name": name, "text": text}
        case Value(text=text):
            return {"type": "value", "text": text}
        case Rich(mime=mime, data=data):
            return {"type": "rich", "mime": mime, "data": data, **output.given()}
        case Figure():
            return encode_figure(output)
        case Chart(mime=mime, data=data, width=width, height=height, fallback=fallback):
            return {
                "type": "chart",
                "mime": mime,
                "data": data,
                "width": width,
                "height": height,
                "fallback": None if fallback is None else encode_figure(fallback),
                "bundle": [list(item) for item in output.bundle],
            }
        case Error():
            return encode_error(output)


def encode_figure(figure: Figure) -> JSONObject:
    return {
        "type": "figure",
        "file_name": figure.file_name,
        "width": figure.width,
        "height": figure.height,
        "alt": figure.alt,
        "caption": figure.caption,
        "svg_too_heavy": figure.svg_too_heavy,
    }


def decode_figure(obj: Mapping[str, Any]) -> Figure:
    return Figure(
        get_str(obj, "file_name"),
        get_int(obj, "width"),
        get_int(obj, "height"),
        get_str(obj, "alt"),
        get_opt_str(obj, "caption"),
        obj.get("svg_too_heavy") is True,
    )


def decode_chart(obj: Mapping[str, Any]) -> Chart:
    raw_fallback = obj.get("fallback")
    bundle = []
    for item in get_list(obj, "bundle"):
        if not (isinstance(item, list) and len(item) == 2) or not all(
            isinstance(s, str) for s in item
        ):
            raise ProtocolError("a bundle entry must be [mime, data]")
        bundle.append((item[0], item[1]))
    return Chart(
        get_str(obj, "mime"),
        get_str(obj, "data"),
        get_int(obj, "width"),
        get_int(obj, "height"),
        None if raw_fallback is None else decode_figure(as_object(raw_fallback)),
        tuple(bundle),
    )


def encode_error(error: Error) -> JSONObject:
    return {
        "type": "error",
        "ename": error.ename,
        "evalue": error.evalue,
        "traceback": error.traceback,
        "location": encode_location(error.location),
        "kind": error.kind,
    }


_ERROR_KINDS = ("exception", "syntax", "timeout", "crash", "unexpected-success")


def decode_error(obj: Mapping[str, Any]) -> Error:
    kind = get_str(obj, "kind")
    if kind not in _ERROR_KINDS:
        raise ProtocolError(f"unknown error kind {kind!r}")
    return Error(
        ename=get_str(obj, "ename"),
        evalue=get_str(obj, "evalue"),
        traceback=get_str(obj, "traceback"),
        location=decode_location(obj.get("location")),
        kind=cast(Literal["exception", "syntax", "timeout", "crash", "unexpected-success"], kind),
    )


def decode_output(value: object) -> Output:
    obj = as_object(value)
    kind = obj.get("type")
    if kind == "stream":
        name = get_str(obj, "name")
        if name not in ("stdout", "stderr"):
            raise ProtocolError(f"unknown stream {name!r}")
        return Stream(cast(Literal["stdout", "stderr"], name), get_str(obj, "text"))
    if kind == "value":
        return Value(get_str(obj, "text"))
    if kind == "rich":
        return Rich(
            get_str(obj, "mime"),
            get_str(obj, "data"),
            get_opt_int(obj, "width"),
            get_opt_int(obj, "height"),
            get_opt_str(obj, "alt"),
        )
    if kind == "figure":
        return decode_figure(obj)
    if kind == "chart":
        return decode_chart(obj)
    if kind == "error":
        return decode_error(obj)
    raise ProtocolError(f"unknown output type {kind!r}")


def encode_outputs(outputs: Sequence[Output]) -> list[JSONObject]:
    return [encode_output(output) for output in outputs]


def decode_outputs(value: object) -> tuple[Output, ...]:
    if not isinstance(value, list):
        raise ProtocolError("outputs must be a list")
    return tuple(decode_output(item) for item in value)


def encode_result(result: SnippetResult) -> JSONObject:
    return {
        "snippet_index": result.snippet_index,
        "outputs": encode_outputs(result.outputs),
        "duration_s": result.duration_s,
        "variants": [[label, encode_outputs(outputs)] for label, outputs in result.variants],
    }


def decode_result(value: object) -> SnippetResult:
    obj = as_object(value)
    variants = []
    for item in get_list(obj, "variants"):
        if not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], str):
            raise ProtocolError("a variant must be [label, outputs]")
        variants.append((item[0], decode_outputs(item[1])))
    return SnippetResult(
        snippet_index=get_int(obj, "snippet_index"),
        outputs=decode_outputs(obj.get("outputs")),
        duration_s=get_float(obj, "duration_s"),
        variants=tuple(variants),
    )


def encode_files(files: Sequence[FileRecord]) -> list[list[str]]:
    return [[record.path, record.state, record.kind] for record in files]


def decode_files(value: object) -> tuple[FileRecord, ...]:
    if not isinstance(value, list):
        raise ProtocolError("files must be a list")
    records = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 3):
            raise ProtocolError("a file record must be [path, state, kind]")
        if not all(isinstance(s, str) for s in item):
            raise ProtocolError("a file record must be [path, state, kind]")
        kind = item[2]
        if kind not in ("content", "listing", "existence"):
            raise ProtocolError(f"unknown file record kind {kind!r}")
        records.append(FileRecord(item[0], item[1], kind))
    return tuple(records)


def figure_names(results: Sequence[SnippetResult]) -> tuple[str, ...]:
    """Every figure file a run refers to, variants included."""
    names: list[str] = []
    for result in results:
        groups = [result.outputs, *(outputs for _, outputs in result.variants)]
        for outputs in groups:
            for output in outputs:
                if isinstance(output, Figure):
                    names.append(output.file_name)
                elif isinstance(output, Chart) and output.fallback is not None:
                    names.append(output.fallback.file_name)
    return tuple(dict.fromkeys(names))
