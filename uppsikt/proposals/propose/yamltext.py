"""A small YAML writer that keeps comments: each proposed object's source is written as a
comment line above it ("# källa: s. 6, stycke 42–45"), which every loader ignores, so the
file validates with the project's own schemas and stays reviewable as text.

Only what the data files hold is written: mappings, lists, texts, integers, booleans and
null. A text is written plain when YAML reads it back unchanged, as a literal block when it
has several lines, and double-quoted otherwise.
"""

from __future__ import annotations

import json
from typing import Any

import yaml


class Commented(dict):
    """A mapping written with comment lines above it."""

    def __init__(self, comments: list[str] | None = None, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.comments = [line for line in comments or [] if line]


def dump(data: dict, header: list[str] | None = None, footer: list[str] | None = None) -> str:
    lines = [_comment(line, 0) for line in header or []]
    lines += _mapping(data, 0)
    lines += [_comment(line, 0) for line in footer or []]
    return "\n".join(lines) + "\n"


def _comment(text: str, indent: int) -> str:
    text = str(text)
    lead = text[: len(text) - len(text.lstrip(" "))]
    one_line = " ".join(text.split())
    return f"{' ' * indent}# {lead}{one_line}".rstrip() if one_line else f"{' ' * indent}#"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _plainly_safe(text):
        return text
    try:
        plain = yaml.safe_load(f"k: {text}") == {"k": text} and "\n" not in text
    except yaml.YAMLError:
        plain = False
    if plain and text == text.strip() and not text.startswith(("'", '"')) and not text.isdigit():
        return text
    return json.dumps(text, ensure_ascii=False)


_KEYWORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def _plainly_safe(text: str) -> bool:
    """A text that is plain YAML without asking the parser (most of a plan's texts)."""
    return (
        text[:1].isalpha()
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and "\n" not in text
        and "\t" not in text
        and text.isprintable()
        and text.lower() not in _KEYWORDS
    )


def _flow_scalar(value: Any) -> str | None:
    if value is None or isinstance(value, bool | int):
        return _scalar(value)
    if isinstance(value, str) and "\n" not in value:
        return json.dumps(value, ensure_ascii=False)
    return None


def _flow(value: Any) -> str | None:
    """A short list or mapping of scalars on one line, as a person writes a budget row's
    figures (``["-435", "-311"]``) or a series (``{kind: budget, year: 2023}``)."""
    if isinstance(value, Commented) or not isinstance(value, list | dict) or not value:
        return None
    if isinstance(value, list):
        parts = [_flow_scalar(item) for item in value]
        text = "[" + ", ".join(part or "" for part in parts) + "]"
    else:
        if not all(isinstance(key, str) and _plainly_safe(key) for key in value):
            return None
        parts = [_flow_scalar(item) for item in value.values()]
        pairs = zip(value, parts, strict=True)
        text = "{" + ", ".join(f"{key}: {part}" for key, part in pairs) + "}"
    if any(part is None for part in parts) or len(text) > 60:
        return None
    return text


def _is_block(value: Any) -> bool:
    return (
        isinstance(value, str)
        and "\n" in value
        and all(
            line == line.rstrip() and not line.startswith((" ", "\t")) for line in value.split("\n")
        )
    )


def _mapping(data: dict, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, Commented):
            lines += [_comment(line, indent) for line in value.comments]
        if isinstance(value, list | dict) and not value:
            lines.append(f"{pad}{key}: {'[]' if isinstance(value, list) else '{}'}")
        elif (flow := _flow(value)) is not None:
            lines.append(f"{pad}{key}: {flow}")
        elif isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines += _mapping(value, indent + 2)
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:")
            lines += _sequence(value, indent + 2)
        elif _is_block(value):
            chomp = "" if value.endswith("\n") else "-"
            lines.append(f"{pad}{key}: |{chomp}")
            body = value[:-1] if value.endswith("\n") else value
            lines += [f"{pad}  {line}" if line else "" for line in body.split("\n")]
        else:
            lines.append(f"{pad}{key}: {_scalar(value)}")
    return lines


def _sequence(items: list, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for item in items:
        if (flow := _flow(item)) is not None:
            lines.append(f"{pad}- {flow}")
        elif isinstance(item, dict):
            lines += [_comment(line, indent) for line in getattr(item, "comments", [])]
            inner = _mapping(item, indent + 2)
            while inner and inner[0].lstrip().startswith("#"):
                lines.append(pad + inner.pop(0).lstrip())
            if not inner:
                lines.append(f"{pad}- {{}}")
                continue
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines += inner[1:]
        elif isinstance(item, list):
            lines.append(f"{pad}-")
            lines += _sequence(item, indent + 2)
        else:
            lines.append(f"{pad}- {_scalar(item)}")
    return lines
