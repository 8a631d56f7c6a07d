"""Pages of the risk register: the organisation-wide list and export, heat maps, the per-system
register, risks, measures and the catalogue picker. Thin: forms collect, services write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from kzai.activity.selectors import activity_for_object, activity_with_labels
from kzai.core import spreadsheets
from kzai.core.filters import id_param
from kzai.core.roles import Action
from kzai.core.views import ServiceDeleteView, ServiceFormView, TenantMixin, apply_validation_error
from registry.models import AISystem
from risk.models import Measure, Risk
from risk.risk_management import selectors, services
from risk.risk_management.catalogue.loader import catalogue
from risk.risk_management.choices import Likelihood, RiskCategory, Severity, band_for, band_label
from risk.risk_management.filtersets import MeasureFilterSet, RiskFilterSet
from risk.risk_management.forms import CatalogueForm, MeasureForm, RiskForm
from risk.views.tabs import ObjectRiskTabMixin, RiskTabMixin

PAGE_SIZE = 50


def _cleaned(form, names):
    """The form's values for the service fields it has (the catalogue key is never typed)."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class SystemMixin(RiskTabMixin):
    """Pages under one AI system's Risk tab, "Risk register" section (URL kwarg `system_pk`)."""

    system_url_kwarg = "system_pk"
    risk_section = "register"


def _back_to(view):
    """(system, URL) of the register a create form was opened from (`?system=`), else the risk list."""
    system_id = id_param(view.request.GET.get("system"))
    system = AISystem.objects.restrict(view.membership).filter(pk=system_id).first() if system_id else None
    if system is None:
        return (None, reverse("risk:register_risk_list"))
    return (system, reverse("risk:register_system", args=[system.pk]))


class RiskListView(TenantMixin, TemplateView):
    """Every risk of the organization, filterable and sortable, with CSV/XLSX export."""

    template_name = "risk_management/register_risk_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = RiskFilterSet(
            self.request.GET, queryset=selectors.risk_list(self.membership), request=self.request
        )
        context["filter"] = filterset
        context["page_obj"] = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context


# Lazy: a module-level gettext would fix the header in the language of the request that imported it.
EXPORT_COLUMNS = (
    ("system", gettext_lazy("AI system")),
    ("title", gettext_lazy("Risk")),
    ("category", gettext_lazy("Category")),
    ("origin", gettext_lazy("Arises in")),
    ("likelihood", gettext_lazy("Likelihood")),
    ("severity", gettext_lazy("Severity")),
    ("inherent_score", gettext_lazy("Inherent score")),
    ("inherent_band", gettext_lazy("Inherent band")),
    ("residual_score", gettext_lazy("Residual score")),
    ("residual_band", gettext_lazy("Residual band")),
    ("owner", gettext_lazy("Owner")),
    ("status", gettext_lazy("Status")),
)


def _export_rows(risks):
    """The risks' rows, read as tuples of the exported columns only: choices and bands are worded
    from maps made once per export in the reader's language (`get_FOO_display` per row translated
    every label of the field each time: 20,000 risks took 3.4 s of CPU)."""
    words = {
        name: {key: str(label) for key, label in Risk._meta.get_field(name).flatchoices}
        for name in ("category", "origin", "status")
    }
    categories, origins, statuses = words["category"], words["origin"], words["status"]
    bands: dict[int | None, str] = {}

    def band(score):
        if score not in bands:
            bands[score] = str(band_label(band_for(score)))
        return bands[score]

    columns = ("system__code", "system__name", "title", "category", "origin", "likelihood", "severity")
    columns += ("inherent_score", "residual_score", "owner__user__email", "status")
    for (
        code,
        name,
        title,
        category,
        origin,
        likelihood,
        severity,
        inherent,
        residual,
        owner,
        status,
    ) in risks.values_list(*columns).iterator(chunk_size=1000):
        yield [
            f"{code} {name}",
            title,
            categories.get(category, category),
            origins.get(origin, origin),
            likelihood,
            severity,
            inherent,
            band(inherent),
            residual or "",
            band(residual),
            owner or "",
            statuses.get(status, status),
        ]


