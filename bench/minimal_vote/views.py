"""The baseline: insert a ballot and bump the chosen counters, nothing else.

No identity beyond a random voter id, no rules, no origin check, no rate
window: what a Django tutorial's vote view costs with the same write. The
counters are updated in ascending id order, so concurrent voters lock them in
one order and cannot deadlock.
"""

import secrets

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bench.minimal_vote.models import MinimalBallot, MinimalOption


@csrf_exempt  # as Vestnik's vote endpoint; the bench sends no token to either
@require_POST
def vote(request: HttpRequest, poll_id: int) -> HttpResponse:
    option_ids = sorted({int(value) for value in request.POST.getlist("option")})
    voter = secrets.token_urlsafe(18)
    with transaction.atomic():
        MinimalBallot.objects.create(
            poll=poll_id, voter=voter, options=",".join(str(n) for n in option_ids)
        )
        for option_id in option_ids:
            MinimalOption.objects.filter(pk=option_id).update(votes=F("votes") + 1)
    response: HttpResponse
    if "application/json" in request.headers.get("Accept", ""):
        counts = dict(MinimalOption.objects.filter(poll=poll_id).values_list("id", "votes"))
        response = JsonResponse({"ok": True, "counts": counts})
    else:
        response = HttpResponseRedirect(f"/bench/minimal/{poll_id}/?voted=1")
    response.set_cookie("voter", voter, httponly=True, samesite="Lax")
    return response
