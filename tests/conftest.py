"""Shared fixtures; ``tests/`` is on sys.path so test helpers import as ``builders``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def pipeline() -> Any:
    """The bundled pipeline, loaded once for the whole run (a module may define its own)."""
    from detente.pipeline import Pipeline

    return Pipeline.load()
