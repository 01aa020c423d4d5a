"""What higher apps add to the indicator pages (registered from their ``ready()``).

``definition_panels``: content of the definition page (``indicators:definition``), e.g. the
Kolada KPI a definition is linked to; a panel's ``context(definition, user)``.
``list_panels``: content of the definition list (``indicators:list``), e.g. a link to
Kolada's catalogue for those who may link; a panel's ``context(None, user)``. Each panel is
a ``organisations.pages.Panel``: its template is included with what ``context`` returns, or
not at all when it returns ``None``.
"""

from __future__ import annotations

from uppsikt.lib.registry import Registry
from uppsikt.organisations.pages import Panel
from uppsikt.organisations.pages import panels as panels

definition_panels: Registry[Panel] = Registry("indicator definition page")
list_panels: Registry[Panel] = Registry("indicator definition list")
