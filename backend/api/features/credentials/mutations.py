from __future__ import annotations

from typing import Annotated

import strawberry

from backend.api.context import Info
from backend.api.errors import UserError, in_transaction
from backend.api.features.credentials.download import download_tokens
from backend.api.features.credentials.types import (
    CreateSqlCredentialInput,
    DeleteSqlCredentialInput,
    RotateSqlCredentialPasswordInput,
    SqlCredential,
    SqlCredentialSecret,
    UpdateSqlCredentialInput,
)
from backend.core.services import credentials as svc

SqlCredentialResult = Annotated[SqlCredential | UserError,
                                strawberry.union("SqlCredentialResult")]
SqlCredentialSecretResult = Annotated[SqlCredentialSecret | UserError,
                                      strawberry.union("SqlCredentialSecretResult")]


def _secret(info: Info, issued: svc.IssuedCredential) -> SqlCredentialSecret:
    cred = issued.view.credential
    user_id = info.context.actor.require_user()
    token = download_tokens(info.context.services).issue(
        credential_id=cred.id, user_id=user_id, verifier=cred.verifier,
        password=issued.password)
    return SqlCredentialSecret(
        password=issued.password,
        credential=SqlCredential.from_view(info.context.settings, issued.view),
        download_token=token,
    )


@strawberry.type
class CredentialMutations:
    @strawberry.mutation(description="Create a SQL credential for a member and a data source "
                                     "of one team; the password is in this answer only.")
    async def create_sql_credential(self, info: Info, input: CreateSqlCredentialInput
                                    ) -> SqlCredentialSecretResult:
        async def work() -> SqlCredentialSecret:
            issued = await svc.create_credential(info.context.db, info.context.actor,
                                                 str(input.member_id), str(input.data_source_id))
            return _secret(info, issued)

        return await in_transaction(info, work)

    @strawberry.mutation(description="Replace the password (open sessions end); the new one is "
                                     "in this answer only.")
    async def rotate_sql_credential_password(self, info: Info,
                                             input: RotateSqlCredentialPasswordInput
                                             ) -> SqlCredentialSecretResult:
        async def work() -> SqlCredentialSecret:
            issued = await svc.rotate_password(info.context.db, info.context.actor, str(input.id))
            return _secret(info, issued)

        return await in_transaction(info, work)

    @strawberry.mutation(description="Move a credential to another member and/or data source "
                                     "of the same team; the password stays.")
    async def update_sql_credential(self, info: Info, input: UpdateSqlCredentialInput
                                    ) -> SqlCredentialResult:
        async def work() -> SqlCredential:
            view = await svc.update_credential(
                info.context.db, info.context.actor, str(input.id),
                member_id=str(input.member_id) if input.member_id is not None else None,
                data_source_id=(str(input.data_source_id)
                                if input.data_source_id is not None else None))
            return SqlCredential.from_view(info.context.settings, view)

        return await in_transaction(info, work)

    @strawberry.mutation(description="Delete a credential; its open sessions end.")
    async def delete_sql_credential(self, info: Info, input: DeleteSqlCredentialInput
                                    ) -> SqlCredentialResult:
        async def work() -> SqlCredential:
            view = await svc.delete_credential(info.context.db, info.context.actor, str(input.id))
            return SqlCredential.from_view(info.context.settings, view)

        return await in_transaction(info, work)
