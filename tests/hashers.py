"""Argon2 at its lowest cost, for tests only: the suite creates many users, and production
cost (about 0.1 s a hash) would make it crawl. Still real Argon2id; the production settings
are checked in tests/test_login.py."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8
    parallelism = 1
