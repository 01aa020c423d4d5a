"""Password hashing: Argon2id at OWASP's recommended minimum cost.

Django's own Argon2 hasher uses 100 MiB of memory and 8 lanes, which took about half a
second a verification on a 2-core server (1–2 s under load): every sign-in paid it, and so
did every failed guess the lockout counts. OWASP's Password Storage Cheat Sheet recommends
at least m=19 MiB, t=2, p=1 for Argon2id (or an equivalent trade of memory for passes,
such as m=46 MiB, t=1): that is what Uppsikt uses, about 50 ms a verification
(benchmarks/login.py, docs/performance.md).

A hash made with other parameters still verifies and is rehashed with these at the next
successful sign-in (Django's ``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher

# OWASP's minimum for Argon2id, as (memory in KiB, passes, lanes).
OWASP_MINIMUM = (19456, 2, 1)
# The alternatives OWASP lists as equally strong, (memory KiB, passes): less memory, more passes.
OWASP_EQUIVALENTS = ((47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5))


class UppsiktArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with m=19 MiB, t=2, p=1; the algorithm name stays ``argon2``."""

    memory_cost = 19456  # KiB
    time_cost = 2
    parallelism = 1


def meets_owasp_minimum(memory_kib: int, passes: int) -> bool:
    """Whether Argon2id at this memory and number of passes is at least one of OWASP's
    recommended configurations (each of which is for one lane)."""
    return any(memory_kib >= memory and passes >= minimum for memory, minimum in OWASP_EQUIVALENTS)
