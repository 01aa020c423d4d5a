"""Anchors: the trail's head (sequence and hash) published outside the database.

The chain alone cannot show that its newest rows were cut off, or that it was wiped, when the
head (``ChainHead``) was moved back too: what is left is still a whole chain. An anchor says
"on this day the trail had row N, with hash H". Once it is kept somewhere else, a trail where
row N is gone or has another hash is caught.

``uppsikt audit anchor`` appends the current head to ``AUDIT_ANCHORS_FILE`` (one line each,
``<UTC time> <sequence> <hash>``); a timer runs it daily. The public page
``/andringslogg/ankare/`` lists the file, so that others can keep copies, and
``uppsikt audit verify`` checks every anchor in it (``check_anchors``), or any one given with
``--expect SEQUENCE:HASH`` (``check_expected``).
"""

from __future__ import annotations

import datetime
import fcntl
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent, ChainHead
from .trail import GENESIS, Broken

LINE = re.compile(r"^(?P<at>\S+) (?P<sequence>\d+) (?P<hash>[0-9a-f]{64})$")


@dataclass(frozen=True)
class Anchor:
    at: datetime.datetime
    sequence: int
    hash: str

    def line(self) -> str:
        at = self.at.astimezone(datetime.UTC).isoformat(timespec="seconds")
        return f"{at} {self.sequence} {self.hash}\n"


def parse_expectation(text: str) -> tuple[int, str]:
    """``"1234:abc…"`` → ``(1234, "abc…")``; ValueError when it is not that."""
    sequence, sep, digest = text.strip().partition(":")
    if not sep or not sequence.isdigit() or not re.fullmatch(r"[0-9a-f]{64}", digest.lower()):
        raise ValueError(text)
    return int(sequence), digest.lower()


def parse_anchors(text: str) -> tuple[list[Anchor], list[int]]:
    """The anchors in a file's text (oldest first), and the numbers of lines that are not one.

    Empty lines and lines starting with ``#`` are neither.
    """
    anchors, bad = [], []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = LINE.match(line)
        at = None
        if match:
            try:
                at = datetime.datetime.fromisoformat(match["at"])
            except ValueError:
                at = None
        if match is None or at is None or at.tzinfo is None:
            bad.append(number)
            continue
        anchors.append(Anchor(at=at, sequence=int(match["sequence"]), hash=match["hash"]))
    return anchors, bad


def read_anchors(path: Path) -> tuple[list[Anchor], list[int]]:
    """``parse_anchors`` of the file at ``path``; none when there is no file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    return parse_anchors(text)


def current_anchor() -> Anchor:
    """The trail's head now: sequence 0 and the genesis hash while it is empty."""
    head = ChainHead.objects.filter(pk=1).first()
    sequence = head.last_sequence if head else 0
    digest = head.last_hash if head and head.last_hash else GENESIS
    return Anchor(at=timezone.now().replace(microsecond=0), sequence=sequence, hash=digest)


def append_anchor(path: Path, *, daily: bool = False) -> Anchor | None:
    """Append the current head to the file at ``path``; with ``daily``, only when the file
    has no anchor from today (local date) yet. The new anchor, or None when none was needed.

    The file is locked while it is read and appended to, so two runs never both append.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if daily:
                handle.seek(0)
                anchors, _bad = parse_anchors(handle.read())
                today = timezone.localdate()
                if any(timezone.localtime(anchor.at).date() == today for anchor in anchors):
                    return None
            anchor = current_anchor()
            handle.write(anchor.line())
            handle.flush()
            os.fsync(handle.fileno())
            return anchor
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_expected(expected: Iterable[tuple[int, str]]) -> Broken | None:
    """The first ``(sequence, hash)`` that the trail no longer has, or None.

    Sequence 0 is the empty trail's head (the genesis hash): it holds for any trail.
    """
    wanted = [(sequence, digest) for sequence, digest in expected if sequence > 0]
    stored = dict(
        AuditEvent.objects.filter(sequence__in={s for s, _ in wanted}).values_list(
            "sequence", "hash"
        )
    )
    for sequence, digest in sorted(wanted):
        if sequence not in stored:
            return Broken(sequence, _("raden finns inte längre: loggen har kortats eller tömts"))
        if stored[sequence] != digest:
            return Broken(sequence, _("raden har inte den hash som publicerades"))
    return None


def check_anchors(anchors: Iterable[Anchor]) -> Broken | None:
    """``check_expected`` for every published anchor."""
    return check_expected((anchor.sequence, anchor.hash) for anchor in anchors)


def check_anchor_file(path: Path) -> tuple[int, str]:
    """Check the trail against every anchor in the file: (anchors read, problem or "")."""
    anchors, bad = read_anchors(path)
    if bad:
        return len(anchors), _("rad %(line)s i ankarfilen går inte att läsa") % {"line": bad[0]}
    broken = check_anchors(anchors)
    if broken is None:
        return len(anchors), ""
    published = next(anchor for anchor in anchors if anchor.sequence == broken.sequence)
    return len(anchors), _("ankaret från %(date)s, rad %(sequence)s: %(reason)s") % {
        "date": timezone.localtime(published.at).strftime("%Y-%m-%d %H:%M"),
        "sequence": broken.sequence,
        "reason": broken.reason,
    }
