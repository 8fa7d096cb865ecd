from django.apps import AppConfig


class MinimalVoteConfig(AppConfig):
    name = "bench.minimal_vote"
    label = "minimal_vote"
    default_auto_field = "django.db.models.BigAutoField"
