"""Small things every resource module uses: choice, date and text types, and the documented
error answers."""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path
from pydantic import ConfigDict, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from .errors import Error, explain_pattern

# Request bodies: unknown fields are refused ("Okänt fält.") and values are taken as the JSON
# types the schema names, nothing converted: "5" is not 5 and 1 is not true.
INPUT = ConfigDict(extra="forbid", strict=True)


def choice(choices: type[TextChoices]) -> Any:
    """A ``Literal`` of the choices' stored values, written out in the schema where used.

    (An Enum would become a named schema component, and two ``Status`` enums of different
    apps would collide in the OpenAPI document.)
    """
    return Literal[tuple(choices.values)]


def answers(status: int, schema: Any, *errors: int) -> dict[int, Any]:
    """``{status: schema}`` plus the error statuses, all answering with ``Error``.

    Every call may answer 401 (a bad token), 422 (bad parameters) and 429 (too many
    requests); every write may also answer 400 (not JSON), 403, 404, 409 (refused by the
    data as it stands) and 413 (too large).
    """
    result: dict[int, Any] = {status: schema}
    for code in sorted({401, 422, 429, *errors}):
        result[code] = Error
    return result


READ = (404,)
WRITE = (400, 403, 404, 409, 413)


# Ids are positive and fit in JSON numbers exactly (2**53); anything else is refused (422)
# before it reaches the database, where it could not be stored anyway.
MAX_ID = 2**53
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="Id.")]


def PathId() -> Any:  # used like ninja's Path()
    return Path(..., ge=1, le=MAX_ID)


# -- dates ---------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> datetime.date:
    """Only the text form ``YYYY-MM-DD``: no numbers (read as seconds since 1970 by
    pydantic's default), no times, no week dates or other ISO 8601 variants."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value  # already a date (Python callers)
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date_format", "Expected a date as YYYY-MM-DD.")


IsoDate = Annotated[
    datetime.date,
    PlainValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "description": "ÅÅÅÅ-MM-DD."}),
]


# -- text -------------------------------------------------------------------------------------

# Whitespace as Python's str.split() and Django's forms see it, written out so that the
# pattern means the same in pydantic's engine, in Python's and in a client's (ECMA 262).
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# No NUL anywhere: Django's forms refuse it and PostgreSQL cannot store it.
NO_NUL = explain_pattern(r"^[^\x00]*$", _("Texten får inte innehålla tecknet NUL (\\u0000)."))
# Something besides whitespace: a required text, which the actions strip before checking.
SOME_TEXT = explain_pattern(
    rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$",
    _("Fältet måste fyllas i med text (utan tecknet NUL)."),
)
# At least three characters once runs of whitespace are one space (``" ".join(s.split())``):
# three non-space characters in a row, or two with whitespace between them.
THREE_CHARS = rf"^[^\x00]*([^\x00{_SPACE}]{{3}}|[^\x00{_SPACE}][{_SPACE}]+[^\x00{_SPACE}])[^\x00]*$"


# An organisation's official code (organisations.models.code_validator, in ASCII digits).
ORGANISATION_CODE = explain_pattern(r"^[0-9]{4}$", _("Koden ska bestå av fyra siffror."))


def OrganisationCode(default: Any = ..., **kwargs: Any) -> Any:
    return Field(default, min_length=4, max_length=4, pattern=ORGANISATION_CODE, **kwargs)


def Text(default: Any = "", *, max_length: int, required: bool = False, **kwargs: Any) -> Any:
    """A text field of a body or a query: no NUL, at most ``max_length`` characters and, if
    ``required``, not only whitespace."""
    pattern = SOME_TEXT if required else NO_NUL
    return Field(default, max_length=max_length, pattern=pattern, **kwargs)


# -- exact decimals ---------------------------------------------------------------------------


def decimal_value(*, whole: int, places: int, description: str = "") -> Any:
    """A decimal as text with a point (``"74.1"``, at most ``whole`` digits before it and
    ``places`` after), or a JSON number, which is rounded to ``places`` decimals: a binary
    float has no exact decimal value to keep."""
    pattern = rf"^-?[0-9]{{1,{whole}}}(\.[0-9]{{1,{places}}})?$"
    compiled = re.compile(pattern)
    quantum = Decimal(1).scaleb(-places)
    limit = Decimal(10) ** whole - quantum

    def validate(value: object) -> Decimal:
        if isinstance(value, Decimal):
            return value
        if isinstance(value, str) and compiled.fullmatch(value):
            return Decimal(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
            if number.is_finite() and abs(number) <= limit:
                return number.quantize(quantum, rounding=ROUND_HALF_UP)
        raise PydanticCustomError(
            "decimal_text", 'Expected a decimal as text, e.g. "74.1", or a number.'
        )

    schema = {
        "anyOf": [
            {"type": "string", "pattern": pattern},
            {"type": "number", "minimum": float(-limit), "maximum": float(limit)},
        ],
        "description": description,
    }
    return Annotated[Decimal, PlainValidator(validate), WithJsonSchema(schema)]
