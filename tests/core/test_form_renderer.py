"""The form renderer writes selects, inputs, labels and empty error lists in Python: the text must be
exactly what Django's templates give, for every filter form of the portal and for awkward values."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from kzai.core.filtersets import TenantFilterSet
from kzai.core.form_renderer import FormRenderer
from registry.choices import Sector
from tests.factories import AISystemFactory, PartyFactory

FILTERSET_MODULES = [
    "registry.filtersets",
    "risk.filtersets",
    "risk.risk_management.filtersets",
    "kzai.activity.filtersets",
    "kzai.deadlines.filtersets",
    "documents.filtersets",
]


def _filtersets():
    for name in FILTERSET_MODULES:
        importlib.import_module(name)
    found, todo = [], [TenantFilterSet]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls is not TenantFilterSet and cls._meta.model is not None:
            found.append(cls)
    return found


def _both_ways(form) -> tuple[list[str], list[str]]:
    """Every field's widget, label and errors, rendered by the templates and by FormRenderer."""
    results = []
    for renderer in (DjangoTemplates(), FormRenderer()):
        form.renderer = renderer
        results.append(
            [
                part
                for field in form
                for part in (str(field), field.label_tag(), str(field.errors), field.legend_tag())
            ]
        )
    return results[0], results[1]


def test_the_portal_uses_it():
    assert settings.FORM_RENDERER == "kzai.core.form_renderer.FormRenderer"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_every_filter_form_reads_the_same_as_with_the_templates(language, org, officer):
    system = AISystemFactory(organization=org, name='Scoring <"A&B">')
    party = PartyFactory(organization=org, name="Vendor & <Co>")
    request = RequestFactory().get("/")
    request.membership, request.user = officer, officer.user
    # Empty, and with values chosen (selected options, typed text, a chosen object).
    data = {
        "sector": Sector.values[0],
        "search": '<b>"x"</b>',
        "system": str(system.pk),
        "party": str(party.pk),
    }
    filtersets = _filtersets()
    assert len(filtersets) >= 8
    with translation.override(language):
        for filterset_class in filtersets:
            for query in ({}, data):
                form = filterset_class(
                    query, queryset=filterset_class._meta.model.objects.none(), request=request
                ).form
                form.is_valid()
                templates, python = _both_ways(form)
                assert python == templates, filterset_class.__name__


class Awkward(forms.Form):
    choice = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("a&b", 'A <"quoted">'),
            (gettext_lazy("Group"), [(1, "one"), (2, mark_safe("<i>two</i>"))]),
        ]
    )
    many = forms.MultipleChoiceField(choices=[(1, 1), (2, 2.5), ("x", gettext_lazy("Yes"))])
    yes_no = forms.NullBooleanField()
    text = forms.CharField(
        widget=forms.TextInput(attrs={"placeholder": '"quoted" & <tag>', "autofocus": True, "hidden": False})
    )
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.DecimalField()
    hidden = forms.CharField(widget=forms.HiddenInput)
    flag = forms.BooleanField(label=mark_safe("Flag <b>bold</b>"))
    area = forms.CharField(widget=forms.Textarea, label="Question?")


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {
            "choice": "a&b",
            "many": ["1", "x"],
            "yes_no": "true",
            "text": "<script>",
            "date": "2026-01-31",
            "number": "1.5",
        },
        {
            "choice": "nope",
            "many": ["9"],
            "text": "",
            "number": "x",
            "hidden": '"h"',
            "flag": "on",
            "area": "a\nb",
        },
    ],
)
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_awkward_values_read_the_same(data, auto_id):
    initial = {
        "date": datetime.date(2026, 3, 1),
        "number": Decimal("12.50"),
        "text": mark_safe("<b>safe</b>"),
    }
    form = Awkward(data, initial=initial, auto_id=auto_id, label_suffix=":")
    if data is not None:
        form.is_valid()  # errors on some fields: the error lists render too
    templates, python = _both_ways(form)
    assert python == templates
    form.renderer = DjangoTemplates()
    expected = form.as_div()
    form.renderer = FormRenderer()
    assert form.as_div() == expected


def test_selects_inputs_and_labels_do_not_go_through_the_template_engine(monkeypatch):
    form = Awkward(initial={"choice": "a&b"})
    form.renderer = FormRenderer()
    form.renderer._python_templates()  # which templates are Django's own is read once, up front

    def refuse(*args, **kwargs):
        raise AssertionError("rendered by a template")

    monkeypatch.setattr(DjangoTemplates, "render", refuse)
    for name in ("choice", "many", "yes_no", "text", "date", "number", "hidden"):
        assert str(form[name]).startswith(("<select", "<input"))
        assert form[name].label_tag().startswith("<label")
        assert str(form[name].errors) == ""


def test_a_custom_option_template_is_left_to_the_templates():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    class WithFancy(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A")], widget=Fancy)

    form = WithFancy()
    templates, python = _both_ways(form)
    assert python == templates and "<label><input" in python[0]
