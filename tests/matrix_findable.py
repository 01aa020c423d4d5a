"""The permission matrix for what makes the public pages findable: the sitemap and
robots.txt, open to anyone."""

from __future__ import annotations

from .matrix_rules import Case, always

FINDABLE_PAGES: dict[str, list[Case]] = {
    "portal:sitemap": [Case(expect=always(200))],
    "portal:robots": [Case(expect=always(200))],
}
