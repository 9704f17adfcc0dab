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


class _LineLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A YAML loader that records the line each mapping starts on (as key ``__line__``)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
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
    try:
        return yaml.load(raw, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DataFileError(path, f"not valid YAML: {getattr(exc, 'problem', exc)}", line) from exc
