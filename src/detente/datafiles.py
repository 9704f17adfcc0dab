"""Reading detente's YAML data files (dictionaries, lexicons, tables) with line numbers.

Every data file is validated on load; to say *where* an entry is wrong, each mapping is read with
the line it starts on under the key ``__line__``. Dates are kept as strings, for the loaders to
parse and validate themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from detente.errors import DataFileError

# libyaml's parser where PyYAML was built with it (about ten times faster: the actor dictionary
# is read by every process), else the pure-Python one; both give each node its line
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _LineLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A YAML loader that records the line each mapping starts on (as key ``__line__``).

    Data files repeat the same scalars thousands of times (``GOV``, ``Minister of Defence``): the
    implicit type of a plain scalar is resolved once per value, and strings are taken from the
    nodes directly; every other value is built by PyYAML's safe constructor, so the result is
    the same as ``yaml.safe_load`` with lines added and dates kept as strings.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._resolved: dict[tuple[str, tuple[bool, bool]], str] = {}

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and isinstance(value, str):
            key = (value, (bool(implicit[0]), bool(implicit[1])))
            tag = self._resolved.get(key)
            if tag is None:
                tag = self._resolved[key] = super().resolve(kind, value, implicit)
            return tag
        return str(super().resolve(kind, value, implicit))

    def build(self, node: yaml.Node) -> Any:
        """The Python value of ``node``, mappings with their ``__line__``."""
        if isinstance(node, yaml.ScalarNode):
            return node.value if node.tag == _STR_TAG else self.construct_object(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item) for item in node.value]
        if isinstance(node, yaml.MappingNode) and node.tag == yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG \
                and not any(key.tag == _MERGE_TAG for key, _ in node.value):
            mapping = {self.build(key): self.build(value) for key, value in node.value}
            mapping["__line__"] = node.start_mark.line + 1
            return mapping
        return self.construct_object(node, deep=True)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# keep dates as strings: we parse and validate them ourselves
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml_with_lines(path: Path, text: str | None = None) -> Any:
    """Parse a YAML data file, keeping each mapping's line number under ``__line__``."""
    try:
        raw = path.read_text(encoding="utf-8") if text is None else text
    except OSError as exc:
        raise DataFileError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    loader = _LineLoader(raw)
    try:
        node = loader.get_single_node()
        return None if node is None else loader.build(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DataFileError(path, f"not valid YAML: {getattr(exc, 'problem', exc)}", line) from exc
    finally:
        loader.dispose()


SUPPORTED_VERSIONS = frozenset({1})
"""The ``version:`` values of the data-file format this release reads (every data file shares it)."""


def load_data_file(path: Path, text: str | None = None) -> dict[str, Any]:
    """Read a versioned data file: a top-level mapping with ``version: 1``, lines under ``__line__``.

    Raises :class:`DataFileError` (with the file and line) when the file cannot be read, is not
    YAML, is not a mapping, or has a version this release does not read.
    """
    data = load_yaml_with_lines(path, text)
    if not isinstance(data, dict):
        raise DataFileError(path, "expected a mapping with 'version: 1' at the top", 1)
    version = data.get("version")
    if version not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(v) for v in sorted(SUPPORTED_VERSIONS))
        raise DataFileError(path, f"unsupported or missing 'version' ({version!r}); "
                                  f"this release reads version {supported}", data.get("__line__", 1))
    return data


def load_yaml(path: Path, text: str | None = None) -> Any:
    """Parse a YAML file as plain data (no ``__line__`` keys): gold sets, configs, front matter.

    Errors are :class:`DataFileError` with the line, as for the data files.
    """
    try:
        raw = path.read_text(encoding="utf-8") if text is None else text
    except OSError as exc:
        raise DataFileError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        return yaml.load(raw, Loader=_BaseLoader)  # a SafeLoader (libyaml's where built)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DataFileError(path, f"not valid YAML: {getattr(exc, 'problem', exc)}", line) from exc
