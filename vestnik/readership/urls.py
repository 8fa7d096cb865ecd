from django.urls import path

from vestnik.readership import views

app_name = "readership"

urlpatterns = [
    path("view/", views.view_beacon, name="view"),
]
