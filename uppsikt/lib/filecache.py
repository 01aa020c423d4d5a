"""The embedded cache of public pages: Django's file cache without compression.

``FileBasedCache`` compresses every value with zlib; decompressing a kept page on every
visit was a quarter of the time a hit took. Pages are kept as they are served (the server
or proxy in front compresses what goes out). A file this class cannot read (one written
by ``FileBasedCache`` before, or cut short) counts as missing and is removed.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

UNREADABLE = (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError)


class UncompressedFileBasedCache(FileBasedCache):
    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        fname = self._key_to_file(key, version)  # type: ignore[attr-defined]  # private, unstubbed
        try:
            with open(fname, "rb") as f:
                if not self._is_expired(f):  # type: ignore[attr-defined]  # private, unstubbed
                    return pickle.loads(f.read())  # noqa: S301 - our own cache files
        except FileNotFoundError:
            pass
        except UNREADABLE:
            with contextlib.suppress(OSError):
                os.remove(fname)
        return default

    def _write_content(self, file: Any, timeout: Any, value: Any) -> None:
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        value = self.get(key, version=version)
        if value is None:
            return False
        self.set(key, value, timeout, version)
        return True
