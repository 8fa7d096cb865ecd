"""Picture bytes from an untrusted document → an `ImageDraft` the site can show, or why not.

Only the header is decoded to learn the format and size, except for the few
bitmap formats browsers do not show (BMP, TIFF), which are converted to PNG.
Drawings (EMF, WMF, SVG) and pictures too large to render are left out with a
reason the editor can act on. Runs inside the import sandbox.
"""

from __future__ import annotations

import io
from typing import Final

from PIL import Image, UnidentifiedImageError

from vestnik.articles.drafts import ImageDraft

# Formats every browser shows, with the extension the stored file gets.
WEB_FORMATS: Final = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
CONVERTIBLE_FORMATS: Final = frozenset({"BMP", "TIFF", "PCX", "PPM"})
# Larger pictures would make a worker decode hundreds of megabytes per rendition.
MAX_IMAGE_PIXELS: Final = 40_000_000


def image_draft_checked(data: bytes, name: str) -> ImageDraft | str:
    """An image named `name` plus the right extension, or the reason it is left out."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            kind = picture.format or "unknown"
            width, height = picture.size
            if width * height > MAX_IMAGE_PIXELS:
                return (
                    f"it is {width}×{height} pixels, more than the {MAX_IMAGE_PIXELS:,} a page "
                    "can use; save a smaller copy and add it in the editor."
                )
            if kind in WEB_FORMATS:
                return ImageDraft(filename=f"{name}.{WEB_FORMATS[kind]}", data=data)
            if kind in CONVERTIBLE_FORMATS:
                buffer = io.BytesIO()
                mode = "RGBA" if "A" in picture.getbands() else "RGB"
                picture.convert(mode).save(buffer, format="PNG")
                return ImageDraft(filename=f"{name}.png", data=buffer.getvalue())
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        kind = "unknown"
    if kind == "WMF":
        what = "a Windows metafile (WMF/EMF) drawing"
    elif kind == "unknown":
        what = "in a format browsers cannot show (a drawing: EMF, SVG?)"
    else:
        what = f"in a format browsers cannot show ({kind})"
    return f"it is {what}; export it as PNG or JPEG and add it in the editor."
