"""model authoring as a team setting; invitations as offers

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-10 09:00:00

``teams.model_author_role`` is the least role that may publish model versions (default:
admins and owners). A team whose admins already have an access list keeps admins restricted
and leaves authoring to owners, so the upgrade never widens what anyone can read.
Invitations carrying the owner role are dropped: nobody becomes owner by invitation.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("model_author_role", sa.String(length=10), nullable=False,
                      server_default="admin")
        )
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT team_id, allowed FROM access_lists WHERE role = 'admin'"))
    # ``allowed`` may be SQL NULL or JSON null (both: no restriction); drivers give JSON
    # either decoded (PostgreSQL) or as text (SQLite).
    restricted = [team_id for team_id, allowed in rows if allowed not in (None, "null")]
    for team_id in restricted:
        bind.execute(sa.text("UPDATE teams SET model_author_role = 'owner' WHERE id = :id"),
                     {"id": team_id})
    op.execute("DELETE FROM invitations WHERE role = 'owner'")


def downgrade() -> None:
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("model_author_role")
