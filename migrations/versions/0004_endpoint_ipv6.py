"""endpoint IPv6 address

Revision ID: 0004_endpoint_ipv6
Revises: 0003
Create Date: 2026-11-26 10:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0004_endpoint_ipv6'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('endpoints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ipv6', sa.String(length=45), nullable=True))
        batch_op.create_index(batch_op.f('ix_endpoints_ipv6'), ['ipv6'], unique=False)


def downgrade():
    # no table to drop; this index backs no foreign key, so dropping it first is safe on MariaDB,
    # and SQLite's batch copy of the table needs it gone before the column goes
    with op.batch_alter_table('endpoints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endpoints_ipv6'))
        batch_op.drop_column('ipv6')
