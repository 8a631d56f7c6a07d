"""Applicability rules, property-based: over random system facts, every obligation applies exactly
when its rule says — checked against an independent reading of the catalogue written in Python
here, and against the derived obligations in the database."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from risk.library import rules
from risk.library.facts import FACTS
from risk.library.loader import load_library_file, shipped_library_files


class Req:
    def __init__(self, data):
        self.code, self.binds, self.rule = data["code"], data["binds"], data["rule"]


REQUIREMENTS = [Req(r) for r in load_library_file(shipped_library_files()[-1]).requirements]
OWNERS = {"owner", "possessor"}


def oracle(code: str, f: dict) -> bool:
    return oracle_table(f)[code]


def oracle_table(f: dict) -> dict[str, bool]:
    """The catalogue (shared/domain/kz-ai-law.md) read independently of the YAML rules."""
    role = f["organization_role"]
    owner_like = role in OWNERS
    personal = f["processes_personal_data"]
    high_state = f["risk_level"] == "high" and (
        f["critical_ict_infrastructure"] or f["state_information_resource"]
    )
    people = f["interacts_with_natural_persons"] or f["consumer_facing"]
    table = {
        "KZ-AI-RISK-01": owner_like,
        "KZ-AI-PROH-00": owner_like,
        "KZ-AI-PROH-08": owner_like and f["is_prohibited"],
        "KZ-AI-OWN-01": owner_like,
        "KZ-AI-RM-01": owner_like,
        "KZ-AI-RM-02": owner_like,
        "KZ-AI-RM-03": owner_like,
        "KZ-AI-RM-04": owner_like,
        "KZ-AI-OWN-02": owner_like,
        "KZ-AI-OWN-03": owner_like,
        "KZ-AI-OWN-04": owner_like,
        "KZ-AI-OWN-05": owner_like and people,
        "KZ-AI-OWN-06": True,  # owner, possessor and user alike
        "KZ-AI-USER-01": role == "user",
        # Disclosure and marking attach to offering AI output to people, whatever the role (Art. 21,
        # Art. 7(2)): a user running a chatbot or a generator owes them as an owner does.
        "KZ-AI-TR-01": people or f["generates_synthetic_content"],
        "KZ-AI-TR-02": f["generates_synthetic_content"],
        "KZ-AI-TR-03": owner_like,
        "KZ-AI-TR-04": (personal and f["decision_role"] in ("prepares", "takes"))
        or f["interaction_channel"] in ("chatbot", "voice_assistant", "assistant")
        or (f["generates_synthetic_content"] and f["interacts_with_natural_persons"]),
        # The users' rights of Art. 16, as duties of whoever runs the system for them.
        "KZ-AI-USER-02": owner_like and (f["decision_role"] in ("prepares", "takes") or f["profiles_people"]),
        "KZ-AI-USER-03": owner_like and (f["decision_role"] in ("prepares", "takes") or f["profiles_people"]),
        "KZ-AI-USER-04": f["interacts_with_natural_persons"] or f["decision_role"] == "takes",
        "KZ-AI-HR-02": owner_like and f["risk_level"] == "high",
        "KZ-AI-HR-03": owner_like and f["risk_level"] == "high",
        "KZ-AI-IP-01": owner_like or f["generates_synthetic_content"],
        "KZ-AI-LIAB-01": True,  # every party, by its role at each life-cycle stage
        "KZ-AI-PDL-01": personal and f["decision_role"] == "takes",
        "KZ-AI-EMO-01": f["recognises_emotions"],
        "KZ-AI-HR-01": owner_like and high_state,
        "KZ-AI-HR-04": owner_like and high_state,
        "KZ-AI-HR-05": owner_like and f["risk_level"] == "high",
        "KZ-AI-DATA-01": personal,
        "KZ-AI-DATA-02": owner_like and personal,
        "KZ-AI-DATA-03": personal and (f["data_leaves_kazakhstan"] or f["uses_foreign_platform"]),
        "KZ-AI-DL-01": role == "owner",
        "KZ-AI-CONS-01": f["consumer_facing"],  # binds the seller: whoever offers it to consumers
        "KZ-AI-DISC-01": f["profiles_people"]
        or f["decision_role"] in ("prepares", "takes")
        or f["processes_biometric_data"],
    }
    return table


FACT_STRATEGIES = {
    "organization_role": st.sampled_from(OrganizationRole.values),
    "generates_synthetic_content": st.booleans(),
    "synthetic_media": st.lists(st.sampled_from(SyntheticMedium.values), unique=True),
    "interacts_with_natural_persons": st.booleans(),
    "interaction_channel": st.sampled_from(InteractionChannel.values),
    "decision_role": st.sampled_from(DecisionRole.values),
    "processes_personal_data": st.booleans(),
    "processes_biometric_data": st.booleans(),
    "recognises_emotions": st.booleans(),
    "profiles_people": st.booleans(),
    "consumer_facing": st.booleans(),
    "critical_ict_infrastructure": st.booleans(),
    "state_information_resource": st.booleans(),
    "sector": st.sampled_from(Sector.values),
    "data_leaves_kazakhstan": st.booleans(),
    "uses_foreign_platform": st.booleans(),
    "lifecycle_stage": st.sampled_from(LifecycleStage.values),
    "risk_level": st.sampled_from(["", *RiskLevel.values]),
    "autonomy_level": st.sampled_from(["", *AutonomyLevel.values]),
    "is_prohibited": st.booleans(),
}
facts_strategy = st.fixed_dictionaries(FACT_STRATEGIES)


def test_the_oracle_covers_every_requirement_and_the_strategy_every_fact():
    sample = {
        name: (False if fact.kind == "bool" else [] if fact.kind == "list" else "")
        for name, fact in FACTS.items()
    }
    assert set(oracle_table(sample)) == {r.code for r in REQUIREMENTS}
    assert set(FACT_STRATEGIES) == set(FACTS)


@settings(max_examples=400, deadline=None)
@given(facts=facts_strategy)
def test_every_requirement_applies_exactly_as_the_catalogue_says(facts):
    for requirement in REQUIREMENTS:
        assert rules.applies(requirement, facts) == oracle(requirement.code, facts), requirement.code


@settings(max_examples=200, deadline=None)
@given(facts=facts_strategy)
def test_applies_is_binding_and_rule(facts):
    for requirement in REQUIREMENTS:
        expected = rules.binds_organization(requirement.binds, facts) and rules.evaluate(
            requirement.rule, facts
        )
        assert rules.applies(requirement, facts) == expected


# -- the rule language itself --------------------------------------------------------------------------
@st.composite
def rule_strategy(draw, depth=0):
    if depth > 2 or draw(st.booleans()):
        name = draw(st.sampled_from(sorted(FACTS)))
        fact = FACTS[name]
        if fact.kind == "bool":
            return {"fact": name, draw(st.sampled_from(["eq", "ne"])): draw(st.booleans())}
        if fact.kind == "list":
            return {"fact": name, "contains": draw(st.sampled_from(fact.values))}
        op = draw(st.sampled_from(["eq", "ne", "in"]))
        if op == "in":
            return {"fact": name, "in": draw(st.lists(st.sampled_from(fact.values), min_size=1, unique=True))}
        return {"fact": name, op: draw(st.sampled_from(fact.values))}
    kind = draw(st.sampled_from(["all", "any", "not"]))
    if kind == "not":
        return {"not": draw(rule_strategy(depth=depth + 1))}
    return {kind: draw(st.lists(rule_strategy(depth=depth + 1), max_size=3))}


def reference(rule, facts):
    """A second, deliberately naive interpreter to check `rules.evaluate` against."""
    if rule is True or rule is False:
        return rule
    (key,) = [k for k in rule if k != "fact"] if "fact" in rule else list(rule)
    if key == "all":
        result = True
        for sub in rule["all"]:
            result = result and reference(sub, facts)
        return result
    if key == "any":
        result = False
        for sub in rule["any"]:
            result = result or reference(sub, facts)
        return result
    if key == "not":
        return not reference(rule["not"], facts)
    value = facts[rule["fact"]]
    return {
        "eq": lambda: value == rule["eq"],
        "ne": lambda: value != rule["ne"],
        "in": lambda: value in rule["in"],
        "contains": lambda: rule["contains"] in value,
    }[key]()


@settings(max_examples=300, deadline=None)
@given(rule=rule_strategy(), facts=facts_strategy)
def test_generated_rules_validate_and_evaluate_like_the_reference(rule, facts):
    assert rules.validate(rule) == []
    assert rules.evaluate(rule, facts) == reference(rule, facts)
    assert rules.facts_used(rule) <= set(FACTS)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"fact": "risk_level", "eq": "extreme"}, "not allowed"),
        ({"fact": "risk_level", "in": []}, "non-empty list"),
        ({"fact": "is_prohibited", "eq": "yes"}, "true or false"),
        ({"fact": "synthetic_media", "in": ["text"]}, "does not apply to list fact"),
        ({"all": {"fact": "is_prohibited", "eq": True}}, "takes a list"),
        ({"all": [], "any": []}, "only key"),
        ({"fact": "sector"}, "exactly one operator"),
        ({"when": "always"}, "unknown rule keys"),
        ("risk_level == 'high'", "a rule is true, false or a mapping"),
        (1, "a rule is true, false or a mapping"),
    ],
)
def test_invalid_rules_are_explained(rule, message):
    found = rules.validate(rule)
    assert found and message in found[0][1]


# -- the same property through the database: derived obligations follow the facts --------------------
db_facts = st.fixed_dictionaries(
    {
        "organization_role": st.sampled_from(OrganizationRole.values),
        "processes_personal_data": st.booleans(),
        "decision_role": st.sampled_from(DecisionRole.values),
        "consumer_facing": st.booleans(),
        "interacts_with_natural_persons": st.booleans(),
        "recognises_emotions": st.booleans(),
        "critical_ict_infrastructure": st.booleans(),
        "risk_level": st.sampled_from(["", *RiskLevel.values]),
        "is_prohibited": st.booleans(),
    }
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=db_facts)
def test_derived_obligations_follow_the_rules(org, changes):
    from risk.library.facts import system_facts
    from risk.services.obligations import obligations_sync
    from tests.factories import AISystemFactory

    system = AISystemFactory(organization=org)
    obligations_sync(system=system)
    for name, value in changes.items():
        setattr(system, name, value)
    system.save()
    obligations_sync(system=system)
    facts = system_facts(system)
    in_force = set(system.obligations.filter(in_force=True).values_list("code", flat=True))
    assert in_force == {r.code for r in REQUIREMENTS if oracle(r.code, facts)}
    # What stopped applying is still on record.
    assert set(system.obligations.values_list("code", flat=True)) >= in_force
