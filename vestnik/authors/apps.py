from django.apps import AppConfig


class AuthorsConfig(AppConfig):
    name = "vestnik.authors"
    label = "authors"
