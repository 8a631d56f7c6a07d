from django.urls import path

from kzai.jobs import views

app_name = "jobs"
urlpatterns = [
    path("jobs/", views.JobListView.as_view(), name="job_list"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/progress/", views.JobProgressView.as_view(), name="job_progress"),
]
