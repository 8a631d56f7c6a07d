"""Pages of the annual risk review: the list, the walk-through with per-item records (htmx), the
officer's sign-off, and the review schedule."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from kzai.core.roles import Action
from kzai.core.views import ServiceFormView, TenantMixin, apply_validation_error
from risk.models import ReviewItem, ReviewSchedule
from risk.risk_management import selectors, services
from risk.risk_management.choices import RiskStatus, band_label
from risk.risk_management.filtersets import ReviewFilterSet
from risk.risk_management.forms import (
    ReviewItemForm,
    ReviewScheduleForm,
    SignOffForm,
    review_item_forms,
)
from risk.views.tabs import ObjectRiskTabMixin


def _snapshot_rows(review) -> list[dict]:
    """The frozen register's risks with their band and status in the reader's words (the snapshot
    keeps the keys, as the law's record)."""
    statuses = dict(RiskStatus.choices)
    return [
        {
            **risk,
            "inherent_band_label": band_label(risk.get("inherent_band")),
            "residual_band_label": band_label(risk.get("residual_band")),
            "status_label": statuses.get(risk.get("status"), risk.get("status")),
        }
        for risk in (review.snapshot or {}).get("risks", [])
    ]


class ReviewListView(TenantMixin, TemplateView):
    """Reviews across the organization: scheduled, in progress, overdue, completed."""

    template_name = "risk_management/review_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = ReviewFilterSet(
            self.request.GET, queryset=selectors.review_list(self.membership), request=self.request
        )
        reviews = filterset.qs
        if not self.request.GET.get("ordering"):
            # Open reviews first, soonest due on top; then the completed ones, latest first.
            reviews = reviews.order_by(F("completed_at").desc(nulls_first=True), "due_on", "id")
        context["filter"] = filterset
        context["page_obj"] = Paginator(reviews, 50).get_page(self.request.GET.get("page"))
        context["schedules"] = selectors.schedule_list(self.membership)[:50]
        return context


class ReviewDetailView(ObjectRiskTabMixin, TemplateView):
    """The walk-through: every risk and measure with its outcome, then the sign-off."""

    template_name = "risk_management/review_detail.html"
    risk_section = "reviews"

    def get_review(self):
        if not hasattr(self, "_review"):
            self._review = get_object_or_404(selectors.review_list(self.membership), pk=self.kwargs["pk"])
        return self._review

    def get_tab_object(self):
        return self.get_review()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.get_review()
        items = list(selectors.review_items(review))
        can_change = self.membership.allows(Action.CHANGE) and not review.is_completed
        # After a refused one-pass record, the rows keep what the person entered, with their errors.
        item_forms = kwargs.get("item_forms") or review_item_forms(items)
        context.update(
            review=review,
            rows=[{"item": item, "form": form} for item, form in zip(items, item_forms, strict=True)],
            pending=sum(1 for item in items if item.outcome == "pending"),
            can_change=can_change,
            can_sign_off=self.membership.allows(Action.APPROVE) and review.status == "in_progress",
            sign_off_form=kwargs.get("sign_off_form") or SignOffForm(),
            snapshot_risks=_snapshot_rows(review),
        )
        return context


class ReviewStartView(TenantMixin, View):
    required_action = Action.CHANGE

    def post(self, request, pk):
        review = get_object_or_404(selectors.review_list(self.membership), pk=pk)
        try:
            services.review_start(review=review, membership=self.membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("risk:review_detail", args=[pk]))


class _RowsRefused(Exception):
    """Rolls back a one-pass record when the form refused a row the service did not see."""


