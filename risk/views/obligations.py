"""Obligation pages: the organization's list, one obligation (detail, edit, evidence), the matrix
with its CSV/XLSX export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from kzai.activity.selectors import activity_for_object, activity_with_labels
from kzai.core import spreadsheets
from kzai.core.roles import Action
from kzai.core.templatetags.kzai import NOT_FILTERS
from kzai.core.views import ServiceFormMixin, TenantMixin, apply_validation_error
from registry.models import AISystem
from risk import library_cache, selectors
from risk.choices import ObligationStatus
from risk.computed_evidence import computed_evidence_for
from risk.filtersets import MatrixFilterSet, ObligationFilterSet
from risk.fines.selectors import organization_exposure, systems_exposure
from risk.forms import EvidenceForm, ObligationForm
from risk.models import Obligation
from risk.services.obligations import obligation_evidence_add, obligation_update
from risk.views.tabs import ObjectRiskTabMixin


class ObligationListView(TenantMixin, TemplateView):
    """Every obligation of the organization's systems, filterable and sortable."""

    template_name = "risk/obligation_list.html"
    model = Obligation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = ObligationFilterSet(
            self.request.GET, queryset=selectors.obligations_for(self.membership), request=self.request
        )
        # The requirements and library versions come from the process's copy of the library, not
        # joined (with their texts in three languages) to every row.
        queryset = filterset.qs.select_related(None).select_related("system", "responsible__user")
        if not self.request.GET.get("ordering"):
            # The order of an index (obligation_page_order): no sort of every obligation.
            queryset = queryset.order_by("-urgent", "due_on", "system_id", "code")
        paginator = Paginator(queryset, 50)
        query = self.request.GET
        if not any(v for key, values in query.lists() if key not in NOT_FILTERS for v in values):
            # Every obligation of the organization: its count is cached with the score.
            paginator.count = selectors.obligation_list_count(self.membership, queryset)
        page = paginator.get_page(self.request.GET.get("page"))
        page.object_list = library_cache.attach_library(list(page.object_list))
        context.update(
            filter=filterset,
            page_obj=page,
            score=selectors.organization_score(self.membership),
            today=timezone.localdate(),
        )
        return context


class ObligationMixin(ObjectRiskTabMixin):
    model = Obligation
    risk_section = "classification"

    def get_tab_object(self):
        return self.get_obligation()

    def get_obligation(self):
        if not hasattr(self, "_obligation"):
            self._obligation = get_object_or_404(
                selectors.obligations_for(self.membership), pk=self.kwargs["pk"]
            )
        return self._obligation


class ObligationDetailView(ObligationMixin, TemplateView):
    template_name = "risk/obligation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obligation = get_object_or_404(
            selectors.obligations_for(self.membership).prefetch_related("evidence__added_by__user"),
            pk=self.kwargs["pk"],
        )
        context.update(
            obligation=obligation,
            evidence_form=EvidenceForm(),
            can_change=self.membership.allows(Action.CHANGE) and obligation.in_force,
            computed_evidence=computed_evidence_for(self.membership, obligation),
            activity=activity_with_labels(
                activity_for_object(obligation, membership=self.membership)[:20], membership=self.membership
            ),
        )
        return context


