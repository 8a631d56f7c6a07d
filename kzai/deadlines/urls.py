from django.urls import path

from kzai.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("deadlines/", views.DeadlineListView.as_view(), name="deadline_list"),
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(), name="notification_read"),
    path("notifications/read-all/", views.NotificationReadAllView.as_view(), name="notification_read_all"),
]
