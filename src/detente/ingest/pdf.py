"""PDF articles: the text layer extracted with pypdf, then read like a ``.txt`` article.

A PDF whose pages carry no text (a scan) gives :class:`~detente.errors.ScannedPDF`; detente does
no OCR itself.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from detente.errors import BinaryInput, ScannedPDF, UnreadablePath
from detente.ingest.options import IngestOptions
from detente.ingest.text import TextResources, article_from_text, check_size, normalise_newlines, read_bytes
from detente.model import Article

SCANNED_HINT = "run OCR first (e.g. ocrmypdf) and ingest the result"


def extract_pdf_text(path: str | Path, data: bytes) -> tuple[str, int]:
    """The text of every page, pages separated by a blank line, and the number of pages."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise BinaryInput(path, "file is not a PDF (no %PDF header)",
                          "check the file, or give it the suffix of its real type")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadablePath(path, "PDF is encrypted with a password",
                                 "remove the password (e.g. qpdf --decrypt) and ingest the result")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadablePath:
        raise
    except FileNotDecryptedError as exc:
        raise UnreadablePath(path, "PDF is encrypted with a password",
                             "remove the password (e.g. qpdf --decrypt) and ingest the result") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, IndexError,
            RecursionError, ArithmeticError, AssertionError, LookupError, zlib.error,
            struct.error) as exc:
        # pypdf meets damaged files with many kinds of error; each one is this file's problem
        raise BinaryInput(path, f"PDF cannot be read ({type(exc).__name__}: {exc})",
                          "the file may be damaged; re-export or re-download it") from exc
    text = "\n\n".join(normalise_newlines(p).strip() for p in pages)
    return text, len(pages)


def read_pdf_file(path: Path, options: IngestOptions, resources_: TextResources) -> Article:
    """Read one ``.pdf`` article; raises an InputError subclass when it cannot."""
    check_size(path, options)
    data = read_bytes(path)
    text, pages = extract_pdf_text(path, data)
    if not text.strip():
        raise ScannedPDF(path, f"PDF has no text layer (scanned image?); none of its {pages} page(s) "
                         "holds text", SCANNED_HINT)
    return article_from_text(path, text, options, resources_, {"extractor": "pypdf"})
