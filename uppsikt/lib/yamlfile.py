"""Reading YAML data files: PyYAML's safe loader, but a key written twice is an error.

Plain YAML keeps the last of two equal keys in a mapping and says nothing, so a plan with
two ``goals:`` silently loses the first list. Every data file Uppsikt reads (the data file
of ``load``, budget tables, internkontrollplaner) goes through ``load_yaml``, which refuses
such a file naming both lines.

    >>> load_yaml("a: 1\\nb: 2")
    {'a': 1, 'b': 2}
    >>> load_yaml("a: 1\\na: 2")
    Traceback (most recent call last):
    ...
    uppsikt.lib.yamlfile.DuplicateKey: rad 2: nyckeln ”a” förekommer två gånger (första gången på rad 1)
"""

from __future__ import annotations

from typing import Any

import yaml
from django.utils.translation import gettext as _

MERGE_TAG = "tag:yaml.org,2002:merge"


class DuplicateKey(yaml.MarkedYAMLError):
    """A mapping names a key twice; ``str()`` is the Swedish message with the line."""

    def __init__(self, key: Any, line: int, first: int, mark) -> None:
        super().__init__(
            problem=_("nyckeln ”%(key)s” förekommer två gånger (första gången på rad %(first)s)")
            % {"key": key, "first": first},
            problem_mark=mark,  # the second one (0-based lines, as PyYAML's marks)
        )
        self.key, self.line, self.first = key, line, first

    def __str__(self) -> str:
        return _("rad %(line)s: %(problem)s") % {"line": self.line, "problem": self.problem}


class UniqueKeyLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` whose mappings refuse a key they already have.

    Keys brought in by a merge (``<<: *anchor``) may be overridden, as YAML intends.
    """

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _value_node in node.value:
                if key_node.tag == MERGE_TAG:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:  # an unhashable key: the base class says so
                    continue
                line = key_node.start_mark.line + 1
                if first is not None:
                    raise DuplicateKey(key, line, first, key_node.start_mark)
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str | bytes) -> Any:
    """One YAML document, safely; raises ``yaml.YAMLError`` (``DuplicateKey`` for a key
    written twice in one mapping)."""
    return yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 -- a SafeLoader subclass
