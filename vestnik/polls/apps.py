from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "vestnik.polls"
    label = "polls"
