"""A minimal Django view on Uppsikt's own stack: the ceiling for benchmarks/plan_page.py.

Lives only in the benchmark; the project has no such view. Kept in a subpackage so that
``make bench`` (which runs every ``benchmarks/*.py``) does not try to run these modules.
"""
