"""Unexpected errors are masked in the answer and logged with the id the answer quotes."""

from __future__ import annotations

import logging
import re

import pytest
import strawberry

from backend.api.errors import MaskInternalErrors
from backend.core.errors import PermissionDenied


@strawberry.type
class Query:
    @strawberry.field
    def broken(self) -> str:
        raise RuntimeError("database password is hunter2")

    @strawberry.field
    def refused(self) -> str:
        raise PermissionDenied("You may not.")


schema = strawberry.Schema(query=Query, extensions=[MaskInternalErrors])


async def test_internal_error_is_masked_and_logged_with_its_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="metricsql.graphql"):
        result = await schema.execute("{ broken }")
    assert result.errors is not None
    [error] = result.errors
    assert "hunter2" not in error.message
    match = re.search(r"id ([0-9a-f]{12})", error.message)
    assert match is not None, error.message
    assert error.extensions == {"code": "INTERNAL", "errorId": match.group(1)}
    logged = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info is not None


async def test_expected_errors_are_not_masked() -> None:
    result = await schema.execute("{ refused }")
    assert result.errors is not None
    assert result.errors[0].message == "You may not."
