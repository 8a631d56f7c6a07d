"""Pages of labelling: the officer's label generator, signing keys and consumer notice, and the
public schema and verification of labels (no sign-in)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import ListView, TemplateView

from kzai.core.roles import Action
from kzai.core.views import TenantMixin
from registry.public.labels import marks, selectors, services
from registry.public.labels.forms import LabelVerifyForm
from registry.public.labels.notice import consumer_notice
from registry.public.models import PUBLIC_LANGUAGES
from registry.public.throttle import over_budget
from registry.views.base import SystemTabMixin

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def _language(value: str) -> str:
    if value not in PUBLIC_LANGUAGES:
        raise Http404
    return value


# -- the officer's pages -----------------------------------------------------------------------------
class SystemLabelsView(SystemTabMixin, TemplateView):
    """The label generator of one system: the visible warning (HTML snippet, SVG badge) in kk, ru
    and en, the machine-readable mark (schema, IPTC source type, HTTP headers), how the backend
    gets signed labels, and how many it got (the evidence of marking, TR-02)."""

    template_name = "public/labels/system_labels.html"
    active_tab = "public"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        system = self.system
        context["warnings"] = [
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "texts": marks.warning_texts(system, code),
                "snippet": marks.warning_snippet(system, code),
            }
            for code in PUBLIC_LANGUAGES
        ]
        default = marks.default_source_type(system)
        context["source_types"] = [
            {
                "value": t.value,
                "label": t.label,
                "uri": marks.iptc_uri(t.value),
                "default": t.value == default,
            }
            for t in marks.DigitalSourceType
        ]
        context["headers"] = marks.header_values(source_type=default)
        context["header_signed"] = marks.HEADER_SIGNED_LABEL
        context["schema_url"] = marks.schema_url()
        context["verify_url"] = marks.verify_url()
        context["issuance"] = selectors.issuance_summary(self.membership, system)
        context["active_key"] = (
            selectors.signing_key_list(self.membership).filter(retired_at__isnull=True).first()
        )
        context["sign_example"] = json.dumps(
            {
                "content_sha256": "<sha256 hex>",
                "media_type": f"{(system.synthetic_media or ['image'])[0]}/…",
                "digital_source_type": default,
                "generated_at": "2026-01-01T10:00:00+05:00",
            },
            indent=2,
            ensure_ascii=False,
        )
        return context


class SystemLabelBadgeView(SystemTabMixin, View):
    """The badge as an SVG file in one language (to download, or to place next to results)."""

    def get(self, request, pk, language):
        svg = marks.badge_svg(self.system, _language(language))
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        if request.GET.get("download"):
            response["Content-Disposition"] = (
                f'attachment; filename="ai-label-{self.system.pk}-{language}.svg"'
            )
        return response


class LabelKeyListView(TenantMixin, ListView):
    """The organization's signing keys (public halves only); an administrator rotates them."""

    template_name = "public/labels/key_list.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.signing_key_list(self.membership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_rotate"] = self.membership.allows(Action.MANAGE_MEMBERS)
        return context


class LabelKeyRotateView(TenantMixin, View):
    """POST: retire the active key and make a new one (administrators only)."""

    def get_required_action(self):
        # Only POST rotates; any other method is answered 405 like on every POST-only page.
        return Action.MANAGE_MEMBERS if self.request.method == "POST" else Action.VIEW

    def post(self, request):
        key = services.signing_key_rotate(organization=self.organization, membership=self.membership)
        messages.success(
            request,
            _("A new signing key %(key)s is active; the old one still verifies.") % {"key": key.key_id},
        )
        return redirect("registry:label_keys")


class SystemConsumerNoticeView(SystemTabMixin, TemplateView):
    """The consumer information notice of one system (CONS-01), in the chosen language, to review,
    print or download for packaging, labels or accompanying documents."""

    template_name = "public/labels/system_notice.html"
    active_tab = "public"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = self.request.GET.get("language", "")
        language = language if language in PUBLIC_LANGUAGES else "kk"
        context["language"] = language
        context["notice_languages"] = [(code, LANGUAGE_NAMES[code]) for code in PUBLIC_LANGUAGES]
        context["notice"] = consumer_notice(self.system, language, site_url=settings.SITE_URL)
        return context


class SystemConsumerNoticeDocumentView(SystemTabMixin, View):
    """The notice as a stand-alone HTML document: printable here, or downloaded (`?download=1`)
    with its style inside so it opens anywhere."""

    def get(self, request, pk, language):
        notice = consumer_notice(self.system, _language(language), site_url=settings.SITE_URL)
        download = bool(request.GET.get("download"))
        css = ""
        if download:
            with open(finders.find("css/notice.css"), encoding="utf-8") as handle:
                css = handle.read()
        html = render_to_string(
            "public/labels/notice_document.html",
            {"notice": notice, "inline_css": css, "download": download},
            request=request,
        )
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        if download:
            response["Content-Disposition"] = (
                f'attachment; filename="consumer-notice-{self.system.pk}-{language}.html"'
            )
        return response


# -- the public side ---------------------------------------------------------------------------------
@require_GET
def label_schema(request, version: int):
    """The published JSON schema of a signed label (stable, versioned address)."""
    if version != marks.SCHEMA_VERSION:
        raise Http404
    response = JsonResponse(marks.label_schema(), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Type"] = "application/schema+json"
    response["Cache-Control"] = "public, max-age=86400"
    response["Access-Control-Allow-Origin"] = "*"  # validators fetch schemas from anywhere
    return response


@method_decorator(never_cache, name="dispatch")
class LabelVerifyView(View):
    """The public form: paste a label, see whether it is genuine and who issued it when."""

    template_name = "public/labels/verify.html"

    def get(self, request):
        return TemplateResponse(request, self.template_name, {"form": LabelVerifyForm()})

    def post(self, request):
        if over_budget(
            request,
            scope="label-verify",
            limit=services.VERIFICATIONS_PER_ADDRESS,
            window_seconds=services.VERIFY_WINDOW_SECONDS,
        ):
            context = {"form": LabelVerifyForm(request.POST), "rate_limited": True}
            return TemplateResponse(request, self.template_name, context, status=429)
        form = LabelVerifyForm(request.POST)
        result = None
        if form.is_valid():
            try:
                label = services.label_parse(form.cleaned_data["label"])
            except ValidationError as error:
                form.add_error("label", error.message_dict["label"])
            else:
                result = services.label_verify(
                    label, content_sha256=form.cleaned_data["content_sha256"].strip()
                )
        status = 200 if form.is_valid() else 400
        return TemplateResponse(request, self.template_name, {"form": form, "result": result}, status=status)
