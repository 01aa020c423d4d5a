"""The second factor for local accounts: an authenticator app (TOTP) and recovery codes.

Who must have one is a setting (``UPPSIKT_TOTP_REQUIRED_FOR``): ``admin`` (the default:
superusers, staff and anyone holding the administrator role on some unit), ``all`` or
``none``; anyone else may enrol. Logins through the organisation's OpenID Connect provider
are exempt: the provider decides about its own second factor (``signin.py``).

Enrolling makes an authenticator with a new secret, shown once as text and as an
``otpauth://`` URI; it counts once the person has typed a first code, and then ten recovery
codes are made, each usable once, stored hashed and shown once. Every enrolment, removal,
reset, regeneration and use of a recovery code is written to the audit trail.

>>> authenticator = start_enrolment(anna)
>>> codes = confirm_enrolment(anna, "123456")  # None when the code is wrong
>>> verify(anna, "654321")                     # "totp", "recovery" or None
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from uppsikt.audit.trail import record
from uppsikt.lib.typing import Account, Actor

from . import totp
from .models import Authenticator, RecoveryCode, Role
from .sealed import Unreadable, seal, unseal

REQUIRED_FOR_CHOICES = ("admin", "all", "none")
ISSUER = "Uppsikt"
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: a code is read off paper and typed in.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10  # 31**10, about 49 bits, in two groups of five


def is_administrator(user: Account) -> bool:
    """Superusers, staff and anyone holding the administrator role anywhere."""
    return bool(
        user.is_superuser
        or user.is_staff
        or user.role_assignments.filter(role=Role.ADMINISTRATOR).exists()
    )


def is_required(user: Account) -> bool:
    """Whether ``user`` must have a second factor to sign in with a password."""
    policy = getattr(settings, "TOTP_REQUIRED_FOR", "admin")
    if policy == "all":
        return True
    if policy == "admin":
        return is_administrator(user)
    return False


def authenticator_of(user: Account) -> Authenticator | None:
    """The user's confirmed authenticator, if enrolled."""
    return Authenticator.objects.filter(user=user, confirmed_at__isnull=False).first()


def is_enrolled(user: Account) -> bool:
    return Authenticator.objects.filter(user=user, confirmed_at__isnull=False).exists()


# -- enrolling ---------------------------------------------------------------------------------


def start_enrolment(user: Account) -> Authenticator:
    """The unconfirmed authenticator to enrol (a new secret the first time)."""
    authenticator, _created = Authenticator.objects.get_or_create(
        user=user, defaults={"sealed_secret": seal(totp.new_secret())}
    )
    if authenticator.confirmed_at is not None:
        raise ValueError("already enrolled")
    return authenticator


def pending_secret(authenticator: Authenticator) -> str:
    """The secret of an authenticator still being enrolled; never of a confirmed one."""
    if authenticator.confirmed_at is not None:
        raise ValueError("the secret is shown only while enrolling")
    return unseal(authenticator.sealed_secret)


def provisioning_uri(user: Account, secret: str) -> str:
    return totp.provisioning_uri(secret, user.get_username(), ISSUER)


@transaction.atomic
def confirm_enrolment(user: Account, code: str) -> list[str] | None:
    """Confirm the pending enrolment with a first code: the new recovery codes, or None."""
    authenticator = (
        Authenticator.objects.select_for_update()
        .filter(user=user, confirmed_at__isnull=True)
        .first()
    )
    secret = _secret(authenticator) if authenticator is not None else None
    step = totp.matching_step(secret, code) if secret is not None else None
    if authenticator is None or step is None:
        return None
    authenticator.confirmed_at = timezone.now()
    authenticator.last_used_step = step
    authenticator.save(update_fields=["confirmed_at", "last_used_step"])
    codes = _new_recovery_codes(user)
    record(actor=user, action="account.totp_enable", obj=user, after=_summary(user))
    return codes


