"""Memo values as JSON, and back: a data format that cannot name a callable.

A memo file sits in `.lemma-cache/`, which CI setups restore from shared caches: whoever can write
it must not be able to run code or copy a host file into the site. So the file is JSON, and a
value is decoded only into the frozen dataclasses the caller lists, field by field, each checked
against its annotation; anything else is a `ValueError` (a miss). Two kinds of values are
references, never paths: an `Asset` must be a figure of the figure store, and a page is checked
against the digest of the bytes the output folder holds for it (or found to be the very file the
memo saw, by its inode, size and modification time), and comes back as a `KeptPage`.
"""

from __future__ import annotations

import base64
import collections.abc
import dataclasses
import functools
import os
import types
import typing
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from typing import Any, Literal, Union, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lemma.model import Asset, KeptPage, Page
from lemma.reuse.figures import FigureStore, is_figure_name
from lemma.reuse.memo import content_digest


class Unencodable(ValueError):
    """A value the codec does not keep on disk (an asset outside the figure store, say)."""


class MemoCodec:
    """Encodes and decodes memo values built from `types` (frozen dataclasses) and plain data."""

    def __init__(self, types: Iterable[type[Any]], figures: FigureStore, output_dir: Path) -> None:
        self._types = {t.__name__: t for t in types}
        self._figures = figures
        self._output_dir = output_dir
        self._fields: dict[str, _Fields] = {}

    # Encoding ---------------------------------------------------------------------------------

    def encode(self, value: object) -> object:
        match value:
            case None | bool() | str():
                return value
            case int() | float():
                return value
            case tuple():
                return [self.encode(v) for v in value]
            case list():
                return {"list": [self.encode(v) for v in value]}
            case dict():
                return {"dict": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
            case bytes():
                return {"bytes": base64.b64encode(value).decode("ascii")}
            case datetime():
                return {"datetime": value.replace(tzinfo=None).isoformat(), "tz": _zone(value)}
            case date():
                return {"date": value.isoformat()}
            case Asset():
                return {"figure": self._figure_name(value)}
            case Page():
                return {"page": value.output_path, "digest": content_digest(value.content)}
            case KeptPage():
                stamp = list(value.stamp)
                return {"page": value.output_path, "digest": value.digest, "stamp": stamp}
        kind = type(value)
        if self._types.get(kind.__name__) is not kind or not dataclasses.is_dataclass(value):
            raise Unencodable(f"not a memo value: {kind.__name__}")
        fields = [self.encode(getattr(value, f.name)) for f in dataclasses.fields(kind)]
        return {"type": kind.__name__, "fields": fields}  # in the order of the class's fields

    def _figure_name(self, asset: Asset) -> str:
        name = asset.output_path.removeprefix("figures/")
        if not is_figure_name(name) or asset.source != str(self._figures.path(name)):
            raise Unencodable(f"an asset that is not a figure: {asset.output_path}")
        return name

    # Decoding ---------------------------------------------------------------------------------

    def decode(self, data: object) -> Any:
        """The value `data` encodes; ValueError for anything the encoder would not have written."""
        try:
            return self._decode(data)
        except (TypeError, RecursionError, OverflowError) as exc:  # unhashable keys, depth, ...
            raise ValueError(f"not a memo value: {exc}") from exc

    def decode_as(self, data: object, hint: object) -> Any:
        """The value `data` encodes, which must be of the annotated type `hint`."""
        value = self.decode(data)
        if not _checker(hint)(value):
            raise ValueError("a memo value of the wrong type")
        return value

    def _decode(self, data: object) -> Any:
        kind = type(data)
        if kind is str or kind is int or kind is float or kind is bool or data is None:
            return data
        if isinstance(data, list):
            return tuple(map(self._decode, data))
        if not isinstance(data, dict):
            raise ValueError("not a memo value")
        if "type" in data and len(data) == 2:
            return self._dataclass(_str(data["type"]), data.get("fields"))
        match sorted(data):
            case ["list"]:
                return [self._decode(v) for v in _list(data["list"])]
            case ["dict"]:
                pairs = [_list(pair) for pair in _list(data["dict"])]
                if any(len(pair) != 2 for pair in pairs):
                    raise ValueError("a dict entry is not a pair")
                return {self._decode(k): self._decode(v) for k, v in pairs}
            case ["bytes"]:
                return base64.b64decode(_str(data["bytes"]), validate=True)
            case ["datetime", "tz"]:
                return datetime.fromisoformat(_str(data["datetime"])).replace(
                    tzinfo=_tzinfo(data["tz"])
                )
            case ["date"]:
                return date.fromisoformat(_str(data["date"]))
            case ["figure"]:
                name = _str(data["figure"])
                if not self._figures.holds(name):
                    raise ValueError("not a figure of the store")
                return Asset(f"figures/{name}", str(self._figures.path(name)))
            case ["digest", "page"]:
                return self._page(_str(data["page"]), _str(data["digest"]), None)
            case ["digest", "page", "stamp"]:
                match _list(data["stamp"]):
                    case [int() as inode, int() as size, int() as mtime_ns]:
                        stamp = (inode, size, mtime_ns)
                    case _:
                        raise ValueError("not a file's stamp")
                return self._page(_str(data["page"]), _str(data["digest"]), stamp)
        raise ValueError("not a memo value")

    def _page(self, output_path: str, digest: str, stamp: tuple[int, int, int] | None) -> KeptPage:
        """The page, checked against its digest but not held: at 2,000 posts the pages and
        notebooks of the output folder are 270 MB. A file that is still the one whose digest
        the memo kept (the same inode, size and modification time: `stamp`) is not read again,
        as git trusts its index: reading and hashing 4,000 pages took 0.55 s at 2,000 posts."""
        relative = PurePosixPath(output_path)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise ValueError("a page outside the output folder")
        path = (self._output_dir / relative).absolute()
        try:
            info = path.stat()
            if stamp is not None and (info.st_ino, info.st_size, info.st_mtime_ns) == stamp:
                return KeptPage(output_path, digest, stamp, str(path))
            with path.open("rb") as file:
                info = os.fstat(file.fileno())
                content = file.read()
        except OSError as exc:
            raise ValueError("the page is gone") from exc
        if content_digest(content) != digest:
            raise ValueError("the page changed since")  # edited or damaged: make it again
        return KeptPage(
            output_path, digest, (info.st_ino, info.st_size, info.st_mtime_ns), str(path)
        )

    def _dataclass(self, name: str, fields: object) -> Any:
        kind, checks, plain = self._fields.get(name) or self._field_checks(name)
        if not isinstance(fields, list) or len(fields) != len(checks):
            raise ValueError(f"not the fields of {name}")
        values = []
        for field, check, simple in zip(fields, checks, plain, strict=True):
            if type(field) in simple:  # what decoding and checking it would leave as it is
                values.append(field)
                continue
            value = self._decode(field)
            if not check(value):
                raise ValueError(f"a field of {name} has the wrong type")
            values.append(value)
        return kind(*values)

    def _field_checks(self, name: str) -> _Fields:
        kind = self._types.get(name)
        if kind is None:
            raise ValueError(f"not a memo type: {name}")
        hints = typing.get_type_hints(kind)
        fields = dataclasses.fields(kind)
        checks = tuple(_checker(hints[f.name]) for f in fields)
        plain = tuple(_plain_types(hints[f.name]) for f in fields)
        self._fields[name] = (kind, checks, plain)
        return self._fields[name]


# A memo type, the test of each of its fields, and the JSON types each field takes as they are.
_Fields = tuple[type[Any], tuple[Callable[[object], bool], ...], tuple[frozenset[type], ...]]
_JSON_SCALARS: frozenset[type] = frozenset({str, int, float, bool, type(None)})


@functools.cache
def _plain_types(hint: Any) -> frozenset[type]:
    """The JSON scalar types whose every value decodes to itself and passes `_checker(hint)`:
    such a field needs neither (decoding a memo file meets one in most fields of every value)."""
    if hint is Any:
        return _JSON_SCALARS
    if hint is type(None) or hint is None:
        return frozenset({type(None)})
    if hint is float:
        return frozenset({float, int})
    if hint in (str, int, bool):
        return frozenset({hint})
    if get_origin(hint) in (Union, types.UnionType):
        return frozenset[type]().union(*(_plain_types(arg) for arg in get_args(hint)))
    return frozenset()


def _zone(value: datetime) -> object:
    tz = value.tzinfo
    if tz is None:
        return None
    if isinstance(tz, ZoneInfo):
        return tz.key
    offset = tz.utcoffset(value)
    if not isinstance(tz, timezone) or offset is None:
        raise Unencodable(f"a time zone the memo cannot name: {tz!r}")
    return {"offset_s": offset.total_seconds(), "name": tz.tzname(value)}


def _tzinfo(data: object) -> Any:
    if data is None:
        return None
    if isinstance(data, str):
        try:
            return ZoneInfo(data)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("an unknown time zone") from exc
    if isinstance(data, dict) and sorted(data) == ["name", "offset_s"]:
        offset = timedelta(seconds=_number(data["offset_s"]))
        if not offset:
            return UTC
        name = data["name"]
        default = timezone(offset).tzname(None)
        return timezone(offset) if name == default else timezone(offset, _str(name))
    raise ValueError("not a time zone")


@functools.cache
def _checker(hint: Any) -> Callable[[object], bool]:
    """A test of whether a value is of the annotated type (the forms the model's dataclasses use),
    made once per annotation: decoding a memo file checks every field of every value."""
    if hint is Any:
        return _anything
    if hint is type(None) or hint is None:
        return _is_none
    origin, args = get_origin(hint), get_args(hint)
    if origin is Union or origin is types.UnionType:
        options = tuple(_checker(arg) for arg in args)
        return lambda value: any(check(value) for check in options)
    if origin is Literal:
        return lambda value: value in args
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _checker(args[0])
        return lambda value: isinstance(value, tuple) and all(map(item, value))
    if origin is tuple:
        items = tuple(_checker(arg) for arg in args)
        return lambda value: (
            isinstance(value, tuple)
            and len(value) == len(items)
            and all(check(v) for check, v in zip(items, value, strict=True))
        )
    if origin is list:
        item = _checker(args[0])
        return lambda value: isinstance(value, list) and all(map(item, value))
    if origin in (dict, collections.abc.Mapping):
        key, item = _checker(args[0]), _checker(args[1])
        return lambda value: (
            isinstance(value, dict) and all(key(k) and item(v) for k, v in value.items())
        )
    if hint is float:
        return lambda value: type(value) is float or type(value) is int
    if hint is int:  # not a bool, which is an int to isinstance
        return lambda value: type(value) is int
    if isinstance(hint, type):
        return lambda value: isinstance(value, hint)
    raise TypeError(f"a memo value cannot be annotated {hint!r}")


def _anything(value: object) -> bool:
    return True


def _is_none(value: object) -> bool:
    return value is None


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("not a number")
    return float(value)
