"""The thresholds of the norm judgement and the handover and stagnation rules, as data.

Analysis functions take a :class:`Settings`; nothing here reads files or the environment.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_SETTINGS", "Settings"]


@dataclass(frozen=True)
class Settings:
    """Thresholds of the norm judgement and the handover and stagnation rules.

    Attributes:
        evaluation_window_days: an agreement counts as current when evaluated or started within
            this many days before today (norm judgement, "24 months").
        warm_threshold: handover shares below this are a gap. Ketenkaart's own threshold, not
            a figure from the norms: norm 4.1 asks for a warm handover at every in-, door- and
            uitstroom, and the inspection of 2017 sets no percentage.
        severity_flag: a stagnation topic with a mean severity at or above this is flagged.
        school_wait_flag_days: a school placement waiting longer than this is flagged (norm 3.3,
            keurmerk: school within 5 working days).
        small_count: family counts below this are shown as "< 5" outside the own region.
    """

    evaluation_window_days: int = 730
    warm_threshold: float = 0.8
    severity_flag: float = 4.0
    school_wait_flag_days: float = 7.0
    small_count: int = 5


DEFAULT_SETTINGS = Settings()
