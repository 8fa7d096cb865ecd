from django.urls import path

from vestnik.polls import views

app_name = "polls"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:poll_id>/", views.detail, name="detail"),
    path("<int:poll_id>/vote/", views.vote, name="vote"),
    path("<int:poll_id>/results/", views.results, name="results"),
]
