"""Each person's choice of reminders by e-mail (``tasks.actions.set_preference``).

A person reads and sets only their own: ``/reminder-preferences/me``, or their own id. Another
person's id is refused with 403 (``forbidden``), for administrators too, and nothing changes.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import AuthenticationError

from uppsikt.tasks.actions import mode_of, set_preference
from uppsikt.tasks.models import ReminderPreference

from .auth import allowed, writer
from .schemas import INPUT, WRITE, PathId, answers, choice

router = Router(tags=["Påminnelser"])
Mode = choice(ReminderPreference.Mode)


class PreferenceOut(Schema):
    user: int
    mode: Mode


class PreferenceIn(Schema):
    model_config = INPUT
    mode: Mode


def _own(user, user_id: int) -> None:
    if not user.is_authenticated:
        raise AuthenticationError()
    if user.pk != user_id:
        raise PermissionDenied(_("Du kan bara läsa och ändra dina egna påminnelser."))


def _may_set(user, user_id: int, **_ids) -> None:
    _own(user, user_id)


def _answer(user) -> dict:
    return {"user": user.pk, "mode": mode_of(user)}


@router.get(
    "/me",
    response=answers(200, PreferenceOut),
    summary="Mina påminnelser",
    description="Hur nyckelns ägare får påminnelser om sina uppgifter: immediate (direkt), "
    "daily (en sammanställning per dag) eller off (inga).",
)
def reminder_preference_me(request):
    return _answer(writer(request))


@router.get(
    "/{user_id}",
    response=answers(200, PreferenceOut, 403),
    summary="En persons påminnelser",
    description="Bara ens egna; en annan persons id ger 403.",
)
def reminder_preference(request, user_id: int = PathId()):
    user = writer(request)
    _own(user, user_id)
    return _answer(user)


@router.put(
    "/{user_id}",
    auth=allowed(_may_set),
    response=answers(200, PreferenceOut, *WRITE),
    summary="Ändra sina påminnelser",
    description="Bara ens egna; en annan persons id ger 403 och ingenting ändras.",
)
def set_reminder_preference(request, payload: PreferenceIn, user_id: int = PathId()):
    user = writer(request)
    _own(user, user_id)
    set_preference(user, payload.mode, actor=user)
    return _answer(user)
