"""TEMPORARY placeholder until the richtext branch lands."""


def normalise(text: str) -> str:
    return text.strip()
