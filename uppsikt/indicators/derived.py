"""Derived indicators: values computed from other indicators' values (``DerivedIndicator``).

The rules live here as plain functions: checking a formula (no reference to itself, directly
or through another derived indicator; every input exists; the right number of inputs for its
kind), describing it in plain Swedish, computing values exactly with ``Decimal``, and
recomputing every derived indicator whose inputs changed, in dependency order, after an
import or an entry by hand has committed (``recompute_after``).
"""
