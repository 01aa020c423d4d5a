"""Uppsikt's settings, unchanged except for a URLconf that adds the minimal view."""

from uppsikt.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.ceiling.urls"
