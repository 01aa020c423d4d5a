"""How the UI names a person: the full name where there is one, else the user name."""

from uppsikt.lib.typing import Account


def person_name(user: Account | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
