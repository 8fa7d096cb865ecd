"""/oai/: the OAI-PMH 2.0 endpoint, one function per verb behind one dispatcher.

Every answer is HTTP 200 with an OAI-PMH document, errors included, as the
protocol asks. GET and POST (a form body) are the same request. The view runs
in the site's first language whatever the harvester's Accept-Language: the
publisher's name and the set names must not depend on who asks.
"""

from __future__ import annotations

import datetime
import re
from email.utils import parseaddr

from lxml import etree

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from vestnik.api.oai import responses, selectors
from vestnik.api.oai.protocol import OAIError, OAIRequest, date_range, parse
from vestnik.api.oai.tokens import Resumption, expiration, token_make, token_read
from vestnik.core.site_identity import site_name

DOMAIN_NAME = re.compile(r"\A[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+\Z")
METADATA_FORMATS = {
    "oai_dc": (responses.OAI_DC_SCHEMA, responses.OAI_DC),
}


def page_size() -> int:
    return int(getattr(settings, "VESTNIK_API_OAI_PAGE_SIZE", 100))


def admin_emails() -> list[str]:
    """`VESTNIK_API_OAI_ADMIN_EMAILS`, else the site's ADMINS, else its sender address."""
    configured = list(getattr(settings, "VESTNIK_API_OAI_ADMIN_EMAILS", []))
    if configured:
        return configured
    admins = [email for _name, email in getattr(settings, "ADMINS", [])]
    return admins or [parseaddr(settings.DEFAULT_FROM_EMAIL)[1]]


