"""Forms of the labelling pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.public.labels.services import MAX_LABEL_BYTES


class LabelVerifyForm(forms.Form):
    """What anyone pastes to check a label: its JSON or `AI-Label` header value, optionally with
    the SHA-256 of the content it came with."""

    label = forms.CharField(
        label=_("Label"),
        max_length=MAX_LABEL_BYTES * 2,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_("The label's JSON, or the value of the AI-Label header."),
    )
    content_sha256 = forms.RegexField(
        label=_("SHA-256 of the content (optional)"),
        regex=r"^\s*[0-9a-fA-F]{64}\s*$",
        required=False,
        error_messages={"invalid": _("Give 64 hexadecimal digits.")},
    )
