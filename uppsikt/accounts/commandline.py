"""Who acts when a management command changes something.

Commands act as a named user (``--user``, ``--anvandare``) with that user's permissions;
without one they act as the command line itself: an unsaved superuser named
``kommandorad``, so the audit trail says where the change came from and no account is
created. Whoever runs a command already has the database in hand, so the command line
holds every permission.

>>> command_actor("planerare")      # the user, or CommandError naming the missing name
>>> command_actor(None).username    # the command line
'kommandorad'
"""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

COMMAND_LINE = "kommandorad"


def command_line_user():
    """The command line as an actor (unsaved, every permission)."""
    return get_user_model()(username=COMMAND_LINE, is_superuser=True, is_active=True)


def command_actor(username: str | None = None):
    """The user called ``username``; the command line when no name is given."""
    if not username:
        return command_line_user()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("Det finns ingen användare som heter %(name)s.") % {"name": username})
    return user
