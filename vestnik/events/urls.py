"""Under /events/ (and /en/events/): what is not a page. The rest falls through to Wagtail."""

from django.urls import path

from vestnik.events import views

app_name = "events"
urlpatterns = [
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("<int:event_id>.ics", views.event_calendar, name="ics"),
    path("<int:event_id>/register/", views.register, name="register"),
    path("<int:event_id>/register/start/", views.register_start, name="register_start"),
    path("registrations/cancel/<str:token>/", views.cancel, name="cancel"),
]
