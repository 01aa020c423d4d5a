"""Kolada, the source of most indicators in Swedish plans: its KPI catalogue, linking a KPI to
an indicator definition, and the sync of values through the indicator import.

``client.py`` speaks Kolada's API v3 (timeouts, retries with backoff, paging by each
response's next-page link); ``catalogue.py`` keeps the KPI catalogue searchable here;
``sync.py`` brings the linked KPIs' values for an organisation, Riket and its comparison
organisations through ``indicators.importers.import_measurements``, since the last
successful sync. See docs/kolada.md.
"""
