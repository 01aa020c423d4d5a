"""Indicator pages: definitions and comparisons, assessments, imports, target rules."""
