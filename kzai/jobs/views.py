"""Job pages: the member's recent jobs, one job's page, and the progress partial it polls (htmx)."""

from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView

from kzai.core.roles import Action
from kzai.core.views import TenantMixin
from kzai.jobs.models import Job


class JobListView(TenantMixin, ListView):
    """The jobs the member started in this organization, newest first."""

    model = Job
    required_action = Action.VIEW
    template_name = "jobs/job_list.html"
    paginate_by = 50


class JobDetailView(TenantMixin, DetailView):
    """A job's progress bar; a finished job with a result page goes straight there."""

    model = Job
    required_action = Action.VIEW
    template_name = "jobs/job_detail.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.result_url():
            return redirect(self.object.result_url())
        return self.render_to_response(self.get_context_data(object=self.object))


class JobProgressView(TenantMixin, DetailView):
    """The progress partial: polled every second while the job runs; once it is finished, htmx is
    sent to the result page (`HX-Redirect`), or the partial shows the outcome."""

    model = Job
    required_action = Action.VIEW
    template_name = "jobs/job_progress.html"

    def get(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        response = self.render_to_response(self.get_context_data(object=self.object))
        if self.object.result_url() and request.headers.get("HX-Request"):
            response["HX-Redirect"] = self.object.result_url()
        return response
