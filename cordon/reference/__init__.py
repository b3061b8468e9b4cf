"""The reference operation generator (no Django): see `operation`."""

from .operation import (
    DEFAULT_RULES,
    DEFAULT_SEED,
    DEFAULT_START,
    ReferenceOperation,
    demand_person_times,
    generate,
    summary,
    to_scenario,
)

__all__ = [
    "DEFAULT_RULES",
    "DEFAULT_SEED",
    "DEFAULT_START",
    "ReferenceOperation",
    "demand_person_times",
    "generate",
    "summary",
    "to_scenario",
]
