"""Small things every resource module uses: choice types and the documented error answers."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db.models import TextChoices
from ninja import Field, Path

from .errors import Error


def choice(choices: type[TextChoices]) -> Any:
    """A ``Literal`` of the choices' stored values, written out in the schema where used.

    (An Enum would become a named schema component, and two ``Status`` enums of different
    apps would collide in the OpenAPI document.)
    """
    return Literal[tuple(choices.values)]


def answers(status: int, schema: Any, *errors: int) -> dict[int, Any]:
    """``{status: schema}`` plus the error statuses, all answering with ``Error``.

    Every call may answer 401 (a bad token) and 422 (bad parameters); every write may also
    answer 400 (not JSON) and 413 (too large).
    """
    result: dict[int, Any] = {status: schema}
    for code in sorted({401, 422, *errors}):
        result[code] = Error
    return result


READ = (404,)
WRITE = (400, 403, 404, 413)


# Ids are positive and fit in JSON numbers exactly (2**53); anything else is refused (422)
# before it reaches the database, where it could not be stored anyway.
MAX_ID = 2**53
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="Id.")]


def PathId() -> Any:  # used like ninja's Path()
    return Path(..., ge=1, le=MAX_ID)