class RiskExportView(TenantMixin, View):
    """The filtered risk list as CSV (`?format=csv`, default) or XLSX (`?format=xlsx`)."""

    def get(self, request):
        risks = RiskFilterSet(request.GET, queryset=selectors.risk_list(self.membership), request=request).qs
        header = [str(label) for _name, label in EXPORT_COLUMNS]

        def rows():
            yield header
            yield from _export_rows(risks)

        return spreadsheets.export_response(
            request.GET.get("format", "csv"),
            filename="risk-register",
            sheets=[spreadsheets.Sheet(_("Risks"), rows())],
        )


class HeatMapView(TenantMixin, TemplateView):
    """The organisation's heat map: inherent and residual, counts per likelihood × severity cell."""

    template_name = "risk_management/register_heatmap.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The same filters as the risk list (system, category, status…), so a heat map of one
        # business line or one category is a click away.
        filterset = RiskFilterSet(
            self.request.GET, queryset=Risk.objects.restrict(self.membership), request=self.request
        )
        context["filter"] = filterset
        context["heat_map"] = selectors.heat_map(filterset.qs.order_by(), link_params=self.request.GET)
        return context


class SystemRegisterView(SystemMixin, TemplateView):
    """One system's risk register: heat map, risks and measures (reviews have their own section)."""

    template_name = "risk_management/register_system.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        system = self.system
        risks = selectors.risk_list(self.membership).filter(system=system).order_by("-inherent_score", "id")
        context.update(
            risks=risks,
            measures=selectors.measure_list(self.membership).filter(system=system).order_by("due_on", "id"),
            heat_map=selectors.heat_map(risks.order_by(), link_params={"system": str(system.pk)}),
            editable=self.membership.allows(Action.CHANGE) and not system.is_archived,
        )
        return context


class SystemReviewsView(RiskTabMixin, TemplateView):
    """One system's annual reviews: the schedule (next due date, interval, reviewer) and every review."""

    template_name = "risk_management/review_system.html"
    risk_section = "reviews"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        system = self.system
        context.update(
            schedule=selectors.schedule_list(self.membership).filter(system=system).first(),
            reviews=selectors.review_list(self.membership).filter(system=system)[:50],
        )
        return context


class RiskDetailView(ObjectRiskTabMixin, TemplateView):
    template_name = "risk_management/register_risk_detail.html"
    model = Risk
    risk_section = "register"

    def get_tab_object(self):
        if not hasattr(self, "_risk"):
            self._risk = get_object_or_404(selectors.risk_list(self.membership), pk=self.kwargs["pk"])
        return self._risk

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        risk = self.get_tab_object()
        context.update(
            risk=risk,
            measures=risk.measures.select_related("owner__user"),
            records=activity_with_labels(
                activity_for_object(risk, membership=self.membership)[:50], membership=self.membership
            ),
            can_change=self.membership.allows(Action.CHANGE),
            can_delete=self.membership.allows(Action.DELETE),
        )
        return context


