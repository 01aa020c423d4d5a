"""Password hashing: Argon2id at or above OWASP's minimum, and older hashes upgraded at the
next sign-in. The cost is checked by its parameters, not by timing (benchmarks/login.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password
from django.test import Client, override_settings
from django.utils.module_loading import import_string

from uppsikt.accounts.hashers import (
    OWASP_MINIMUM,
    UppsiktArgon2PasswordHasher,
    meets_owasp_minimum,
)

from .test_login import settings_with


def production_hashers(tmp_path) -> list[str]:
    return settings_with(tmp_path)["PASSWORD_HASHERS"]


def test_the_production_hasher_is_argon2id_at_or_above_owasps_minimum(tmp_path):
    hasher_class = import_string(production_hashers(tmp_path)[0])
    assert hasher_class is UppsiktArgon2PasswordHasher
    hasher = hasher_class()
    params = hasher.params()
    assert params.type.name == "ID"  # Argon2id, not Argon2i or Argon2d
    assert params.memory_cost >= OWASP_MINIMUM[0] and params.time_cost >= OWASP_MINIMUM[1]
    assert params.parallelism == OWASP_MINIMUM[2]
    assert meets_owasp_minimum(params.memory_cost, params.time_cost)
    assert params.salt_len >= 16 and params.hash_len >= 32


@pytest.mark.parametrize(
    ("memory", "passes", "meets"),
    [
        (19456, 2, True),
        (47104, 1, True),
        (12288, 3, True),
        (7168, 5, True),
        (65536, 3, True),
        (19455, 2, False),
        (19456, 1, False),
        (9216, 3, False),
        (8, 1, False),
    ],
)
def test_owasps_equivalent_configurations(memory, passes, meets):
    assert meets_owasp_minimum(memory, passes) is meets


@pytest.mark.django_db
def test_an_older_hash_is_upgraded_at_the_next_sign_in(tmp_path):
    with override_settings(PASSWORD_HASHERS=production_hashers(tmp_path)):
        user = get_user_model().objects.create_user("anna")
        # Django's own Argon2 parameters (100 MiB, 8 lanes), as hashes made before were.
        user.password = make_password("x-test-pass-1", hasher=Argon2PasswordHasher())
        user.save()
        before = identify_hasher(user.password)
        assert before.decode(user.password)["params"].memory_cost == 102400
        response = Client().post(
            "/konto/logga-in/", {"username": "anna", "password": "x-test-pass-1"}
        )
        assert response.status_code == 302
        user.refresh_from_db()
        params = UppsiktArgon2PasswordHasher().decode(user.password)["params"]
        assert (params.memory_cost, params.time_cost, params.parallelism) == OWASP_MINIMUM
        assert user.password.startswith("argon2$argon2id$")