def enrol_with_secret(user: Account, secret: str, *, actor: Actor) -> bool:
    """Enrol ``user`` with a given secret, confirmed (the demo's known secret). True if
    anything changed: enrolling again with the same secret does nothing."""
    current = authenticator_of(user)
    if current is not None and _secret(current) == secret:
        return False
    with transaction.atomic():
        Authenticator.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        Authenticator.objects.create(
            user=user, sealed_secret=seal(secret), confirmed_at=timezone.now()
        )
        record(actor=actor, action="account.totp_enable", obj=user, after=_summary(user))
    return True


# -- signing in --------------------------------------------------------------------------------


def verify(user: Account, code: str) -> str | None:
    """Check a code from the app or a recovery code: "totp", "recovery", or None."""
    typed = totp.normalise_code(code)
    if len(typed) == totp.DIGITS and typed.isdigit():
        return "totp" if _use_totp_code(user, typed) else None
    return "recovery" if use_recovery_code(user, typed) else None


def _use_totp_code(user: Account, code: str) -> bool:
    authenticator = authenticator_of(user)
    if authenticator is None:
        return False
    secret = _secret(authenticator)
    if secret is None:
        return False
    step = totp.matching_step(secret, code, last_used_step=authenticator.last_used_step)
    if step is None:
        return False
    # Only one request can move the step on: a code raced in twice is accepted once.
    newer = Q(last_used_step__isnull=True) | Q(last_used_step__lt=step)
    return bool(
        Authenticator.objects.filter(newer, pk=authenticator.pk).update(last_used_step=step)
    )


def _secret(authenticator: Authenticator) -> str | None:
    try:
        return unseal(authenticator.sealed_secret)
    except Unreadable:  # sealed under a key no longer configured: recovery codes still work
        return None


def current_code(user: Account) -> str | None:
    """The code the user's app shows now (the demo's ``totp_code`` command)."""
    authenticator = authenticator_of(user)
    secret = _secret(authenticator) if authenticator is not None else None
    if secret is None:
        return None
    return totp.code_at(secret, totp.step_of(timezone.now().timestamp()))


# -- recovery codes ----------------------------------------------------------------------------


def _normalise_recovery(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _new_recovery_codes(user: Account) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _number in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=make_password(_normalise_recovery(code)))
        for code in codes
    )
    return codes


def use_recovery_code(user: Account, code: str) -> bool:
    """Use up one of the user's recovery codes (audited); False if none matches."""
    typed = _normalise_recovery(code)
    if len(typed) != _RECOVERY_LENGTH or not is_enrolled(user):
        return False
    for candidate in RecoveryCode.objects.filter(user=user, used_at__isnull=True):
        if check_password(typed, candidate.code_hash):
            with transaction.atomic():
                used = RecoveryCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(
                    used_at=timezone.now()
                )
                if not used:  # used by a request that came first
                    return False
                record(
                    actor=user, action="account.recovery_code_use", obj=user, after=_summary(user)
                )
            return True
    return False


def recovery_codes_left(user: Account) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def regenerate_recovery_codes(user: Account, *, actor: Actor) -> list[str]:
    """New recovery codes for an enrolled user; every earlier code stops working."""
    if not is_enrolled(user):
        raise ValueError("not enrolled")
    codes = _new_recovery_codes(user)
    record(actor=actor, action="account.recovery_codes_regenerate", obj=user, after=_summary(user))
    return codes


# -- removing ----------------------------------------------------------------------------------


@transaction.atomic
def remove(user: Account, *, actor: Actor, reset: bool = False) -> bool:
    """Remove the user's authenticator and recovery codes: by the user (who confirmed with
    password and code) or, ``reset``, by an operator for a person who lost both. True if
    there was anything to remove."""
    enrolled = is_enrolled(user)
    Authenticator.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    before = {"tvåstegsverifiering": True}
    if enrolled and reset:
        record(actor=actor, action="account.totp_reset", obj=user, before=before)
    elif enrolled:
        record(actor=actor, action="account.totp_disable", obj=user, before=before)
    return enrolled


def _summary(user: Account) -> dict[str, object]:
    return {"tvåstegsverifiering": True, "reservkoder kvar": recovery_codes_left(user)}
