"""Bytes to text, saying how: byte-order marks, UTF-8, else an encoding detected by
charset-normalizer; and text that cannot be stored (lone surrogates) repaired, saying where.

Nothing is garbled silently. :func:`decode` returns the text, the encoding used (recorded as
``Article.found["encoding"]``) and, when the bytes were not clean, a warning that names what was
done (``Article.found["warnings"]``, listed by ``detente ingest``):

* a byte-order mark (UTF-8, UTF-16, UTF-32) decides; bytes the marked encoding cannot decode are
  replaced by U+FFFD, with a warning;
* valid UTF-8 is UTF-8;
* mostly UTF-8 with a few other bytes (a file pasted together from two sources) is read as UTF-8,
  each stray byte as cp1252 (U+FFFD where cp1252 has no character), with a warning that counts
  them and gives the first one's offset;
* otherwise the bytes are in a legacy encoding: charset-normalizer detects it. detente reads
  English news, so cp1252 (Windows Western, a superset of Latin-1's printable range) is taken
  whenever it reads the bytes as well as the best candidate does; another detected encoding is
  used with a warning (a guess over few bytes can be wrong) when it reads the bytes as some
  language. Bytes no encoding explains are read as cp1252 with U+FFFD for the bytes it does not
  define, with a warning.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

CP1252_FALLBACK = "detente-cp1252"  # codecs error handler: a stray byte in UTF-8 read as cp1252
MAX_CHAOS_MARGIN = 0.05  # cp1252 is kept when its "chaos" is this close to the best candidate's
MAX_COHERENCE_MARGIN = 0.1  # ... and its language coherence this close
MIN_COHERENCE = 0.2  # another detected encoding is taken only when it reads as some language

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: FF FE 00 00
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# a complete, valid UTF-8 sequence of two to four bytes (RFC 3629: no overlongs, no surrogates)
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start:exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error(CP1252_FALLBACK, _cp1252_fallback)


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding it was read with, and a warning when bytes were not clean."""

    text: str
    encoding: str
    warning: str | None = None


def decode(data: bytes) -> Decoded:
    """Decode ``data`` as the module docstring says; never raises on any byte string."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding == "utf-8-sig":
                return _utf8(data[len(bom):], "utf-8-sig")
            return _with_bom(data, encoding)
    return _utf8(data, "utf-8")


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""",
                           re.IGNORECASE)
# HTML's rule (WHATWG Encoding): these labels mean windows-1252
_HTML_AS_CP1252 = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii",
                             "windows-1252", "cp1252", "l1"})


def decode_html(data: bytes) -> Decoded:
    """Decode an HTML page: a byte-order mark, else valid UTF-8, else the ``<meta charset>`` the
    page declares when its bytes decode with it, else as :func:`decode` does."""
    if data.startswith(tuple(bom for bom, _ in _BOMS)):
        return decode(data)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared is not None:
        label = declared.group(1).decode("ascii").lower()
        encoding = "cp1252" if label in _HTML_AS_CP1252 else label
        try:
            return Decoded(data.decode(encoding), encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _with_bom(data: bytes, encoding: str) -> Decoded:
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError as exc:
        text = data.decode(encoding, errors="replace")
        return Decoded(text, encoding, f"the file starts with a {encoding.upper()} byte-order mark but "
                       f"holds bytes that are not {encoding.upper()} (the first at byte {exc.start}); "
                       "they were replaced by U+FFFD")


def _utf8(data: bytes, label: str) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), label)
    except UnicodeDecodeError as exc:
        first = exc.start
    non_ascii = len(_NON_ASCII.findall(data))
    in_utf8 = sum(len(m) for m in _UTF8_MULTI.findall(data))
    stray = non_ascii - in_utf8
    # legacy text rarely holds a valid multi-byte UTF-8 sequence by chance ("Ã©"): when a fifth of
    # the non-ASCII bytes form such sequences, the file is UTF-8 with strays
    if label == "utf-8-sig" or in_utf8 * 4 >= stray:
        text = data.decode("utf-8", errors=CP1252_FALLBACK)
        return Decoded(text, label, f"{stray:,} byte(s) are not valid UTF-8 (the first at byte {first:,}) "
                       "and were read as cp1252, U+FFFD where cp1252 has no character; "
                       "the file may mix two encodings: check names and quotes near them")
    return _legacy(data, first)


def _legacy(data: bytes, first: int) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    western = from_bytes(data, cp_isolation=["cp1252"]).best()
    if western is not None and (best is None or (
            western.chaos <= best.chaos + MAX_CHAOS_MARGIN
            and western.coherence >= best.coherence - MAX_COHERENCE_MARGIN)):
        return Decoded(data.decode("cp1252"), "cp1252")
    if best is not None and best.coherence >= MIN_COHERENCE:
        encoding = best.encoding
        text = data.decode(encoding, errors="replace")
        return Decoded(text, encoding, f"the text is not UTF-8; charset-normalizer detected {encoding}, "
                       "a guess that can be wrong: check names and quotes, or save the file as UTF-8")
    text = data.decode("cp1252", errors="replace")
    bad = text.count("\ufffd")
    return Decoded(text, "cp1252", f"the encoding could not be recognised: the text is not UTF-8 (the "
                   f"first stray byte at {first:,}) and no encoding reads it as a language; read as "
                   f"cp1252 with {bad:,} undefined byte(s) replaced by U+FFFD; save the file as UTF-8")


def repair(value: str) -> tuple[str, int]:
    """``value`` with each lone surrogate (``"\\ud800"`` from a JSON escape; such text cannot be
    encoded, hashed or stored) replaced by U+FFFD, and how many were replaced. JSON's escaped
    surrogate pairs are already joined by the parser, so only strays are left."""
    if not _SURROGATE.search(value):
        return value, 0
    return _SURROGATE.subn("\ufffd", value)


def repaired_warning(field: str, count: int) -> str:
    return (f"the {field!r} field held {count} lone surrogate(s) (an unpaired \\ud800-\\udfff escape) "
            "that cannot be stored; each was replaced by U+FFFD")
