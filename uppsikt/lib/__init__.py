"""Helpers that no domain owns: Swedish numbers, charts, workbooks, text diffs, progress.

The lowest layer: modules here import Django and third-party libraries, never another
``uppsikt`` app.
"""
