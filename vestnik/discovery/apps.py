from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "vestnik.discovery"
    label = "discovery"
