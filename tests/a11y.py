"""Accessibility assertions with axe-core (bundled by ``axe_playwright_python``).

Usage in a browser test::

    from tests.a11y import assert_accessible

    page.goto(live_server.url + "/")
    assert_accessible(page)                      # whole page
    assert_accessible(page, context="main")      # only part of it (a CSS selector)
    assert_accessible(page, disable=["color-contrast"])  # skip named rules, sparingly

Only WCAG 2.0/2.1 level A and AA rules run (not best-practice).
"""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def axe_violations(page, context=None, disable=()) -> list[dict]:
    """axe-core's violations for the page (or the part ``context`` selects)."""
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    results = _axe.run(page, context=context, options=options)
    return results.response["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) (WCAG 2.1 A/AA):"]
    for v in violations:
        lines.append(f"- {v['id']} [{v.get('impact') or 'unknown'}]: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            snippet = " ".join(node.get("html", "").split())[:200]
            lines.append(f"    at {target}: {snippet}")
    return "\n".join(lines)


def assert_accessible(page, context=None, disable=()) -> None:
    """Raise AssertionError listing every WCAG 2.1 A/AA violation axe-core finds."""
    violations = axe_violations(page, context=context, disable=disable)
    if violations:
        raise AssertionError(f"{format_violations(violations)}\nURL: {page.url}")
