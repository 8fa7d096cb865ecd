from django.urls import path

from vestnik.newsletters import views

app_name = "newsletters"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("start/", views.start, name="start"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("link/", views.link_request, name="link"),
    path("privacy/", views.privacy, name="privacy"),
]
