"""Guards between an uploaded file and the parsers: size, type, archive and resource limits.

A manuscript is an untrusted ZIP of XML written by a program we do not
control, and a saved page is untrusted HTML. Before a parser sees either:

- the file's size is checked against `VESTNIK_IMPORTERS_MAX_BYTES` (default
  50 MB) *before* it is read;
- a .docx is sniffed (a PDF, an old .doc, an encrypted document, an RTF or a
  plain ZIP renamed .docx each get their own message), then its archive is
  checked: declared sizes and compression ratios first, then every member is
  inflated in chunks and counted, so a member that inflates past what it
  declares, past the total limit or past the ratio limit stops the read at
  once;
- every XML part of a .docx (each member named .xml or .rels, and every part
  the package's relationships send mammoth to, whatever its name) is parsed
  with defusedxml while it is inflated: a DTD, an entity declaration or an
  external reference is refused, in any encoding XML allows (UTF-8, UTF-16,
  with or without a byte-order mark), and so is a part that is not XML. Word
  never writes a DTD, and a DTD is how entity expansion and external-entity
  attacks begin. Looking for `<!DOCTYPE` in the bytes is not enough: in
  UTF-16 those bytes never occur;
- the XML mammoth converts (the document with its notes, comments, styles,
  numbering and their relationships) may unpack to at most
  `VESTNIK_IMPORTERS_MAX_XML_BYTES` (default 10 MB), checked on the declared
  sizes before anything is inflated: mammoth builds a DOM of it and needs
  about a second per megabyte, so this bounds what one upload costs;
- the conversion itself runs in a child process (`sandboxed`) with an
  address-space limit (`VESTNIK_IMPORTERS_MEMORY_MB`) and a wall-clock limit
  (`VESTNIK_IMPORTERS_TIMEOUT_SECONDS`), so one hostile file cannot exhaust a
  worker. The child returns a plain `ArticleDraft`; it never touches the
  database.

Settings are read when a check runs, never at import.
"""

from __future__ import annotations

import gc
import io
import logging
import multiprocessing
import os
import re
import resource
import time
import traceback
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Final, TypeVar
from xml.etree.ElementTree import ParseError
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from defusedxml.expatreader import create_parser as defused_sax_parser

from django.conf import settings

from vestnik.importers.errors import ImportFailed

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_MAX_BYTES: Final = 50 * 1024 * 1024
DEFAULT_MAX_UNPACKED_BYTES: Final = 300 * 1024 * 1024
# Deflate cannot do better than about 1:1030; XML rarely beats 1:30, images 1:2.
DEFAULT_MAX_RATIO: Final = 100
# Members smaller than this may have any ratio (a page of spaces compresses well).
RATIO_MIN_BYTES: Final = 1024 * 1024
DEFAULT_MAX_MEMBERS: Final = 5000
# About ten seconds of mammoth on one core; a 300-page report written in Word
# has a few megabytes of XML.
DEFAULT_MAX_XML_BYTES: Final = 10 * 1024 * 1024
DEFAULT_TIMEOUT_SECONDS: Final = 60
DEFAULT_MEMORY_MB: Final = 1024

_CHUNK: Final = 64 * 1024
# Imported by the fork server once, so that each sandboxed child starts warm.
SANDBOX_PRELOAD: Final = (
    "vestnik.importers.parsers.docx",
    "vestnik.importers.parsers.html",
)
_OLE2_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC: Final = b"PK\x03\x04"
# An OLE2 container holding these streams is an encrypted OOXML document.
_ENCRYPTED_STREAMS: Final = (
    "EncryptedPackage".encode("utf-16-le"),
    "EncryptionInfo".encode("utf-16-le"),
)
_XML_MEMBER: Final = re.compile(r"\.(?:xml|rels)$", re.IGNORECASE)
_RELATIONSHIPS_NS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
_RELATIONSHIP_TYPE: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# The relationships mammoth follows to the parts it parses (mammoth.docx.read).
_MAIN_DOCUMENT: Final = _RELATIONSHIP_TYPE + "officeDocument"
_DOCUMENT_PART_KINDS: Final = ("comments", "endnotes", "footnotes", "numbering", "styles")
_DOCUMENT_PARTS: Final = tuple(_RELATIONSHIP_TYPE + kind for kind in _DOCUMENT_PART_KINDS)


