"""Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226): the algorithm only.

HMAC-SHA1, a 30-second time step and 6 digits: what every authenticator app expects from
an ``otpauth://totp/`` URI without further parameters. A code is accepted in its own step
and the one before or after (clocks drift, people type slowly); the caller stores the step
a code was used in and passes it back, so one code cannot be used twice.

>>> secret = new_secret()
>>> step = matching_step(secret, code_at(secret, step_of(time.time())))  # the current step
>>> matching_step(secret, code_at(secret, step), last_used_step=step) is None  # used: refused
True
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # steps accepted either side of the current one
SECRET_BYTES = 20  # 160 bits, the length RFC 4226 recommends for HMAC-SHA1


def new_secret() -> str:
    """A random secret in base32 without padding, as authenticator apps take it."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def step_of(moment: float) -> int:
    """The time step a Unix time falls in."""
    return int(moment // STEP_SECONDS)


def code_at(secret: str, step: int) -> str:
    """The code for one time step (HOTP with the step as counter, dynamic truncation)."""
    digest = hmac.new(_key(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def normalise_code(code: str) -> str:
    """What the person typed, without the spaces and hyphens some apps show."""
    return "".join(code.split()).replace("-", "")


def matching_step(
    secret: str, code: str, *, last_used_step: int | None = None, moment: float | None = None
) -> int | None:
    """The time step ``code`` belongs to within the window, or None.

    A step at or before ``last_used_step`` never matches: that code (or an older one) has
    been used already.
    """
    code = normalise_code(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_of(time.time() if moment is None else moment)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (typed in or as a QR code)."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to read and type."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
