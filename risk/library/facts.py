"""The facts a requirement's applicability rule may test, with their types and allowed values.

Facts come from the register (`registry.models.systems.CLASSIFICATION_FACTS`) and from the
classification state the risk app writes on the system (risk level, autonomy, prohibited).
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.choices import (
    AutonomyLevel,
    DecisionRole,
    InteractionChannel,
    LifecycleStage,
    OrganizationRole,
    RiskLevel,
    Sector,
    SyntheticMedium,
)


@dataclass(frozen=True)
class Fact:
    """A fact's type: `bool`, `enum` (one value of `values`) or `list` (a subset of `values`)."""

    kind: str
    values: tuple[str, ...] = ()


def _enum(choices, *, blank=False) -> Fact:
    values = tuple(v for v in choices.values if v != "")
    return Fact("enum", values + (("",) if blank else ()))


FACTS: dict[str, Fact] = {
    "organization_role": _enum(OrganizationRole),
    "generates_synthetic_content": Fact("bool"),
    "synthetic_media": Fact("list", tuple(SyntheticMedium.values)),
    "interacts_with_natural_persons": Fact("bool"),
    "interaction_channel": _enum(InteractionChannel, blank=True),
    "decision_role": _enum(DecisionRole),
    "processes_personal_data": Fact("bool"),
    "processes_biometric_data": Fact("bool"),
    "recognises_emotions": Fact("bool"),
    "profiles_people": Fact("bool"),
    "consumer_facing": Fact("bool"),
    "critical_ict_infrastructure": Fact("bool"),
    "state_information_resource": Fact("bool"),
    "sector": _enum(Sector),
    "data_leaves_kazakhstan": Fact("bool"),
    "uses_foreign_platform": Fact("bool"),
    "lifecycle_stage": _enum(LifecycleStage),
    # Written by the risk app: "" until the first approved classification.
    "risk_level": _enum(RiskLevel, blank=True),
    "autonomy_level": _enum(AutonomyLevel, blank=True),
    "is_prohibited": Fact("bool"),
}


def system_facts(system) -> dict:
    """The facts of one AI system, keyed by fact name (plain values, ready for `rules.evaluate`)."""
    facts = {name: getattr(system, name) for name in FACTS}
    facts["synthetic_media"] = list(facts["synthetic_media"] or [])
    facts["interaction_channel"] = facts["interaction_channel"] or ""
    facts["risk_level"] = facts["risk_level"] or ""
    facts["autonomy_level"] = facts["autonomy_level"] or ""
    return facts
