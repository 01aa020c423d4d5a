"""The simulated users of ``mixed_load.py``: HTTP clients on loopback, form posting as a
browser does, and the bookkeeping that finds lost updates.

No Django here: the clients only speak HTTP to the server under test (127.0.0.1), with
``requests`` sessions (cookies, keep-alive). A form is posted back as a browser would: every
enabled field the page rendered (hidden ones too, e.g. a version the server put there), with
checked boxes only, and one textarea changed.
"""

from __future__ import annotations

import html
import random
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

TIMEOUT = 30.0  # seconds per request; a slower answer counts as an error
MAX_ACTIONS_PER_PHASE = 100_000  # hard bound beside the time bound
LOGIN_PATH = "/konto/logga-in/"
IMPORT_PATH = "/indikatorer/inlasning/"
MARKER_RE = re.compile(r"Mätning \S+ nr \d+")

# What one user does per step, with weights; a save is a GET of the form, then its POST.
ACTIONS = (("plan_public", 30), ("plan_signed_in", 25), ("followup_read", 25), ("save", 20))
KIND_LABELS = {
    "plan_public": "plan page, public",
    "plan_signed_in": "plan page, signed in",
    "followup_page": "follow-up page",
    "followup_save": "follow-up save (POST)",
    "import_page": "import page",
    "import_upload": "import upload (POST)",
    "job_status": "job status (poll)",
}


# --- Forms as a browser submits them -----------------------------------------------------

FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
CONTROL_RE = re.compile(
    r"<(input)\b([^>]*)>|<(textarea)\b([^>]*)>(.*?)</textarea>|<(select)\b([^>]*)>(.*?)</select>",
    re.S | re.I,
)
OPTION_RE = re.compile(r"<option\b([^>]*)>(.*?)</option>", re.S | re.I)
ATTR_RE = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


def _attrs(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in ATTR_RE.finditer(text)
    }


def form_fields(page: str, marker: str) -> list[tuple[str, str]] | None:
    """The (name, value) pairs a browser would submit from the first form whose opening tag
    or body contains ``marker``; None if there is no such form."""
    for form in FORM_RE.finditer(page):
        if marker in form.group(1) or marker in form.group(2):
            return _controls(form.group(2))
    return None


