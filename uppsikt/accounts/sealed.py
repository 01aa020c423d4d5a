"""Secrets kept encrypted in the database: authenticator secrets (``second_factor.py``).

Encrypted with Fernet (AES-128-CBC and HMAC-SHA256, from ``cryptography``) under a key
derived from ``SECRET_KEY``, so a copy of the database alone (a backup, a dump) does not
give away anyone's second factor. A value sealed under a key in ``SECRET_KEY_FALLBACKS``
still opens; a value whose key is gone does not (``Unreadable``): the person then signs in
with a recovery code and enrols again (docs/security.md).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

_PURPOSE = "uppsikt.accounts.sealed"


class Unreadable(Exception):
    """The value was sealed under a key this installation no longer has, or was altered."""


def _fernet(secret_key: str) -> Fernet:
    derived = salted_hmac(_PURPOSE, "fernet-key", secret=secret_key, algorithm="sha256")
    return Fernet(base64.urlsafe_b64encode(derived.digest()))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def seal(value: str) -> str:
    return _keys().encrypt(value.encode("utf-8")).decode("ascii")


def unseal(token: str) -> str:
    try:
        return _keys().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise Unreadable from error
