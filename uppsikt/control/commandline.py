"""Who acts when a management command changes internal control.

Commands act as a named user (``--user``) with that user's permissions; without one they act
as the command line itself: an unsaved superuser named ``kommandorad``, so the audit trail
says where the change came from and no account is created. Whoever runs a command already
has the database in hand, so the command line holds every permission.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

COMMAND_LINE = "kommandorad"


def command_actor(username: str | None = None):
    User = get_user_model()
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"Ingen användare med användarnamnet {username}.") from exc
    return User(username=COMMAND_LINE, is_superuser=True, is_active=True)