def _controls(body: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for m in CONTROL_RE.finditer(body):
        attrs = _attrs(m.group(2) or m.group(4) or m.group(7) or "")
        name = attrs.get("name")
        if not name or "disabled" in attrs:
            continue  # browsers leave out disabled controls
        if m.group(1):
            kind = attrs.get("type", "text").lower()
            if kind in SKIPPED_INPUTS or (kind in ("checkbox", "radio") and "checked" not in attrs):
                continue
            pairs.append((name, attrs.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif m.group(3):
            text = html.unescape(m.group(5))
            pairs.append((name, text[1:] if text.startswith("\n") else text))
        else:
            options = [(_attrs(o.group(1)), o.group(2)) for o in OPTION_RE.finditer(m.group(8))]
            chosen = [o for o in options if "selected" in o[0]] or options[:1]
            for option_attrs, label in chosen:
                value = option_attrs.get("value", html.unescape(label).strip())
                pairs.append((name, value))
    return pairs


def replaced(pairs: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    return [(key, value if key == name else old) for key, old in pairs]


def field_value(pairs: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in pairs if key == name), None)


def marker_in(text: str | None) -> str | None:
    found = MARKER_RE.search(text or "")
    return found.group(0) if found else None


# --- Who does what -----------------------------------------------------------------------


@dataclass
class Persona:
    """One signed-in user: the follow-up page they work on and the entry they write."""

    username: str
    role: str  # "rapportor" writes its own entry; "planerare" a shared one, and sees all rows
    page: str  # the unit's follow-up page in the period
    plan: str  # a plan page they read signed in
    entry_id: int
    field: str  # the textarea's name, e.g. "f-goal-12-comment"
    shared: bool  # written by several users (the planners of the page)


@dataclass
class Save:
    username: str
    entry_id: int
    shared: bool
    marker: str
    seen: str | None  # the marker the form showed for the entry (None: none of ours)
    get_start: float
    get_end: float
    post_sent: float
    ack: float
    outcome: str  # saved, conflict, refused, error


@dataclass
class Sample:
    phase: str
    kind: str
    start: float
    seconds: float
    error: str | None  # None when the answer was 2xx/3xx and what was expected


@dataclass
class Client:
    persona: Persona
    base: str
    public_plans: list[str]
    seed: int
    session: requests.Session = field(default_factory=requests.Session)
    anonymous: requests.Session = field(default_factory=requests.Session)
    samples: list[Sample] = field(default_factory=list)
    saves: list[Save] = field(default_factory=list)
    lost: set[str] = field(default_factory=set)  # markers seen overwritten while running
    last_saved: str | None = None
    unsure: set[str] = field(default_factory=set)  # sent since, outcome unknown
    retried: list[str] = field(default_factory=list)  # requests sent again, and why
    counter: int = 0
    phase: str = "setup"

    def request(self, kind: str, method: str, path: str, *, session=None, **kwargs):
        """One timed request; an exception or a status outside 2xx/3xx is an error.

        A kept-alive connection the server closed while it was idle (gunicorn closes them
        after 2 s) fails before any answer; like a browser or nginx, the request is then
        sent once more on a new connection, and counted in ``retried``."""
        start = time.perf_counter()
        for attempt in (1, 2):
            try:
                response = (session or self.session).request(
                    method, self.base + path, timeout=TIMEOUT, allow_redirects=False, **kwargs
                )
                response.content  # noqa: B018 - read the whole body inside the timing
                break
            except requests.RequestException as error:
                if attempt == 1 and "files" not in kwargs and _closed_unanswered(error):
                    self.retried.append(f"{type(error).__name__}: {error}"[:160])
                    continue
                self._sample(kind, start, f"{type(error).__name__}: {error}"[:160])
                return None
        ok = 200 <= response.status_code < 400
        error = None if ok else f"HTTP {response.status_code}"
        if ok and LOGIN_PATH in response.headers.get("Location", "") and method == "GET":
            ok, error = False, "sent to the sign-in page (signed out)"
        self._sample(kind, start, error)
        return response if ok else None

    def _sample(self, kind: str, start: float, error: str | None) -> None:
        self.samples.append(Sample(self.phase, kind, start, time.perf_counter() - start, error))

    def _fail_last(self, reason: str) -> None:
        """The last request was answered, but not as expected: it counts as an error."""
        self.samples[-1].error = reason

    def sign_in(self, password: str) -> bool:
        page = self.request("sign_in_page", "GET", LOGIN_PATH)
        fields = form_fields(page.text, 'name="username"') if page is not None else None
        if fields is None:
            return False
        fields = replaced(replaced(fields, "username", self.persona.username), "password", password)
        done = self.request("sign_in", "POST", LOGIN_PATH, data=fields)
        return done is not None and done.status_code == 302 and "sessionid" in self.session.cookies

    def run(self, phase: str, deadline: float) -> None:
        self.phase = phase
        rng = random.Random(f"{self.seed}-{phase}")
        names = [name for name, _weight in ACTIONS]
        weights = [weight for _name, weight in ACTIONS]
        for _ in range(MAX_ACTIONS_PER_PHASE):
            if time.perf_counter() >= deadline:
                break
            action = rng.choices(names, weights)[0]
            if action == "plan_public":
                self.request(
                    "plan_public", "GET", rng.choice(self.public_plans), session=self.anonymous
                )
            elif action == "plan_signed_in":
                self.request("plan_signed_in", "GET", self.persona.plan)
            elif action == "followup_read":
                self.read_form()
            else:
                self.save()

    def read_form(self) -> tuple[list[tuple[str, str]], float, float] | None:
        start = time.perf_counter()
        page = self.request("followup_page", "GET", self.persona.page)
        end = time.perf_counter()
        if page is None:
            return None
        fields = form_fields(page.text, "followup-form")
        if fields is None or field_value(fields, self.persona.field) is None:
            self._fail_last("the entry is not in the form")
            return None
        self._observe(marker_in(field_value(fields, self.persona.field)))
        return fields, start, end

    def _observe(self, seen: str | None) -> None:
        """A user's own entry must show their last saved text (or one sent since whose
        outcome is unknown): anything else means someone else's save overwrote it."""
        if self.persona.shared or self.last_saved is None:
            return
        if seen != self.last_saved and seen not in self.unsure:
            self.lost.add(self.last_saved)

    def save(self) -> None:
        read = self.read_form()
        if read is None:
            return
        fields, get_start, get_end = read
        self.counter += 1
        marker = f"Mätning {self.persona.username} nr {self.counter}"
        seen = marker_in(field_value(fields, self.persona.field))
        post_sent = time.perf_counter()
        response = self.request(
            "followup_save",
            "POST",
            self.persona.page,
            data=replaced(fields, self.persona.field, marker),
            headers={"Referer": self.base + self.persona.page},
        )
        ack = time.perf_counter()
        outcome = _outcome(response, self.persona.page)
        if outcome == "saved":
            self.last_saved = marker
            self.unsure.clear()
        elif outcome == "error":
            self.unsure.add(marker)
            if response is not None:  # answered, but not back to the page
                self._fail_last(f"sent to {response.headers.get('Location', '')[:80]}")
        elif outcome == "refused":
            self._fail_last("refused: " + _first_error(response))
        self.saves.append(
            Save(
                self.persona.username,
                self.persona.entry_id,
                self.persona.shared,
                marker,
                seen,
                get_start,
                get_end,
                post_sent,
                ack,
                outcome,
            )
        )


def _closed_unanswered(error: Exception) -> bool:
    """The connection was closed or reset before any byte of an answer came back."""
    text = str(error)
    return isinstance(error, requests.ConnectionError) and (
        "RemoteDisconnected" in text or "Connection reset by peer" in text
    )


def _outcome(response, page: str) -> str:
    if response is None:
        return "error"
    if response.status_code == 302:  # saved: back to the page; else e.g. signed out
        return "saved" if response.headers.get("Location") == page else "error"
    if 'class="conflict"' in response.text:
        return "conflict"  # refused as stale and shown to the user: not an error
    return "refused"


def _first_error(response) -> str:
    found = re.search(r'class="error-summary".*?<li>(.*?)</li>', response.text, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()[:120] if found else "no message"


# --- The import ---------------------------------------------------------------------------


def run_import(client: Client, csv_path: Path, start_at: float, poll_until: float) -> dict:
    """Upload the CSV through the import page at ``start_at``, then poll the job's status
    each second as the page's script does, until it is finished or ``poll_until``."""
    time.sleep(max(0.0, start_at - time.perf_counter()))
    result: dict = {"started": time.perf_counter()}
    page = client.request("import_page", "GET", IMPORT_PATH)
    fields = form_fields(page.text, 'name="file"') if page is not None else None
    if fields is None:
        return {**result, "error": "no import form"}
    with csv_path.open("rb") as upload:
        response = client.request(
            "import_upload",
            "POST",
            IMPORT_PATH,
            data=fields,
            files={"file": (csv_path.name, upload, "text/csv")},
            headers={"Referer": client.base + IMPORT_PATH},
        )
    result["uploaded"] = time.perf_counter()
    location = response.headers.get("Location", "") if response is not None else ""
    if response is None or response.status_code != 302 or "/jobb/" not in location:
        return {**result, "error": "the upload did not start a job"}
    result["job_id"] = location.rstrip("/").rsplit("/", 1)[-1]
    status_path = f"/jobb/{result['job_id']}/status.json"
    while time.perf_counter() < poll_until:
        answer = client.request("job_status", "GET", status_path)
        if answer is not None and answer.json().get("finished"):
            result["finished"] = time.perf_counter()
            result["status"] = answer.json().get("status")
            break
        time.sleep(1.0)
    return result


def run_threads(targets: list) -> None:
    threads = [threading.Thread(target=target, daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- Lost updates -------------------------------------------------------------------------


def lost_updates(clients: list[Client], finals: dict[int, str]) -> dict[str, set[str]]:
    """Acknowledged saves that the database does not keep although no later acknowledged
    save to the same entry replaced them, by how they were found."""
    saves = [save for client in clients for save in client.saves]
    found = {
        "seen overwritten while running": set().union(*(c.lost for c in clients)),
        "overwritten by a save that had not seen it": set(),
        "missing at the end": set(),
    }
    by_entry: dict[int, list[Save]] = {}
    for save in saves:
        by_entry.setdefault(save.entry_id, []).append(save)
    for entry_id, entry_saves in by_entry.items():
        acked = [s for s in entry_saves if s.outcome == "saved"]
        for later in acked:  # B committed inside A's read-to-write window, A did not show it
            for earlier in acked:
                if (
                    earlier is not later
                    and earlier.post_sent > later.get_end
                    and earlier.ack < later.post_sent
                    and later.seen != earlier.marker
                ):
                    found["overwritten by a save that had not seen it"].add(earlier.marker)
        # At the end: one of the acknowledged saves no later save superseded, or a save
        # whose outcome is unknown.
        last = [s for s in acked if not any(t.post_sent > s.ack for t in acked)]
        allowed = {s.marker for s in last} | {s.marker for s in entry_saves if s.outcome == "error"}
        if last and marker_in(finals.get(entry_id)) not in allowed:
            found["missing at the end"].add(max(last, key=lambda s: s.ack).marker)
    return found
