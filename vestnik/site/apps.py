from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top floor: pages that list everything, set-up and demo content."""

    name = "vestnik.site"
    label = "site"
    verbose_name = _("Site pages")
