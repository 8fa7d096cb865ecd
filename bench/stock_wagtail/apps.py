from django.apps import AppConfig


class StockWagtailConfig(AppConfig):
    name = "bench.stock_wagtail"
    label = "stock_wagtail"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Stock Wagtail (benchmark baseline)"
