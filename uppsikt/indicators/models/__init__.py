"""Indicator definitions, their series of measurements, target rules and assessments.

``IndicatorDefinition`` says what is measured; ``IndicatorTarget`` ties a plan's indicator
sentence (``plans.Indicator``) to a definition and the rule that judges it; ``Measurement``
holds one value per organisation × period × kön, with every earlier value kept as a
``MeasurementRevision``; ``Assessment`` keeps a goal's automatic proposal and the human
decision side by side. By concept: ``definitions.py`` (what is measured, and derived
indicators), ``values.py`` (values, forecasts by hand, imports), ``assessments.py``.
"""

from .assessments import AggregationChoice, Assessment
from .definitions import (
    EXAMPLE_SOURCE,
    MANUAL_SOURCE,
    Aggregation,
    DerivedIndicator,
    DerivedInput,
    IndicatorDefinition,
    IndicatorTarget,
    Polarity,
    period_validator,
)
from .values import (
    CurrentMeasurements,
    Forecast,
    ImportBatch,
    ImportFingerprint,
    Measurement,
    MeasurementRevision,
    ValueChunk,
)

__all__ = [
    "EXAMPLE_SOURCE",
    "MANUAL_SOURCE",
    "Aggregation",
    "AggregationChoice",
    "Assessment",
    "CurrentMeasurements",
    "DerivedIndicator",
    "DerivedInput",
    "Forecast",
    "ImportBatch",
    "ImportFingerprint",
    "IndicatorDefinition",
    "IndicatorTarget",
    "Measurement",
    "MeasurementRevision",
    "Polarity",
    "ValueChunk",
    "period_validator",
]
