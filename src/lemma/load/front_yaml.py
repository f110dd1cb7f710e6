"""Front matter YAML: bounded nesting and alias expansion; text values as the author typed them."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

import yaml

from lemma.errors import FrontMatterError
from lemma.model import SourceLocation
from lemma.wording import yaml_wording

# Far beyond any real front matter, far below what a recursive composer or a page's context
# can take: 500 levels exhaust Python's stack, and a 466-byte alias bomb expands to billions.
MAX_DEPTH = 50
MAX_VALUES = 10_000  # values once aliases are expanded
MAX_ALIASED_CHARS = 1_000_000  # characters aliases may add to the text's own
# C0 controls (ESC, NUL, ...) but tab and newline, DEL and C1: invisible, and invalid in XML 1.0.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class _ImpossibleDate(yaml.constructor.ConstructorError):
    """Valid YAML whose date cannot be (2025-13-45): said as a date, not as YAML."""


class _Loader(yaml.SafeLoader):
    """SafeLoader where an impossible date (2025-13-45) is an error with a line."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise _ImpossibleDate(
                None, None, f"{node.value!r} is not a valid date ({exc})", node.start_mark
            ) from exc


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


_HASH_ITEM = re.compile(r"[\[,]\s*#")  # a list item written with Obsidian's '#'


def strip_controls(text: str) -> str:
    """`text` without control characters (tab and newline kept)."""
    return _CONTROL.sub("", text)


def parse_front_yaml(
    yaml_text: str, where: SourceLocation, text_keys: Collection[str], list_keys: Collection[str]
) -> dict[str, Any]:
    """The top-level mapping of a front matter block.

    The values of `text_keys` and the items of lists under `list_keys` are the scalars' text as
    typed: YAML 1.1 reads `yes`, `NO`, `1.10`, `0x1F` and `12:30` as True, False, 1.1, 31 and
    750, which is never what a title or a tag means.
    """
    if not yaml_text.strip():
        return {}
    try:
        _check_depth(yaml_text, where)
        loader = _Loader(yaml_text)
        try:
            node = loader.get_single_node()
            if node is None:
                return {}
            _check_expansion(node, where, len(yaml_text))
            raw = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        said = yaml_wording(exc)
        line = said.line + 1 if said.line else 1  # +1 for the opening ---
        kind = "" if isinstance(exc, _ImpossibleDate) else "invalid YAML: "
        hint = said.hint
        written = yaml_text.split("\n")[said.line - 1] if said.line else ""
        if _HASH_ITEM.search(written):  # Obsidian's `tags: [#math, #study]`
            hint = "'#' starts a comment in YAML: write the tags without it, tags: [math, study]"
        raise FrontMatterError(
            f"front matter: {kind}{said.message}",
            where.at_line(line, said.column),
            hint=hint,
            detail=said.detail,
        ) from exc
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not isinstance(node, yaml.MappingNode):
        raise FrontMatterError(
            "front matter: expected 'key: value' lines",
            where.at_line(2),
            hint="e.g. title: My post",
        )
    values = {str(k): v for k, v in raw.items()}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        value = values.get(key)
        if key in text_keys and isinstance(value_node, yaml.ScalarNode) and value is not None:
            values[key] = strip_controls(str(value_node.value))
        elif key in list_keys and isinstance(value_node, yaml.SequenceNode):
            values[key] = _typed_items(value, value_node)
    return values


def _typed_items(value: Any, node: yaml.SequenceNode) -> Any:
    if not isinstance(value, list):
        return value
    return [
        strip_controls(str(item_node.value))
        if isinstance(item_node, yaml.ScalarNode) and item is not None
        else item
        for item, item_node in zip(value, node.value, strict=True)
    ]


def _check_depth(yaml_text: str, where: SourceLocation) -> None:
    """Nesting is checked on the event stream, which is flat: composing it recurses per level."""
    depth = 0
    for event in yaml.parse(yaml_text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                line, column = (mark.line + 2, mark.column + 1) if mark else (1, 0)
                raise FrontMatterError(
                    f"front matter: values nested more than {MAX_DEPTH} levels deep",
                    where.at_line(line, column),
                    hint="flatten the data, or keep it in a file the post reads",
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _check_expansion(root: yaml.Node, where: SourceLocation, text_size: int) -> None:
    """Count the values and characters the document stands for with aliases expanded, without
    expanding them: a long string behind 10,000 aliases is as costly as 10,000 copies of it."""
    sizes: dict[int, tuple[int, int]] = {}
    open_nodes: set[int] = set()
    max_chars = text_size + MAX_ALIASED_CHARS

    def size(node: yaml.Node) -> tuple[int, int]:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if id(node) in open_nodes:
            raise FrontMatterError(
                "front matter: an alias refers to the value that contains it",
                where.at_line(node.start_mark.line + 2),
                hint="remove the '*' reference, or copy the value",
            )
        open_nodes.add(id(node))
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        values, chars = 1, len(node.value) if isinstance(node, yaml.ScalarNode) else 0
        for child in children:
            child_values, child_chars = size(child)
            values, chars = values + child_values, chars + child_chars
        open_nodes.discard(id(node))
        sizes[id(node)] = (values, chars)
        if values > MAX_VALUES or chars > max_chars:
            limit = f"{MAX_VALUES:,} values" if values > MAX_VALUES else "its own size by 1 MB"
            raise FrontMatterError(
                f"front matter: aliases ('*name') expand to more than {limit}",
                where.at_line(node.start_mark.line + 2),
                hint="front matter holds a post's metadata; keep large data in a file",
            )
        return values, chars

    size(root)