@dataclass(frozen=True)
class Limits:
    """The limits one import runs under; read from settings by `limits()`."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES
    max_ratio: int = DEFAULT_MAX_RATIO
    max_members: int = DEFAULT_MAX_MEMBERS
    max_xml_bytes: int = DEFAULT_MAX_XML_BYTES
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB


def limits() -> Limits:
    def setting(name: str, default: Any) -> Any:
        return getattr(settings, f"VESTNIK_IMPORTERS_{name}", default)

    return Limits(
        max_bytes=int(setting("MAX_BYTES", DEFAULT_MAX_BYTES)),
        max_unpacked_bytes=int(setting("MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)),
        max_ratio=int(setting("MAX_COMPRESSION_RATIO", DEFAULT_MAX_RATIO)),
        max_members=int(setting("MAX_ARCHIVE_MEMBERS", DEFAULT_MAX_MEMBERS)),
        max_xml_bytes=int(setting("MAX_XML_BYTES", DEFAULT_MAX_XML_BYTES)),
        timeout_seconds=float(setting("TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)),
        memory_mb=int(setting("MEMORY_MB", DEFAULT_MEMORY_MB)),
    )


def size_check(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise ImportFailed(
            f"The file is too large ({_megabytes(size)}; the limit is "
            f"{_megabytes(limits.max_bytes)})."
        )
    if size == 0:
        raise ImportFailed("The file is empty.")


# --- what kind of file is this ----------------------------------------------


def docx_sniff(data: bytes) -> None:
    """Refuse anything that does not start like a .docx, with a message saying what it is."""
    if not data.strip():
        raise ImportFailed("The file is empty.")
    head = data[:8]
    if head.startswith(_ZIP_MAGIC):
        return
    if head == _OLE2_MAGIC:
        if any(stream in data for stream in _ENCRYPTED_STREAMS):
            raise ImportFailed(
                "The document is protected with a password (encrypted), so it cannot be read. "
                "Remove the password in Word (File → Info → Protect Document) and upload it again."
            )
        raise ImportFailed(
            "This is an old Word 97–2003 document (.doc), not a .docx. "
            "Open it in Word and save it as «Word Document (.docx)»."
        )
    stripped = data.lstrip()[:8]
    if stripped.startswith(b"%PDF"):
        raise ImportFailed(
            "This is a PDF renamed .docx, not a Word document. "
            "Upload the manuscript as .docx (in Word: File → Save As → Word Document)."
        )
    if stripped.startswith(b"{\\rtf"):
        raise ImportFailed(
            "This is an RTF file renamed .docx. Open it in Word and save it as .docx."
        )
    if head.startswith((b"PK\x05\x06", b"PK\x07\x08")):
        raise ImportFailed("The .docx is damaged: its archive is empty or split into parts.")
    raise ImportFailed("This is not a Word document (.docx): the file does not start like one.")


def html_sniff(data: bytes) -> None:
    """A saved page is text: refuse archives, PDFs and Office files with a message naming them."""
    if not data.strip():
        raise ImportFailed("The file is empty.")
    head = data.lstrip()[:8]
    if head.startswith(_ZIP_MAGIC):
        raise ImportFailed(
            "This is a ZIP archive (a .docx?), not a saved HTML page. Word manuscripts are "
            "imported with import_docx or as .docx files."
        )
    if head.startswith(b"%PDF"):
        raise ImportFailed("This is a PDF, not a saved HTML page.")
    if head == _OLE2_MAGIC:
        raise ImportFailed("This is an Office document (.doc?), not a saved HTML page.")


# --- the archive ------------------------------------------------------------


def docx_archive_check(data: bytes, limits: Limits) -> None:
    """Open the archive and inflate every member under the limits; `ImportFailed` if unsafe."""
    docx_sniff(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportFailed(_damaged(exc)) from exc
    except (OSError, ValueError, EOFError) as exc:
        raise ImportFailed(_damaged(exc)) from exc
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if "word/document.xml" not in names:
            raise ImportFailed(
                "This is a ZIP archive but not a Word document: it has no word/document.xml "
                "(an Excel, PowerPoint or OpenDocument file renamed .docx?)."
            )
        if len(members) > limits.max_members:
            raise ImportFailed(
                f"The .docx holds {len(members):,} files; a manuscript needs far fewer "
                f"(the limit is {limits.max_members:,}). It is refused as a possible zip bomb."
            )
        _declared_sizes_check(members, limits)
        parsed, converted = _xml_parts(archive, limits)
        _xml_size_check([member for member in members if member.filename in converted], limits)
        total = 0
        for member in members:
            total = _member_inflate(archive, member, total, limits, xml=member.filename in parsed)


def _declared_sizes_check(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    declared = sum(member.file_size for member in members)
    if declared > limits.max_unpacked_bytes:
        raise ImportFailed(_too_big_unpacked(declared, limits))
    for member in members:
        if member.flag_bits & 0x1:
            raise ImportFailed(
                "The .docx's archive is encrypted; remove the protection in Word and save again."
            )
        if member.file_size > RATIO_MIN_BYTES and (
            member.file_size > limits.max_ratio * max(member.compress_size, 1)
        ):
            raise ImportFailed(_too_compressed(member, member.file_size, limits))


def _xml_parts(archive: zipfile.ZipFile, limits: Limits) -> tuple[set[str], set[str]]:
    """The members to parse as XML, and those of them mammoth will convert.

    mammoth finds the main document through `_rels/.rels`, and the notes,
    comments, styles and numbering through the document's relationships (or
    at `word/<kind>.xml` when there are none), and parses whatever member they
    name: a hostile package can hide XML under any name, so those parts are
    parsed here whatever their names, and with them every member named .xml or
    .rels. The converted parts are what `max_xml_bytes` bounds; the rest (the
    theme, charts, custom XML) only costs a quick parse here. Members named
    only by other relationships (pictures, including SVG drawings, which may
    carry a DTD of their own) are not parsed as XML.
    """
    names = set(archive.namelist())
    # The package's own relationships are those of the part "".
    documents = {
        "word/document.xml",
        *_relationship_targets(archive, "", (_MAIN_DOCUMENT,), limits),
    }
    converted = {"[Content_Types].xml", "_rels/.rels", *documents}
    converted.update(f"word/{kind}.xml" for kind in _DOCUMENT_PART_KINDS)
    for document in documents & names:
        converted.update(_relationship_targets(archive, document, _DOCUMENT_PARTS, limits))
    # mammoth reads the relationships of every part it converts.
    converted.update([_relationships_path(part) for part in converted])
    converted &= names
    return converted | {name for name in names if _XML_MEMBER.search(name)}, converted


def _relationships_path(part: str) -> str:
    """Where `part`'s relationships are stored (`_rels/.rels` for the package, part "")."""
    directory, _, base = part.rpartition("/")
    return "/".join(filter(None, (directory, "_rels", base + ".rels")))


