"""Who acts when a management command changes something.

Commands act as a named user (``--user``, ``--anvandare``) with that user's permissions;
without one they act as the command line itself: a saved system account named
``kommandorad``, made on first use, so the audit trail and every "changed by" field point
at a real user. Whoever runs a command already has the database in hand, so the command
line holds every permission; the account itself holds none and cannot sign in (it is
inactive, has no usable password and is neither staff nor superuser). The permissions go
with the object ``command_line_user()`` returns, never with the row: the same account
read from the database is an ordinary inactive user (``is_command_line`` tells them apart).

>>> command_actor("planerare")      # the user, or CommandError naming the missing name
>>> command_actor(None).username    # the command line
'kommandorad'
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from uppsikt.lib.typing import Actor

COMMAND_LINE = "kommandorad"
# Set on the object command_line_user() returns, never saved: what makes it the command line.
_MARK = "_uppsikt_command_line"


def command_line_user() -> Actor:
    """The command line as an actor: its system account, holding every permission."""
    user, _created = get_user_model().objects.get_or_create(
        username=COMMAND_LINE,
        defaults={"is_active": False, "password": make_password(None)},
    )
    if user.is_active or user.is_staff or user.is_superuser or user.has_usable_password():
        raise CommandError(
            _(
                "Kontot %(name)s är kommandoradens systemkonto och får inte kunna logga in: "
                "gör det inaktivt, utan lösenord och utan administratörsrätt."
            )
            % {"name": COMMAND_LINE}
        )
    setattr(user, _MARK, True)
    return user


def is_command_line(user: object) -> bool:
    """Whether ``user`` is the command line acting (from ``command_line_user()``)."""
    return getattr(user, _MARK, False) is True


def or_command_line(actor: Actor | None) -> Actor:
    """``actor``, or the command line where no actor is given (loaders, imports, the demo)."""
    return actor if actor is not None else command_line_user()


def command_actor(username: str | None = None) -> Actor:
    """The user called ``username``; the command line when no name is given."""
    if not username:
        return command_line_user()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("Det finns ingen användare som heter %(name)s.") % {"name": username})
    return user
