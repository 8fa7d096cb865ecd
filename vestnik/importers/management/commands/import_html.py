from __future__ import annotations

from vestnik.importers.commands import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import pages saved as HTML from a legacy portal as articles in their authors' blogs: "
        "files, or directories of .html/.htm files. Images on other sites are left out with a "
        "warning (nothing is fetched). Exit status 1 if any file was not imported."
    )
    kind = "html"
    suffixes = (".html", ".htm")
    file_help = "a saved .html page, or a directory of them"
