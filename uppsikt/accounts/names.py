"""How the UI names a person: the full name where there is one, else the user name."""


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