class RiskCreateView(ServiceFormView):
    template_name = "risk_management/register_form.html"
    form_class = RiskForm
    required_action = Action.ADD
    title = gettext_lazy("New risk")
    success_message = gettext_lazy("The risk is added to the register.")

    def get_initial(self):
        return {"system": id_param(self.request.GET.get("system"))}

    def perform_save(self, form):
        return services.risk_create(
            system=form.cleaned_data["system"], **_cleaned(form, services.RISK_FIELDS)
        )

    def get_success_url(self):
        return reverse("risk:register_risk_detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(back=_back_to(self), **kwargs)


class RiskUpdateView(ServiceFormView):
    template_name = "risk_management/register_form.html"
    form_class = RiskForm
    model = Risk
    required_action = Action.CHANGE
    title = gettext_lazy("Change risk")
    success_message = gettext_lazy("Changes saved.")

    def perform_save(self, form):
        return services.risk_update(risk=self.get_object(), **_cleaned(form, services.RISK_FIELDS))

    def get_success_url(self):
        return reverse("risk:register_risk_detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        risk = self.get_object()
        back = (risk.system, reverse("risk:register_risk_detail", args=[risk.pk]))
        return super().get_context_data(back=back, **kwargs)


class RiskDeleteView(ServiceDeleteView):
    model = Risk
    success_message = gettext_lazy("The risk was deleted.")

    def perform_delete(self, obj):
        services.risk_delete(risk=obj)

    def get_success_url(self, obj):
        return reverse("risk:register_system", args=[obj.system_id])


class MeasureListView(TenantMixin, TemplateView):
    template_name = "risk_management/register_measure_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = MeasureFilterSet(
            self.request.GET, queryset=selectors.measure_list(self.membership), request=self.request
        )
        context["filter"] = filterset
        context["page_obj"] = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context


class MeasureCreateView(ServiceFormView):
    template_name = "risk_management/register_form.html"
    form_class = MeasureForm
    required_action = Action.ADD
    title = gettext_lazy("New measure")
    success_message = gettext_lazy("The measure is added.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        system_id = id_param(self.request.GET.get("system"))
        system = (
            AISystem.objects.restrict(self.membership).filter(pk=system_id).first() if system_id else None
        )
        kwargs.update(system=system, initial={"system": system})
        return kwargs

    def perform_save(self, form):
        return services.measure_create(
            system=form.cleaned_data["system"],
            risks=form.cleaned_data["risks"],
            **_cleaned(form, services.MEASURE_FIELDS),
        )

    def get_success_url(self):
        return reverse("risk:register_system", args=[self.object.system_id])

    def get_context_data(self, **kwargs):
        return super().get_context_data(back=_back_to(self), **kwargs)


class MeasureUpdateView(ServiceFormView):
    template_name = "risk_management/register_form.html"
    form_class = MeasureForm
    model = Measure
    required_action = Action.CHANGE
    title = gettext_lazy("Change measure")
    success_message = gettext_lazy("Changes saved.")

    def perform_save(self, form):
        return services.measure_update(
            measure=self.get_object(),
            risks=form.cleaned_data["risks"],
            **_cleaned(form, services.MEASURE_FIELDS),
        )

    def get_success_url(self):
        return reverse("risk:register_system", args=[self.object.system_id])

    def get_context_data(self, **kwargs):
        system = self.get_object().system
        back = (system, reverse("risk:register_system", args=[system.pk]) + "#measures")
        return super().get_context_data(back=back, **kwargs)


class MeasureDeleteView(ServiceDeleteView):
    model = Measure
    success_message = gettext_lazy("The measure was deleted.")

    def perform_delete(self, obj):
        services.measure_delete(measure=obj)

    def get_success_url(self, obj):
        return reverse("risk:register_system", args=[obj.system_id])


class CatalogueView(SystemMixin, FormView):
    """Pick common AI risks (with their suggested measures) from the catalogue instead of typing."""

    template_name = "risk_management/register_catalogue.html"
    form_class = CatalogueForm
    required_action = Action.ADD

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["membership"] = self.membership
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        system = self.system
        present = set(
            Risk.objects.restrict(self.membership)
            .filter(system=system)
            .values_list("catalogue_key", flat=True)
        )
        entries = catalogue()
        context.update(
            catalogue=entries,
            entries=[
                {
                    "entry": e,
                    "title": e.text("title"),
                    "description": e.text("description"),
                    "category": dict(RiskCategory.choices).get(e.category, e.category),
                    "likelihood": Likelihood(e.likelihood).label,
                    "severity": Severity(e.severity).label,
                    "present": key in present,
                    "measures": [entries.measures[m].text("title") for m in e.measures],
                }
                for key, e in entries.risks.items()
            ],
        )
        return context

    def form_valid(self, form):
        try:
            created = services.register_add_from_catalogue(
                system=self.get_system(),
                risk_keys=form.cleaned_data["risk_keys"],
                owner=form.cleaned_data["owner"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(count)d risks added from the catalogue.") % {"count": len(created)}
        )
        return HttpResponseRedirect(reverse("risk:register_system", args=[self.get_system().pk]))
