"""The GraphQL schema, composed from the per-feature query and mutation types.

``schema.graphql`` at the repository root is this schema's SDL; a test fails when they differ
(regenerate with ``metricsql export-schema > schema.graphql``).
"""

from __future__ import annotations

from typing import Any

import strawberry

from backend.api.errors import MaskInternalErrors
from backend.api.features.accesslists.schema import AccessListMutations, AccessListQueries
from backend.api.features.accounts.mutations import AccountMutations
from backend.api.features.accounts.queries import AccountQueries
from backend.api.features.console.mutations import ConsoleMutations
from backend.api.features.credentials.mutations import CredentialMutations
from backend.api.features.credentials.queries import CredentialQueries
from backend.api.features.datasources.mutations import DataSourceMutations
from backend.api.features.datasources.queries import DataSourceQueries
from backend.api.features.teams.mutations import TeamMutations
from backend.api.features.teams.queries import TeamQueries
from backend.api.limits import DocumentLimits


@strawberry.type
class Query(
    AccountQueries, TeamQueries, DataSourceQueries, AccessListQueries, CredentialQueries
):
    pass


@strawberry.type
class Mutation(
    AccountMutations, TeamMutations, DataSourceMutations, AccessListMutations,
    CredentialMutations, ConsoleMutations,
):
    pass


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        # MaskInternalErrors logs unexpected errors with an id; expected ones need no log.
        return None


schema = Schema(
    query=Query,
    mutation=Mutation,
    extensions=[
        DocumentLimits,  # size, tokens, depth, aliases, introspection: from the settings
        MaskInternalErrors,
    ],
)


def sdl() -> str:
    return schema.as_str() + "\n"
