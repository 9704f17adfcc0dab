"""HTML articles: the body and metadata extracted offline with trafilatura.

``Article.text`` is the page's title, a blank line, then the extracted body with its paragraphs
separated by blank lines (the title is not repeated when the body already starts with it), so
that an HTML page reads like a ``.txt`` article. Title, author, date, canonical URL and site
name come from the page's metadata (``found[...] = "html-metadata"``); a field the page does not
carry is sniffed from the text as for ``.txt`` files.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

from detente.errors import EmptyInput, NoArticle
from detente.ingest.encoding import decode_html, repair
from detente.ingest.options import IngestOptions
from detente.ingest.sniff import complete_from_text, parse_record_date
from detente.ingest.text import (
    TextResources,
    add_warning,
    check_binary,
    check_english,
    check_size,
    normalise_newlines,
    read_bytes,
)
from detente.model import Article, DateValue

MIN_ARTICLE_WORDS = 20  # less extracted text than this is menus and boilerplate, not an article
NO_ARTICLE_HINT = ("save the article page itself (not an index or front page), "
                   "or paste its text into a .txt file")


def extract_html(data: bytes | str) -> dict[str, Any] | None:
    """Run trafilatura (offline, no downloads) over an HTML document; its fields as a dict."""
    import trafilatura  # slow to import: only when an HTML file is read

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        doc = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, include_tables=True,
            # dates from the page's markup only: htmldate's text search guesses (a year
            # mentioned in the text becomes January 1st); the text sniffer does better
            date_extraction_params={"extensive_search": False, "original_date": True})
    if doc is None:
        return None
    if isinstance(doc, dict):
        return doc
    result: dict[str, Any] = doc.as_dict()
    return result


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = re.sub(r"\s+", " ", repair(value)[0]).strip()
    return value or None


def article_from_html(path: str | Path, data: bytes | str, options: IngestOptions,
                      resources_: TextResources, found: dict[str, str] | None = None) -> Article:
    """Make an Article from an HTML document; raises NoArticle when it holds no article body.

    ``found`` (how the page was decoded, say) is kept in the article's ``found``."""
    try:
        fields = extract_html(data)
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        raise NoArticle(path, f"the HTML could not be parsed ({type(exc).__name__}: {exc})",
                        NO_ARTICLE_HINT) from exc
    body, repaired = repair(normalise_newlines(str((fields or {}).get("text") or "")).strip())
    words = len(body.split())
    if words < MIN_ARTICLE_WORDS:
        raise NoArticle(path, f"no article body found in the HTML (only {words} words of text outside "
                        "menus and boilerplate)", NO_ARTICLE_HINT)
    assert fields is not None
    body = re.sub(r"\n\s*\n*", "\n\n", body)
    title = _clean(fields.get("title"))
    text = body if title is None or body.startswith(title) else f"{title}\n\n{body}"
    if options.check_language:
        check_english(path, text, resources_.language)

    found = {**(found or {}), "extractor": "trafilatura"}
    if repaired:
        add_warning(found, f"the extracted text held {repaired} lone surrogate(s) that cannot be stored; "
                    "each was replaced by U+FFFD")
    published: DateValue | None = None
    date_text = _clean(fields.get("date"))
    if date_text:
        published = parse_record_date(date_text, resources_.sniff)
        if published is not None:
            published = DateValue(published.value, published.precision, how="html-metadata")
    author, url = _clean(fields.get("author")), _clean(fields.get("url"))
    source = _clean(fields.get("sitename"))
    for key, value in (("title", title), ("published", published), ("author", author), ("url", url),
                       ("source", source)):
        if value is not None:
            found[key] = "html-metadata"

    metadata: dict[str, Any] = {"title": title, "published": published, "author": author,
                                "source": source}
    complete_from_text(text, resources_.sniff, metadata, found, file_name=Path(path).name,
                       user_year=options.year)
    return Article(text=text, path=str(path), url=url, found=found, **metadata)


def read_html_file(path: Path, options: IngestOptions, resources_: TextResources) -> Article:
    """Read one ``.html``/``.htm`` article; raises an InputError subclass when it cannot."""
    check_size(path, options)
    data = read_bytes(path)
    check_binary(path, data)
    if not data.strip():
        raise EmptyInput(path, "file holds only whitespace, no HTML", "remove it or save the page again")
    decoded = decode_html(data)
    found = {"encoding": decoded.encoding}
    add_warning(found, decoded.warning)
    return article_from_html(path, decoded.text, options, resources_, found)
