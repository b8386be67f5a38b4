"""interface samples: the (resolution, ts) index covers what reports and roll-ups aggregate

Revision ID: 0005_telemetry_covering_index
Revises: 0004_endpoint_ipv6
Create Date: 2026-11-26 01:30:00

A period's samples were read through (resolution, ts) and then fetched row by row by primary
key; with the rates, errors and interface id in the index, the utilization report and the
roll-ups read the index alone.
"""
from alembic import op

revision = '0005_telemetry_covering_index'
down_revision = '0004_endpoint_ipv6'
branch_labels = None
depends_on = None

COVERING = ['resolution', 'ts', 'interface_id', 'in_bps', 'out_bps', 'in_errors', 'out_errors']


def upgrade():
    with op.batch_alter_table('interface_telemetry', schema=None) as batch_op:
        batch_op.drop_index('ix_interface_telemetry_ts')
        batch_op.create_index('ix_interface_telemetry_ts', COVERING, unique=False)


def downgrade():
    with op.batch_alter_table('interface_telemetry', schema=None) as batch_op:
        batch_op.drop_index('ix_interface_telemetry_ts')
        batch_op.create_index('ix_interface_telemetry_ts', ['resolution', 'ts'], unique=False)
