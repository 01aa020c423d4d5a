"""Calling the REST API from tests: a token for a user of the two-region world, and the
Django test client speaking JSON with it."""

import json

from uppsikt.api.tokens import create_token

API = "/api/v1"


def key_for(world, name: str) -> str:
    user = world.user(name)
    return create_token(user, actor=user, name="test")[1]


class Caller:
    """The Django test client speaking JSON with an optional token."""

    def __init__(self, client, key: str | None = None):
        self.client, self.key = client, key

    def _headers(self, extra=None):
        return ({"Authorization": f"Bearer {self.key}"} if self.key else {}) | (extra or {})

    def get(self, path, **params):
        return self.client.get(API + path, params, headers=self._headers())

    def send(self, method, path, body=None, *, raw=None, headers=None):
        data = raw if raw is not None else json.dumps(body)
        return getattr(self.client, method)(
            API + path, data=data, content_type="application/json", headers=self._headers(headers)
        )
