"""Documentation that must not drift: every setting and every error class is documented."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from backend.core.errors import all_error_classes
from backend.core.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text()
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in text]
    assert not missing, f"undocumented settings in docs/configuration.md: {missing}"


def _import_everything() -> None:
    """Error subclasses register on import: load every module so none is missed."""
    import backend
    import gateway

    for pkg in (backend, gateway):
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            if not info.name.startswith("backend.migrations"):
                importlib.import_module(info.name)


def test_every_error_is_documented_with_its_codes() -> None:
    _import_everything()
    text = (ROOT / "docs" / "errors.md").read_text()
    for cls in all_error_classes():
        row = next((line for line in text.splitlines() if f"`{cls.__name__}`" in line), None)
        assert row is not None, f"{cls.__name__} is missing from docs/errors.md"
        assert f"`{cls.code}`" in row and f"`{cls.sqlstate}`" in row
        assert f" {cls.mysql_errno} " in row


def test_readme_names_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    assert "make run" in text and "make test" in text