class ObligationUpdateView(ObligationMixin, ServiceFormMixin, FormView):
    template_name = "risk/obligation_form.html"
    form_class = ObligationForm
    required_action = Action.CHANGE

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organization"] = self.organization
        return kwargs

    def get_initial(self):
        o = self.get_obligation()
        return {
            "status": o.status,
            "not_applicable_reason": o.not_applicable_reason,
            "responsible": o.responsible,
            "due_on": o.due_on,
            "notes": o.notes,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["obligation"] = self.get_obligation()
        return context

    def perform_save(self, form):
        data = form.cleaned_data
        return obligation_update(
            obligation=self.get_obligation(),
            membership=self.membership,
            status=data["status"],
            responsible=data["responsible"],
            due_on=data["due_on"],
            notes=data["notes"],
            not_applicable_reason=data["not_applicable_reason"],
        )

    def get_success_url(self):
        return reverse("risk:obligation_detail", args=[self.object.pk])

    @property
    def success_message(self):
        return _("Obligation updated.")


class EvidenceAddView(ObligationMixin, TemplateView):
    """POST: link evidence to an obligation (the form lives on the obligation page)."""

    template_name = "risk/obligation_detail.html"
    required_action = Action.CHANGE
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        obligation = self.get_obligation()
        form = EvidenceForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    obligation_evidence_add(
                        obligation=obligation, membership=self.membership, **form.cleaned_data
                    )
                messages.success(request, _("Evidence linked."))
                return redirect("risk:obligation_detail", pk=obligation.pk)
            except ValidationError as error:
                apply_validation_error(form, error)
        context = self.get_context_data(
            obligation=obligation,
            evidence_form=form,
            can_change=obligation.in_force,
            activity=[],
        )
        return self.render_to_response(context, status=400)


class MatrixView(TenantMixin, TemplateView):
    """The organization-wide matrix: systems (rows) × obligations (columns), filterable, exportable."""

    template_name = "risk/obligation_matrix.html"
    model = Obligation

    def _codes(self) -> list[str]:
        return [c for c in self.request.GET.get("code", "").replace(",", " ").split() if c]

    def grid(self):
        filterset = MatrixFilterSet(
            self.request.GET, queryset=selectors.systems_for(self.membership), request=self.request
        )
        systems = filterset.qs.order_by("name", "id")
        page = Paginator(systems, 50).get_page(self.request.GET.get("page"))
        grid = selectors.matrix(
            self.membership, page.object_list, codes=self._codes(), status=self.request.GET.get("status", "")
        )
        return filterset, page, grid

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            filterset = MatrixFilterSet(
                request.GET, queryset=selectors.systems_for(self.membership), request=request
            )
            grid = selectors.matrix_streamed(
                self.membership,
                filterset.qs.order_by("name", "id"),
                codes=self._codes(),
                status=request.GET.get("status", ""),
            )
            return export_matrix(grid, export)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset, page, grid = self.grid()
        context.update(
            filter=filterset,
            page_obj=page,
            grid=grid,
            statuses=ObligationStatus.choices,
            exposure=organization_exposure(self.membership),
            exposures=systems_exposure(self.membership, page.object_list),
        )
        return context


def _matrix_rows(grid):
    header = [
        _("System code"),
        _("System"),
        _("Risk level"),
        _("Score %"),
        _("Met"),
        _("Applicable"),
    ] + grid.codes
    yield header
    # Worded once per export, in the reader's language: `get_FOO_display` per cell translated every
    # label of the field each time (two thirds of a 10,000-system export's time).
    levels = {key: str(label) for key, label in AISystem._meta.get_field("risk_level").flatchoices}
    unclassified = _("Not classified")
    statuses = {key: str(label) for key, label in Obligation._meta.get_field("status").flatchoices}
    for row in grid.rows:
        level = row.system.risk_level
        yield [
            row.system.code,
            row.system.name,
            levels.get(level, level) if level else unclassified,
            "" if row.score.percent is None else row.score.percent,
            row.score.met,
            row.score.applicable,
        ] + [statuses.get(o.status, o.status) if o else "" for o in row.cells.values()]


def _legend_rows(grid):
    yield [_("Requirement id"), _("Title"), _("Article [reference level]")]
    for code in grid.codes:
        yield [code, grid.titles[code].title_text, grid.titles[code].citation]


def export_matrix(grid, fmt: str):
    """The matrix as CSV (the grid) or XLSX (the grid and a legend of the requirements)."""
    stamp = timezone.localdate().isoformat()
    return spreadsheets.export_response(
        fmt,
        filename=f"obligations-matrix-{stamp}",
        sheets=[
            spreadsheets.Sheet(_("Obligations"), _matrix_rows(grid)),
            spreadsheets.Sheet(_("Requirements"), _legend_rows(grid)),
        ],
    )