@csrf_exempt
@never_cache
def endpoint(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    query = request.POST if request.method == "POST" else request.GET
    base_url = request.build_absolute_uri(reverse("oai"))
    now = datetime.datetime.now(tz=datetime.UTC)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            oai_request = parse(dict(query.lists()))
        except OAIError as problem:
            root = responses.envelope(base_url=base_url, verb=None, arguments={}, now=now)
            responses.error(root, problem.code, problem.message)
        else:
            root = responses.envelope(
                base_url=base_url,
                verb=oai_request.verb,
                arguments=oai_request.arguments,
                now=now,
            )
            try:
                VIEWS[oai_request.verb](request, root, oai_request)
            except OAIError as problem:
                if not problem.echoes_arguments:
                    root[1].attrib.clear()  # `request`, after `responseDate`
                # A verb's element may have been begun: the error stands alone.
                for child in list(root)[2:]:
                    root.remove(child)
                responses.error(root, problem.code, problem.message)
    return HttpResponse(responses.serialize(root), content_type="text/xml; charset=utf-8")


def _metadata_prefix(name: str) -> str:
    if name not in METADATA_FORMATS:
        raise OAIError(
            "cannotDisseminateFormat", f"{name!r} is not a metadata format of this repository."
        )
    return name


def _item(identifier: str) -> selectors.Item:
    page_id = selectors.page_id_of(identifier)
    item = selectors.item_for(page_id) if page_id is not None else None
    if item is None:
        raise OAIError(
            "idDoesNotExist", f"{identifier!r} is unknown or illegal in this repository."
        )
    return item


def identify(request: HttpRequest, root: etree._Element, oai_request: OAIRequest) -> None:
    element = responses.oai(root, "Identify")
    responses.oai(element, "repositoryName", site_name(None))
    responses.oai(element, "baseURL", request.build_absolute_uri(reverse("oai")))
    responses.oai(element, "protocolVersion", "2.0")
    for email in admin_emails():
        responses.oai(element, "adminEmail", email)
    earliest = selectors.earliest_datestamp() or datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    responses.oai(element, "earliestDatestamp", responses.format_datestamp(earliest))
    responses.oai(element, "deletedRecord", "persistent")
    responses.oai(element, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    repository = selectors.repository_identifier()
    # The oai-identifier scheme wants a domain name: not "localhost", not an IP address.
    if DOMAIN_NAME.match(repository):
        responses.oai_identifier_description(
            element, repository_identifier=repository, sample=selectors.identifier_for(1)
        )


def list_metadata_formats(
    request: HttpRequest, root: etree._Element, oai_request: OAIRequest
) -> None:
    if "identifier" in oai_request.arguments:
        _item(oai_request.arguments["identifier"])
    element = responses.oai(root, "ListMetadataFormats")
    for prefix, (schema, namespace) in METADATA_FORMATS.items():
        format_element = responses.oai(element, "metadataFormat")
        responses.oai(format_element, "metadataPrefix", prefix)
        responses.oai(format_element, "schema", schema)
        responses.oai(format_element, "metadataNamespace", namespace)


def list_sets(request: HttpRequest, root: etree._Element, oai_request: OAIRequest) -> None:
    if "resumptionToken" in oai_request.arguments:
        raise OAIError("badResumptionToken", "ListSets is never split.")
    element = responses.oai(root, "ListSets")
    for harvest_set in selectors.harvest_sets():
        set_element = responses.oai(element, "set")
        responses.oai(set_element, "setSpec", harvest_set.spec)
        responses.oai(set_element, "setName", harvest_set.name)


def _list(
    request: HttpRequest, root: etree._Element, oai_request: OAIRequest, *, with_metadata: bool
) -> None:
    verb = oai_request.verb
    resumption: Resumption | None = None
    arguments: dict[str, str] = oai_request.arguments
    after: tuple[datetime.datetime, int] | None = None
    cursor = 0
    if "resumptionToken" in oai_request.arguments:
        resumption = token_read(oai_request.arguments["resumptionToken"], verb=verb)
        arguments, after, cursor = resumption.arguments, resumption.after, resumption.cursor
    _metadata_prefix(arguments.get("metadataPrefix", ""))
    try:
        start, end = date_range(arguments.get("from"), arguments.get("until"))
    except OAIError:
        if resumption is None:
            raise
        raise OAIError("badResumptionToken", "The resumptionToken is invalid.") from None
    set_spec = arguments.get("set")
    if set_spec is not None and not selectors.set_exists(set_spec):
        raise OAIError("noRecordsMatch", f"There is no set {set_spec!r}.")
    selection = selectors.Selection(start=start, end=end, set_spec=set_spec)
    size = page_size()
    items, total = selectors.items_page(selection, after=after, size=size)
    if not items:
        if resumption is not None:
            # Everything the token pointed at went away during the harvest.
            raise OAIError("badResumptionToken", "The list this token continues has changed.")
        raise OAIError("noRecordsMatch", "No records match the request.")
    element = responses.oai(root, verb)
    for item in items:
        identifier = selectors.identifier_for(item.page_id)
        if with_metadata:
            record = responses.oai(element, "record")
            _record(request, record, item, identifier)
        else:
            responses.header(
                element,
                identifier=identifier,
                datestamp=item.datestamp,
                set_specs=item.set_specs,
                deleted=item.deleted,
            )
    sent = cursor + len(items)
    if resumption is None and sent >= total:
        return  # a complete list in one response carries no token
    token = responses.oai(element, "resumptionToken")
    token.set("completeListSize", str(max(total, sent)))
    token.set("cursor", str(cursor))
    if sent < total:
        token.set("expirationDate", responses.format_datestamp(expiration()))
        token.text = token_make(
            Resumption(
                verb=verb,
                arguments={
                    name: arguments[name]
                    for name in ("metadataPrefix", "from", "until", "set")
                    if name in arguments
                },
                after=items[-1].key,
                cursor=sent,
            )
        )


def _record(
    request: HttpRequest, element: etree._Element, item: selectors.Item, identifier: str
) -> None:
    responses.header(
        element,
        identifier=identifier,
        datestamp=item.datestamp,
        set_specs=item.set_specs,
        deleted=item.deleted,
    )
    if item.page is None:
        return  # a deleted record is its header alone
    citation = selectors.citation_of(item.page, request)
    if citation is not None:
        metadata = responses.oai(element, "metadata")
        responses.dublin_core(
            metadata, citation, rights=str(getattr(settings, "VESTNIK_API_OAI_RIGHTS", ""))
        )


def list_identifiers(request: HttpRequest, root: etree._Element, oai_request: OAIRequest) -> None:
    _list(request, root, oai_request, with_metadata=False)


def list_records(request: HttpRequest, root: etree._Element, oai_request: OAIRequest) -> None:
    _list(request, root, oai_request, with_metadata=True)


def get_record(request: HttpRequest, root: etree._Element, oai_request: OAIRequest) -> None:
    _metadata_prefix(oai_request.arguments["metadataPrefix"])
    item = _item(oai_request.arguments["identifier"])
    element = responses.oai(root, "GetRecord")
    record = responses.oai(element, "record")
    _record(request, record, item, selectors.identifier_for(item.page_id))


VIEWS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
    "GetRecord": get_record,
}
