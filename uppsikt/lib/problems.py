"""One problem found in input: where it is, why (in Swedish), and a machine-readable code.

Every validator (data files, budget and internal-control imports) collects these so that a
single run names every problem at once; the web shows ``where`` and ``message``, the API
also ``code`` and ``line``. An action's refusal (a ``ValidationError`` by field) keeps a code
per message the same way (``coded``, ``refusal``).
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Problem:
    where: str  # a path in a data file ("plans[0].goals[2]"), "rad 7, kolumn C", a row's label
    message: str
    code: str = "invalid"
    line: int | None = None  # the line of the input the problem belongs to, when there is one

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def coded(message: str, code: str) -> ValidationError:
    """One message of an action's refusal with its machine-readable code, for a dict of
    refusals by field: ``ValidationError({"text": [coded(_("…"), "duplicate_text")]})``.
    The web shows the message; the REST API reports the code beside the field."""
    return ValidationError(message, code=code)


def refusal(field: str, message: str, code: str) -> ValidationError:
    """An action's refusal of one field: ``ValidationError({field: [message]})`` whose
    message keeps ``code`` (``coded``)."""
    return ValidationError({field: [coded(message, code)]})


def show_refusal(form: forms.Form, error: ValidationError) -> None:
    """An action's refusal on ``form``: by field where the form has it, else for the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.error_dict.items():
        messages = [message for each in errors for message in each.messages]
        form.add_error(field if field in form.fields else None, messages)
