"""The bench's root URLconf: the minimal vote, then all of Vestnik's URLs unchanged.

Vestnik's patterns are spliced in rather than included, because i18n_patterns
only work in the root URLconf.
"""

from django.urls import path

from bench.minimal_vote import views
from vestnik.urls import urlpatterns as vestnik_urlpatterns

urlpatterns = [
    path("bench/minimal/<int:poll_id>/vote/", views.vote, name="minimal_vote"),
    *vestnik_urlpatterns,
]