def _relationship_targets(
    archive: zipfile.ZipFile, part: str, kinds: tuple[str, ...], limits: Limits
) -> list[str]:
    """Where `part`'s relationships of `kinds` point, resolved as mammoth resolves them.

    A target is relative to the part's folder, or to the package root when it
    starts with a slash; nothing else is normalised (zip names are compared as
    they are, by mammoth too).
    """
    relationships = _relationships_path(part)
    try:
        member = archive.getinfo(relationships)
    except KeyError:
        return []
    # Read before the inflation checks: bound it by the XML limit first (zipfile
    # never returns more than a member declares).
    _xml_size_check([member], limits)
    try:
        root = defused_fromstring(archive.read(member), forbid_dtd=True)
    except (DefusedXmlException, ParseError) as exc:
        raise _xml_refusal(relationships, exc) from exc
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise ImportFailed(_damaged(exc)) from exc
    directory = part.rpartition("/")[0]
    targets = []
    for relationship in root.iter(f"{{{_RELATIONSHIPS_NS}}}Relationship"):
        if relationship.get("Type") in kinds and (target := relationship.get("Target")):
            path = target if target.startswith("/") else f"{directory}/{target}"
            targets.append(path.lstrip("/"))
    return targets


def _xml_size_check(xml_members: list[zipfile.ZipInfo], limits: Limits) -> None:
    # Declared sizes are a true bound: a member that inflates past what it
    # declares is refused while it is inflated.
    size = sum(member.file_size for member in xml_members)
    if size > limits.max_xml_bytes:
        raise ImportFailed(
            "The .docx's text (word/document.xml with its notes, comments, styles and "
            f"numbering) unpacks to {_megabytes(size)} of XML, over the "
            f"{_megabytes(limits.max_xml_bytes)} a manuscript may have. Split it into several "
            "articles, or accept or reject its tracked changes and delete its comments in Word, "
            "and upload it again."
        )


