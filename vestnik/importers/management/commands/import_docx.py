from __future__ import annotations

from vestnik.importers.commands import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import Word manuscripts (.docx) as articles in their authors' blogs: files, or "
        "directories of .docx files. One file prints warnings, created/updated/unchanged and "
        "the article's URL path last; several print a progress bar and a summary table. "
        "Exit status 1 if any file was not imported."
    )
    kind = "docx"
    suffixes = (".docx",)
    file_help = "a .docx manuscript, or a directory of them"
