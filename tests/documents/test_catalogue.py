"""The documentation catalogue: the shipped file is valid, every text is in en/ru/kk, the loader
names file and line of each mistake, and the required_when conditions hold as the law says."""

import textwrap

import pytest
from django.utils import translation

from documents.catalogue.loader import CatalogueError, catalogue, load_catalogue
from risk.library.facts import FACTS

BASE = {name: False for name, fact in FACTS.items() if fact.kind == "bool"}
BASE.update(
    organization_role="owner",
    synthetic_media=[],
    interaction_channel="",
    decision_role="none",
    sector="banking",
    lifecycle_stage="in_operation",
    risk_level="minimal",
    autonomy_level="low",
)


def facts(**changes):
    return {**BASE, **changes}


def test_shipped_catalogue_is_valid_and_trilingual():
    shipped = catalogue()
    assert len(shipped.items) >= 15 and shipped.version
    for item in shipped.items.values():
        for texts in (item.title, item.description):
            assert set(texts) == {"en", "ru", "kk"} and all(texts.values()), item.key
        assert item.group in shipped.groups
        assert item.reference["level"] in ("P", "S", "seed", "U")


def test_labels_follow_the_language():
    item = catalogue().items["architecture"]
    with translation.override("ru"):
        assert item.label == "Описание архитектуры"
    with translation.override("kk"):
        assert item.label == "Архитектура сипаттамасы"


@pytest.mark.parametrize(
    ("key", "system_facts", "required"),
    [
        ("general-description", facts(), True),
        ("technical-passport", facts(risk_level="minimal"), False),
        ("technical-passport", facts(risk_level="medium"), True),
        ("architecture", facts(risk_level="medium"), False),
        ("architecture", facts(risk_level="high"), True),
        ("architecture", facts(risk_level="minimal", critical_ict_infrastructure=True), True),
        ("security-compliance-tests", facts(risk_level="high"), False),
        ("security-compliance-tests", facts(risk_level="high", critical_ict_infrastructure=True), True),
        ("security-compliance-tests", facts(risk_level="high", state_information_resource=True), True),
        ("security-compliance-tests", facts(risk_level="medium", critical_ict_infrastructure=True), False),
        ("audit-reports", facts(risk_level="high", critical_ict_infrastructure=True), True),
        ("risk-management-file", facts(risk_level=""), False),
        ("risk-management-file", facts(risk_level="medium"), True),
        ("synthetic-labelling-procedure", facts(), False),
        (
            "synthetic-labelling-procedure",
            facts(generates_synthetic_content=True, synthetic_media=["text"]),
            True,
        ),
        ("user-agreement", facts(interacts_with_natural_persons=True), True),
        ("user-agreement", facts(interacts_with_natural_persons=True, organization_role="user"), False),
        ("personal-data-consents", facts(processes_personal_data=True), True),
        ("automated-processing-notice", facts(decision_role="takes"), True),
        ("consumer-information", facts(consumer_facing=True), True),
        ("copyright-certificate", facts(risk_level="high"), False),
    ],
)
def test_required_when(key, system_facts, required):
    assert catalogue().items[key].required_for(system_facts) is required


def _load(tmp_path, text):
    path = tmp_path / "documentation.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_catalogue(path)


DESC = '    description: {en: "A", ru: "А", kk: "А"}\n'
VALID_HEAD = """\
version: "t"
groups:
  - key: system
    title: {en: "S", ru: "С", kk: "Ж"}
items:
"""


def test_loader_accepts_a_minimal_file(tmp_path):
    loaded = _load(
        tmp_path,
        VALID_HEAD
        + """\
  - key: a
    group: system
    title: {en: "A", ru: "А", kk: "А"}
    description: {en: "A", ru: "А", kk: "А"}
    required_when: {fact: risk_level, eq: high}
""",
    )
    assert list(loaded.items) == ["a"]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            '  - key: a\n    group: system\n    title: {en: "A", ru: "А"}\n'
            + DESC
            + "    required_when: true\n",
            "documentation.yaml:8: 'title' needs a text in kk",
        ),
        (
            '  - key: a\n    group: system\n    title: {en: "A", ru: "А", kk: "А"}\n'
            + DESC
            + "    required_when: {fact: risk_level, eq: extreme}\n",
            "documentation.yaml:10: item a: rule required_when.eq: value(s) ['extreme'] not allowed",
        ),
        (
            '  - key: a\n    group: system\n    title: {en: "A", ru: "А", kk: "А"}\n'
            + DESC
            + "    required_when: {fact: colour, eq: red}\n",
            "unknown fact 'colour'",
        ),
        (
            '  - key: a\n    group: nowhere\n    title: {en: "A", ru: "А", kk: "А"}\n'
            + DESC
            + "    required_when: true\n",
            "documentation.yaml:7: 'group' is 'nowhere'; expected one of system",
        ),
        (
            '  - key: a\n    group: system\n    title: {en: "A", ru: "А", kk: "А"}\n' + DESC,
            "item a: missing field 'required_when'",
        ),
        (
            '  - key: a\n    group: system\n    colour: red\n    title: {en: "A", ru: "А", kk: "А"}\n'
            '    description: {en: "A", ru: "А", kk: "А"}\n    required_when: true\n',
            "documentation.yaml:8: unknown field 'colour'",
        ),
    ],
)
def test_loader_names_file_and_line(tmp_path, item, message):
    with pytest.raises(CatalogueError) as error:
        _load(tmp_path, VALID_HEAD + item)
    assert any(message in problem for problem in error.value.problems), error.value.problems


def test_loader_reports_broken_yaml(tmp_path):
    with pytest.raises(CatalogueError, match=r"documentation.yaml:\d+: not valid YAML"):
        _load(tmp_path, "version: [unclosed\n")