def _xml_parser(name: str) -> Any:
    """A defusedxml SAX parser that refuses any DTD, entity or external reference."""
    parser = defused_sax_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    # The parser only has to see the whole part: no handler builds anything.
    parser.setContentHandler(ContentHandler())
    # Started now, so that an empty part is refused too when the parser is closed.
    _xml_feed(parser, name, b"")
    return parser


def _xml_feed(parser: Any, name: str, chunk: bytes, *, final: bool = False) -> None:
    try:
        if final:
            parser.close()
        else:
            parser.feed(chunk)
    except (DefusedXmlException, SAXParseException) as exc:
        raise _xml_refusal(name, exc) from exc


def _xml_refusal(name: str, exc: Exception) -> ImportFailed:
    if isinstance(exc, DefusedXmlException):
        return ImportFailed(
            f"The .docx's {name} declares a DTD or entities, which Word never writes; "
            "the file is refused."
        )
    if isinstance(exc, SAXParseException):
        # Worded as ElementTree words its errors (which name no "<unknown>" source).
        detail = f"{exc.getMessage()}: line {exc.getLineNumber()}, column {exc.getColumnNumber()}"
    else:
        detail = str(exc)
    return ImportFailed(
        f"The .docx is damaged or forged: its {name} is not well-formed XML ({detail}). "
        "Open it in Word, save it again and upload the new file."
    )


def _member_inflate(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, total: int, limits: Limits, *, xml: bool
) -> int:
    """Inflate one member in chunks, counting (and parsing it if `xml`); the archive's total."""
    parser = _xml_parser(member.filename) if xml else None
    actual = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                actual += len(chunk)
                total += len(chunk)
                if actual > member.file_size:
                    raise ImportFailed(
                        f"The .docx is damaged or forged: {member.filename} inflates past the "
                        f"{member.file_size:,} bytes it declares."
                    )
                if total > limits.max_unpacked_bytes:
                    raise ImportFailed(_too_big_unpacked(total, limits))
                if actual > RATIO_MIN_BYTES and actual > limits.max_ratio * max(
                    member.compress_size, 1
                ):
                    raise ImportFailed(_too_compressed(member, actual, limits))
                if parser is not None:
                    _xml_feed(parser, member.filename, chunk)
        if parser is not None:
            _xml_feed(parser, member.filename, b"", final=True)
    except ImportFailed:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
    ) as exc:
        raise ImportFailed(_damaged(exc)) from exc
    except NotImplementedError as exc:
        raise ImportFailed(
            f"The .docx uses a compression method Word does not write ({member.filename})."
        ) from exc
    return total


def _damaged(exc: BaseException) -> str:
    return (
        "The .docx is damaged or incomplete (" + (str(exc) or type(exc).__name__) + "). "
        "Open it in Word, save it again and upload the new file."
    )


def _too_big_unpacked(size: int, limits: Limits) -> str:
    return (
        f"The .docx would unpack to more than {_megabytes(limits.max_unpacked_bytes)} "
        f"({_megabytes(size)} so far); it is refused as a possible zip bomb."
    )


