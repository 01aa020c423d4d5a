"""How `make test` shares the tests between pytest-xdist workers (``--dist loadgroup``).

Each test goes to whichever worker is free, except the tests of the modules below: each of
those builds its data once per module (tests/once.py, or a module-scoped fixture), so one
worker runs the whole module and builds it once. Loading the whole demo for the PDF/UA
checks took about 40 s per worker on PostgreSQL.

pytest-xdist's own ``xdist_group`` mark would say this in each module, but with pytest 9.2
it has no effect (the group is added to the test's node id, which pytest no longer lets a
plugin change: pytest-dev/pytest-xdist#1386), so the modules are named here.
"""

from __future__ import annotations

ONE_WORKER = frozenset(
    {
        "tests/test_pagecache_redis.py",
        "tests/test_proposals_quality.py",
        "tests/test_public_numbers.py",
        "tests/test_public_site.py",
        "tests/test_report_pdfua.py",
        "tests/test_reports_demo.py",
        "tests/test_reports_period.py",
        "tests/test_tenancy.py",
    }
)


def work_unit(nodeid: str) -> str:
    """The unit a test is sent in: its module's path for the modules above, else itself."""
    module = nodeid.split("::", 1)[0]
    return module if module in ONE_WORKER else nodeid


def make_scheduler(config, log):
    """The scheduler for ``--dist loadgroup`` (None for every other mode: xdist's own)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModulesKeptTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return ModulesKeptTogether(config, log)
