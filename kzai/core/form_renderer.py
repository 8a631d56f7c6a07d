"""The form renderer: Django's widget templates, with the most used ones written out in Python.

Every list page renders its filter bar: 12–30 selects, inputs and labels, each a small template
(a select includes one template per option, and each option one more for its attributes). On the
register that was ~20 ms of a ~60 ms page (CPU, 10,000 systems). The templates below are the
plain ones of Django's form library, so they are written out here as functions that produce the
very same text: the same escaping (`render_value_in_context`), the same `stringformat:'s'`, the
same whitespace (an included option keeps its file's final newline; the renderer strips the
result). Anything else — another template, a template an installed app overrides, an option
template of a custom widget, a missing key — is rendered by the templates as before.
`tests/core/test_form_renderer.py` compares both ways on every filter form of the portal.
"""

from __future__ import annotations

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, mark_safe

# Where Django's own form templates live: only those are replaced, never an app's override.
_DJANGO_FORM_TEMPLATES = Path(django.forms.__file__).parent / "templates"

_INPUT = "django/forms/widgets/input.html"
_OPTION = "django/forms/widgets/select_option.html"
_SELECT = "django/forms/widgets/select.html"
_LABEL = "django/forms/label.html"
_ERRORS = "django/forms/errors/list/default.html"
# Widget templates that are nothing but `{% include "django/forms/widgets/input.html" %}`.
_INPUT_ALIASES = tuple(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search")
)

# A template context only for its settings (autoescape on, time zone and localization as configured),
# as `{{ … }}` in the form renderer's templates sees them.
_CONTEXT = Context(autoescape=True)


class _Fallback(Exception):
    """The data is not what the Python version expects: the template renders it instead."""


def _out(value) -> str:
    """`{{ value }}`."""
    return render_value_in_context(value, _CONTEXT)


def _out_s(value) -> str:
    """`{{ value|stringformat:'s' }}` (the filter keeps a safe value safe)."""
    text = str(value) if isinstance(value, tuple) else "%s" % value  # noqa: UP031 - the filter's own
    return _out(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs) -> str:
    """`django/forms/widgets/attrs.html` and `django/forms/attrs.html`."""
    if not attrs:
        return ""
    if not isinstance(attrs, dict):
        raise _Fallback
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_out(name)}" if value is True else f' {_out(name)}="{_out_s(value)}"')
    return "".join(parts)


def _input(context) -> str:
    widget = context["widget"]
    value = widget["value"]
    value = f' value="{_out_s(value)}"' if value != None else ""  # noqa: E711 - the template's own test
    attrs = _attrs(widget["attrs"])
    return f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"{value}{attrs}>'


def _option(option) -> str:
    if option["template_name"] != _OPTION:
        raise _Fallback
    # The included file ends with a newline, which stays in the select's text.
    attrs = _attrs(option["attrs"])
    return f'<option value="{_out_s(option["value"])}"{attrs}>{_out(option["label"])}</option>\n'


def _select(context) -> str:
    widget = context["widget"]
    parts = [f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _group_index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts).strip()


def _label(context) -> str:
    if not context["use_tag"]:
        return _out(context["label"]).strip()
    tag = _out(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_out(context['label'])}</{tag}>"


def _no_errors(context) -> str:
    # A field's errors are printed on every field of a form; only an empty list is written out here.
    if context["errors"]:
        raise _Fallback
    return ""


_PYTHON = {
    _SELECT: _select,
    _LABEL: _label,
    _INPUT: _input,
    **dict.fromkeys(_INPUT_ALIASES, _input),
    _ERRORS: _no_errors,
}


class FormRenderer(DjangoTemplates):
    """Django's template renderer, with selects, inputs and labels rendered in Python (same text)."""

    def __init__(self):
        super().__init__()
        self._python = None

    def _python_templates(self) -> dict:
        # Only templates that resolve to Django's own files (and an option template that does too).
        if self._python is None:
            own = {name: fn for name, fn in _PYTHON.items() if self._is_djangos(name)}
            if not self._is_djangos(_OPTION) or not self._is_djangos("django/forms/widgets/attrs.html"):
                own.pop(_SELECT, None)
            if not self._is_djangos("django/forms/attrs.html"):
                own.pop(_LABEL, None)
            if not self._is_djangos("django/forms/errors/list/ul.html"):
                own.pop(_ERRORS, None)
            if _INPUT not in own or not self._is_djangos("django/forms/widgets/attrs.html"):
                own = {name: fn for name, fn in own.items() if fn is not _input}
            self._python = own
        return self._python

    def _is_djangos(self, template_name: str) -> bool:
        origin = Path(self.get_template(template_name).origin.name)
        return origin.is_relative_to(_DJANGO_FORM_TEMPLATES)

    def render(self, template_name, context, request=None):
        python = self._python_templates().get(template_name)
        if python is not None:
            try:
                return python(context)
            except (_Fallback, KeyError, TypeError):
                pass
        return super().render(template_name, context, request)