def _too_compressed(member: zipfile.ZipInfo, size: int, limits: Limits) -> str:
    ratio = size // max(member.compress_size, 1)
    return (
        f"The .docx's {member.filename} is compressed {ratio}:1 (the limit is "
        f"{limits.max_ratio}:1); it is refused as a possible zip bomb."
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


# --- the sandbox ------------------------------------------------------------


def sandboxed(function: Callable[..., T], /, *args: Any, within: Limits, **kwargs: Any) -> T:
    """`function(*args, **kwargs)` in a child process under the time and memory limits `within`.

    The child is forked from a fork server (a clean, single-threaded process),
    never from the web worker itself, whose threads could hold locks. Its
    address space is capped at what it already maps plus `limits.memory_mb`,
    and CPU time at the timeout; the parent kills it when the wall-clock
    timeout passes. `ImportFailed` raised in the child is raised here with the
    same message; any other failure becomes an `ImportFailed` that says the
    document could not be read, and its traceback is logged.
    """
    context = multiprocessing.get_context("forkserver")
    # Takes effect when the fork server starts (once per process): children are
    # forked with the parsers already imported, so each import starts warm.
    context.set_forkserver_preload(list(SANDBOX_PRELOAD))
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(
        target=_child,
        args=(writer, function, args, kwargs, within),
        daemon=True,
        name="vestnik-import",
    )
    process.start()
    writer.close()
    limits = within
    deadline = time.monotonic() + limits.timeout_seconds
    try:
        if not reader.poll(max(deadline - time.monotonic(), 0)):
            raise ImportFailed(
                f"Reading the file took longer than {limits.timeout_seconds:g} seconds and was "
                "stopped. The file may be damaged or built to hang the importer."
            )
        try:
            status, payload = reader.recv()
        except (EOFError, OSError) as exc:
            process.join(5)
            raise ImportFailed(_crashed(process.exitcode, limits)) from exc
    finally:
        reader.close()
        if process.is_alive():
            process.kill()
        process.join(5)
        if process.exitcode is not None:
            process.close()
    if status == "ok":
        result: T = payload
        return result
    if status == "failed":
        raise ImportFailed(str(payload))
    if status == "memory":
        raise ImportFailed(_out_of_memory(limits))
    logger.warning("Import conversion failed in the sandbox:\n%s", payload)
    raise ImportFailed(
        "The document could not be read: it is damaged or uses a structure the importer does "
        f"not understand ({str(payload).strip().splitlines()[-1]})."
    )


def _child(
    writer: Connection,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    limits: Limits,
) -> None:
    _limits_apply(limits)
    # mammoth builds a DOM of every XML part: hundreds of thousands of small
    # objects that the default collector would walk again and again. The child
    # lives for one conversion and its memory is capped, so collect rarely, and
    # never walk what it inherited from the fork server.
    gc.freeze()
    gc.set_threshold(100_000, 20, 100)
    try:
        writer.send(("ok", function(*args, **kwargs)))
    except ImportFailed as exc:
        writer.send(("failed", exc.message))
    except MemoryError:
        writer.send(("memory", ""))
    # The child reports every failure to the parent, which logs it and tells the
    # user the document could not be read; nothing is swallowed.
    except BaseException:  # noqa: BLE001
        writer.send(("error", traceback.format_exc(limit=20)))
    finally:
        writer.close()


def _limits_apply(limits: Limits) -> None:
    budget = limits.memory_mb * 1024 * 1024
    address_space = _address_space_size() + budget
    cpu = int(limits.timeout_seconds) + 1
    for limit, value in ((resource.RLIMIT_AS, address_space), (resource.RLIMIT_CPU, cpu)):
        _soft, hard = resource.getrlimit(limit)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(limit, (value, hard))


def _address_space_size() -> int:
    """The virtual memory this process already maps (the limit is added on top)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _crashed(exit_code: int | None, limits: Limits) -> str:
    if exit_code is not None and exit_code < 0:
        # Killed by a signal: SIGKILL or SIGSEGV from the memory cap, SIGXCPU from the CPU cap.
        return (
            "Reading the file was stopped: it needed more than "
            f"{limits.memory_mb:,} MB of memory or {limits.timeout_seconds:g} seconds."
        )
    return f"Reading the file stopped unexpectedly (exit status {exit_code})."


def _out_of_memory(limits: Limits) -> str:
    return (
        f"Reading the file needed more than {limits.memory_mb:,} MB of memory and was stopped. "
        "The file may be damaged or built to exhaust the server."
    )
