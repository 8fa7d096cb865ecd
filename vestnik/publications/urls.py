from django.urls import URLPattern

app_name = "publications"
urlpatterns: list[URLPattern] = []
