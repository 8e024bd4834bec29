"""Data-source connectors: one module per engine behind the Protocol in ``base``.

``connector_for`` is loaded on first use, so that importing ``backend.connectors.base`` (the
gateway engine does) does not import every database driver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backend.connectors.factory import connector_for

__all__ = ["connector_for"]


def __getattr__(name: str) -> Any:
    if name == "connector_for":
        from backend.connectors.factory import connector_for

        return connector_for
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
