from django.urls import path

from registry import views

app_name = "registry"
urlpatterns = [
    path("", views.SystemListView.as_view(), name="system_list"),
]
