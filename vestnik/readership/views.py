"""The view beacon: `POST /readership/view/?p=<page id>`, sent by static/js/readership.js.

Behind nginx the beacon never reaches Django (nginx answers and logs it,
`view_log`); this view counts it where nothing stands in front: the embedded
install, or a set-up without the readership's nginx location. It answers 204
to everything it is sent, counted or not, so it tells nobody anything.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from vestnik.core.client_address import client_ip
from vestnik.readership import conf, stores
from vestnik.readership.counting import View, page_id_parse, refusal, today

logger = logging.getLogger(__name__)


@csrf_exempt  # no cookie or token is wanted: a view changes nothing a reader owns
@require_POST
@never_cache
def view_beacon(request: HttpRequest) -> HttpResponse:
    page_id = page_id_parse(request.GET.get("p"))
    if conf.enabled() and page_id is not None:
        user_agent = request.headers.get("User-Agent", "")
        reason = refusal(
            user_agent=user_agent,
            do_not_track=request.headers.get("DNT", ""),
            global_privacy=request.headers.get("Sec-GPC", ""),
            signed_in=request.user.is_authenticated,
        )
        if not reason:
            view = View(
                page_id=page_id, day=today(), client=client_ip(request), user_agent=user_agent
            )
            try:
                stores.record([view])
            except DatabaseError:
                # Counting never breaks a page: this view is lost, the reader sees nothing.
                logger.warning("readership: a view could not be recorded", exc_info=True)
    return HttpResponse(status=204)
