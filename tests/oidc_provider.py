"""A small OpenID Connect provider running in the test process (token, userinfo, JWKS)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings
from django.urls import reverse


class Provider:
    """An OpenID Connect provider's token, userinfo and JWKS endpoints, signing with RS256."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.claims: dict = {}
        self.nonce = ""
        self.token_claims: dict = {}  # put into (or, as None, left out of) the ID token
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.startswith("/jwks"):
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                    self._json({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
                else:
                    self._json(provider.claims)

            def do_POST(self):
                length = int(self.headers["Content-Length"])
                form = parse_qs(self.rfile.read(length).decode())
                assert form["client_id"] == ["uppsikt"] and form["code"] == ["kod-123"]
                now = int(time.time())
                claims = {
                    "iss": provider.url,
                    "aud": provider.audience,
                    "sub": provider.claims["sub"],
                    "nonce": provider.nonce,
                    "iat": now,
                    "exp": now + 300,
                    **provider.token_claims,
                }
                id_token = jwt.encode(
                    {key: value for key, value in claims.items() if value is not None},
                    provider.key,
                    algorithm="RS256",
                    headers={"kid": "k1"},
                )
                self._json({"id_token": id_token, "access_token": "at", "token_type": "Bearer"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.audience = "uppsikt"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def settings(self):
        return override_settings(
            OIDC_ENABLED=True,
            OIDC_PROVIDER_NAME="Regionens inloggning",
            OIDC_RP_CLIENT_ID="uppsikt",
            OIDC_RP_CLIENT_SECRET="hemligt",
            OIDC_OP_AUTHORIZATION_ENDPOINT=f"{self.url}/authorize",
            OIDC_OP_TOKEN_ENDPOINT=f"{self.url}/token",
            OIDC_OP_USER_ENDPOINT=f"{self.url}/userinfo",
            OIDC_OP_JWKS_ENDPOINT=f"{self.url}/jwks",
            AUTHENTICATION_BACKENDS=[
                "uppsikt.accounts.lockout.LockoutModelBackend",
                "uppsikt.accounts.oidc.UppsiktOIDCBackend",
            ],
        )

    def log_in(self, client, claims: dict):
        """The browser's round trip: to the provider and back with a code."""
        self.claims = claims
        start = client.get(reverse("accounts:oidc_login"))
        assert start.status_code == 302
        location = urlsplit(start["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == f"{self.url}/authorize"
        query = parse_qs(location.query)
        self.nonce = query["nonce"][0]
        return client.get(
            reverse("accounts:oidc_callback"), {"code": "kod-123", "state": query["state"][0]}
        )

    def close(self):
        self.server.shutdown()
        self.server.server_close()
