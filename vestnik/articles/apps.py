from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "vestnik.articles"
    label = "articles"