class ReviewItemsView(ReviewDetailView):
    """Record every item the person filled in on the review's table form, in one pass: all or none.
    A refused row shows its error in place and every row keeps what was entered."""

    required_action = Action.CHANGE

    def post(self, request, pk):
        review = self.get_review()
        items = list(selectors.review_items(review))
        item_forms = review_item_forms(items, request.POST)
        rows_valid = [form.is_valid() for form in item_forms]  # every row, so each shows its errors
        records = [
            (item, form.cleaned_data["outcome"], form.cleaned_data["note"])
            for item, form, valid in zip(items, item_forms, rows_valid, strict=True)
            if valid and form.to_record
        ]
        if all(rows_valid) and not records:
            messages.info(request, _("Nothing to record: choose an outcome for at least one item."))
            return HttpResponseRedirect(reverse("risk:review_detail", args=[pk]))
        try:
            with transaction.atomic():
                # The service checks the rows the form accepted too, so one answer names every
                # refused row; with any row refused, nothing is kept.
                services.review_items_record(review=review, records=records, membership=self.membership)
                if not all(rows_valid):
                    raise _RowsRefused
        except services.ReviewItemsRefused as refused:
            by_pk = {item.pk: form for item, form in zip(items, item_forms, strict=True)}
            for item_pk, error in refused.by_item.items():
                apply_validation_error(by_pk[item_pk], error)
        except _RowsRefused:
            pass
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse("risk:review_detail", args=[pk]))
        else:
            messages.success(
                request,
                ngettext("%(count)d item recorded.", "%(count)d items recorded.", len(records))
                % {"count": len(records)},
            )
            return HttpResponseRedirect(reverse("risk:review_detail", args=[pk]))
        messages.error(request, _("Nothing was recorded: correct the rows marked below."))
        return self.render_to_response(self.get_context_data(item_forms=item_forms), status=400)

    def get(self, request, pk):
        self.get_review()
        return HttpResponseRedirect(reverse("risk:review_detail", args=[pk]))


class ReviewItemView(TenantMixin, View):
    """Record one item's outcome. With htmx the row is swapped in place; without, a redirect."""

    required_action = Action.CHANGE

    def post(self, request, pk):
        item = get_object_or_404(
            ReviewItem.objects.restrict(self.membership).select_related("review", "risk", "measure"), pk=pk
        )
        form = ReviewItemForm(request.POST, instance=item, prefix=f"item-{item.pk}")
        error = None
        if form.is_valid():
            try:
                services.review_item_record(
                    item=item,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    membership=self.membership,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
                error = exc
        if request.headers.get("HX-Request"):
            item.refresh_from_db()
            row = {"item": item, "form": form}
            # 422 so a client (and htmx's error events) can tell a refused record from a saved one;
            # the review page tells htmx to swap the row anyway, so the errors show in place.
            status = 422 if form.errors else 200
            return render(
                request,
                "risk_management/review_item_row.html",
                {"row": row, "can_change": True},
                status=status,
            )
        if error or form.errors:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(reverse("risk:review_detail", args=[item.review_id]))


class ReviewSignOffView(ReviewDetailView):
    """The officer's sign-off (Action.APPROVE): completes the review and freezes the snapshot."""

    required_action = Action.APPROVE

    def post(self, request, pk):
        review = self.get_review()
        form = SignOffForm(request.POST)
        if form.is_valid():
            try:
                services.review_sign_off(
                    review=review, membership=self.membership, summary=form.cleaned_data["summary"]
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The review is signed off; the register snapshot is kept."))
                return HttpResponseRedirect(reverse("risk:review_detail", args=[pk]))
        return self.render_to_response(self.get_context_data(sign_off_form=form), status=400)

    def get(self, request, pk):
        self.get_review()  # another organization's review: 404 here too, not a redirect
        return HttpResponseRedirect(reverse("risk:review_detail", args=[pk]))


class ReviewScheduleUpdateView(ObjectRiskTabMixin, ServiceFormView):
    """The officer shortens the review interval or sets the first due date (never beyond 12 months)."""

    template_name = "risk_management/review_schedule_form.html"
    form_class = ReviewScheduleForm
    model = ReviewSchedule
    required_action = Action.CHANGE
    risk_section = "reviews"
    success_message = gettext_lazy("The review schedule is saved.")

    def get_queryset(self):
        return super().get_queryset().select_related("system")

    def get_tab_object(self):
        return self.get_object()

    def get_context_data(self, **kwargs):
        return super().get_context_data(schedule=self.get_object(), **kwargs)

    def perform_save(self, form):
        return services.review_schedule_update(
            schedule=self.get_object(),
            interval_months=form.cleaned_data["interval_months"],
            first_due_on=form.cleaned_data["first_due_on"],
            reviewer=form.cleaned_data["reviewer"],
        )

    def get_success_url(self):
        return reverse("risk:system_reviews", args=[self.object.system_id])
