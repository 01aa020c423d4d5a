"""Progress reporting that long work shares between the CLI and background jobs.

Long functions take a ``progress`` callable and call it as they go::

    def build_report(unit, period, *, progress: Progress = no_progress) -> bytes:
        for done, section in enumerate(sections, 1):
            ...
            progress(done, len(sections), f"Avsnitt {section.title}")

The CLI passes a ``TerminalProgress`` (a bar on stderr); a background job passes its
``jobs.runner.JobProgress``, which the job's page polls. Call it outside long database transactions:
on SQLite another connection cannot see, or write, while one transaction holds the lock.
"""

from __future__ import annotations

import sys
from typing import Protocol, TextIO


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


def no_progress(done: int, total: int, message: str = "") -> None:
    """A progress callable that reports nothing."""


class TerminalProgress:
    """A progress bar on a terminal; on a pipe, a line at every tenth of the way."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = self.stream.isatty()
        self._last_tenth = -1

    def __call__(self, done: int, total: int, message: str = "") -> None:
        fraction = done / total if total else 0.0
        if self.tty:
            filled = int(self.width * fraction)
            bar = "█" * filled + "░" * (self.width - filled)
            self.stream.write(f"\r{bar} {fraction:4.0%} {message[:50]:<50}")
            if total and done >= total:
                self.stream.write("\n")
            self.stream.flush()
            return
        tenth = int(fraction * 10)
        if tenth != self._last_tenth:
            self._last_tenth = tenth
            self.stream.write(f"{fraction:4.0%} {message}\n")
            self.stream.flush()
