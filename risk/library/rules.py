"""The applicability rule language: small, declarative, no code in data.

A rule is one of:
- `true` / `false` — always / never;
- `{all: [rule, ...]}` — every sub-rule holds (an empty list holds);
- `{any: [rule, ...]}` — at least one sub-rule holds;
- `{not: rule}`;
- `{fact: NAME, OP: VALUE}` with OP one of `eq`, `ne` (bool and enum facts), `in` (enum facts, a
  list of values), `contains` (list facts, one value).

`validate(rule)` returns the problems as (path, message) pairs so the loader can point at a line;
`evaluate(rule, facts)` answers for a validated rule.
"""

from __future__ import annotations

from risk.library.facts import FACTS

COMBINATORS = ("all", "any", "not")
OPERATORS = {"bool": ("eq", "ne"), "enum": ("eq", "ne", "in"), "list": ("contains",)}


def validate(rule, path: tuple = ()) -> list[tuple[tuple, str]]:
    """Every problem with `rule`, as (path inside the rule, message); empty when it is valid."""
    if isinstance(rule, bool):
        return []
    if not isinstance(rule, dict):
        return [(path, "a rule is true, false or a mapping with all/any/not/fact")]
    keys = set(rule)
    combinators = keys & set(COMBINATORS)
    if combinators:
        if len(keys) != 1:
            return [
                (
                    path,
                    f"'{next(iter(combinators))}' must be the only key of its mapping, found {sorted(keys)}",
                )
            ]
        key = next(iter(combinators))
        value = rule[key]
        if key == "not":
            return validate(value, path + ("not",))
        if not isinstance(value, list):
            return [(path + (key,), f"'{key}' takes a list of rules")]
        problems = []
        for index, sub in enumerate(value):
            problems += validate(sub, path + (key, index))
        return problems
    if "fact" not in keys:
        return [(path, f"unknown rule keys {sorted(keys)}; use all, any, not or fact")]
    name = rule["fact"]
    if name not in FACTS:
        return [(path + ("fact",), f"unknown fact '{name}'; known facts: {', '.join(sorted(FACTS))}")]
    fact = FACTS[name]
    operators = keys - {"fact"}
    if len(operators) != 1:
        return [(path, f"a fact test takes exactly one operator of {', '.join(OPERATORS[fact.kind])}")]
    op = next(iter(operators))
    if op not in OPERATORS[fact.kind]:
        return [
            (
                path + (op,),
                f"operator '{op}' does not apply to {fact.kind} fact '{name}'; "
                f"use {', '.join(OPERATORS[fact.kind])}",
            )
        ]
    value = rule[op]
    where = path + (op,)
    if fact.kind == "bool":
        if not isinstance(value, bool):
            return [(where, f"fact '{name}' is true or false, got {value!r}")]
        return []
    candidates = value if op == "in" else [value]
    if op == "in" and (not isinstance(value, list) or not value):
        return [(where, "'in' takes a non-empty list of values")]
    bad = [v for v in candidates if v not in fact.values]
    if bad:
        allowed = ", ".join(repr(v) for v in fact.values)
        return [(where, f"value(s) {bad!r} not allowed for fact '{name}'; allowed: {allowed}")]
    return []


def evaluate(rule, facts: dict) -> bool:
    """Whether a (validated) rule holds for the facts."""
    if isinstance(rule, bool):
        return rule
    if "all" in rule:
        return all(evaluate(sub, facts) for sub in rule["all"])
    if "any" in rule:
        return any(evaluate(sub, facts) for sub in rule["any"])
    if "not" in rule:
        return not evaluate(rule["not"], facts)
    value = facts[rule["fact"]]
    if "eq" in rule:
        return value == rule["eq"]
    if "ne" in rule:
        return value != rule["ne"]
    if "in" in rule:
        return value in rule["in"]
    return rule["contains"] in value


def facts_used(rule) -> set[str]:
    """The fact names a rule reads (shown next to the rule so a reader sees what it depends on)."""
    if isinstance(rule, bool):
        return set()
    for key in ("all", "any"):
        if key in rule:
            return set().union(*(facts_used(sub) for sub in rule[key])) if rule[key] else set()
    if "not" in rule:
        return facts_used(rule["not"])
    return {rule["fact"]}


def binds_organization(binds: list[str], facts: dict) -> bool:
    """Whether a requirement binding `binds` binds this organization for this system.

    The organization's role for the system (owner, possessor, user) must be among `binds`; a
    requirement on sellers binds whoever offers the system to consumers (`consumer_facing`).
    """
    if facts["organization_role"] in binds:
        return True
    return "seller" in binds and bool(facts["consumer_facing"])


def applies(requirement, facts: dict) -> bool:
    """Whether a requirement (anything with `binds` and `rule`) applies to a system's facts."""
    return binds_organization(requirement.binds, facts) and evaluate(requirement.rule, facts)
