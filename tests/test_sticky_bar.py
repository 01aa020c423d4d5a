"""The sticky save bar never hides the focused element (WCAG 2.2, 2.4.11 Focus Not Obscured).

A real Chromium with a small window tabs through the whole follow-up form with the keyboard;
for every element that takes focus, its box (with the focus ring) must not meet the bar's.
A scan of the site's CSS makes sure no other page has a bar fixed to the window that this
test does not cover.
"""

import re
from pathlib import Path

import pytest

from .builders import user_with_role
from .followup_setup import small_setting
from .signin import sign_in

ROOT = Path(__file__).resolve().parent.parent
FORM = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"
# Every selector with position sticky or fixed in the site's CSS, and the test covering it.
COVERED = {".sticky-actions": "test_tabbing_through_the_follow_up_form_never_hides_the_focus"}
# The skip link sits off-screen until focused; it is not a bar that covers content.
NOT_BARS = {".skip-link"}

# Read after the next frames are drawn: what a person sees once the focus has moved.
FOCUS_AND_BAR = """async () => {
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const el = document.activeElement;
  const bar = document.querySelector('.sticky-actions');
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
  return {
    tag: el.tagName, id: el.id, name: el.getAttribute('name') || '', text: (el.innerText || '').slice(0, 40),
    inBar: bar.contains(el), inForm: !!el.closest('form.followup-form'),
    top: r.top, bottom: r.bottom, left: r.left, right: r.right,
    barTop: b.top, barBottom: b.bottom, barLeft: b.left, barRight: b.right,
    viewport: window.innerHeight,
  };
}"""


def _login(page, live_server) -> None:
    page.set_default_timeout(30_000)  # a loaded machine: the first request compiles templates
    user_with_role("admin", "administrator")
    sign_in(page, live_server.url, "admin")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_tabbing_through_the_follow_up_form_never_hides_the_focus(live_server, page):
    small_setting(goal_count=4)
    _login(page, live_server)
    page.set_viewport_size({"width": 720, "height": 420})  # small: the bar matters
    page.goto(live_server.url + FORM)
    assert page.locator(".sticky-actions").count() == 1
    page.locator("body").focus()
    seen, hidden = [], []
    for _press in range(400):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_AND_BAR)
        if state is None:
            continue
        if state["inBar"]:
            break  # the form's last stop: the save button in the bar
        if not state["inForm"]:
            if seen:
                pytest.fail(f"the focus left the form before the bar: {state}")
            continue
        seen.append(state)
        # The focus ring (3px outline, 2px offset and a 5px shadow) counts as the element.
        ring = 8
        overlaps = (
            state["bottom"] + ring > state["barTop"]
            and state["top"] - ring < state["barBottom"]
            and state["right"] > state["barLeft"]
            and state["left"] < state["barRight"]
        )
        if overlaps:
            hidden.append(state)
    else:
        pytest.fail("tabbing never reached the save bar")
    assert len(seen) >= 12, seen  # status, responsible, comment and done of several items
    assert not hidden, "focus hidden behind the save bar: " + "; ".join(
        f"{s['tag']}#{s['id']} top {s['top']:.0f} bottom {s['bottom']:.0f} > bar top {s['barTop']:.0f}"
        for s in hidden
    )
    # Going back with Shift+Tab from the bar keeps the focus clear of it as well.
    for _press in range(len(seen)):
        page.keyboard.press("Shift+Tab")
        state = page.evaluate(FOCUS_AND_BAR)
        if state and state["inForm"] and not state["inBar"]:
            assert state["bottom"] + 8 <= state["barTop"] or state["top"] >= state["barBottom"], (
                state
            )


def test_no_other_page_has_a_bar_fixed_to_the_window():
    """A new sticky or fixed bar needs its own keyboard test (add it to COVERED)."""
    found = set()
    for css in (ROOT / "uppsikt").rglob("static/**/*.css"):
        if "reports" in css.parts:  # printed reports: no scrolling window
            continue
        for rule in re.finditer(r"([^{}]+)\{([^}]*)\}", css.read_text()):
            if re.search(r"position\s*:\s*(sticky|fixed)", rule.group(2)):
                found.update(s.strip() for s in rule.group(1).split(","))
    assert found - NOT_BARS == set(COVERED), found
