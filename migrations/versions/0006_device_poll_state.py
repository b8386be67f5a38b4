"""poll counters: one packed row per device instead of one row per interface

Revision ID: 0006_device_poll_state
Revises: 0005_telemetry_covering_index
Create Date: 2026-11-26 04:10:00

A poll read and upserted a counters row per interface (49 at a 48-port switch); the device's
last counters now live in one `device_poll_state` row, so a poll reads and writes one row. The
counters already stored are carried over, so the first poll after the upgrade still has rates.
"""
from collections import defaultdict

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = '0006_device_poll_state'
down_revision = '0005_telemetry_covering_index'
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql')
OCTETS = sa.BigInteger().with_variant(sa.Numeric(precision=20, scale=0), 'mariadb').with_variant(
    sa.Numeric(precision=20, scale=0), 'mysql')
COUNTERS = ('bits', 'in_octets', 'out_octets', 'in_errors', 'out_errors', 'in_discards', 'out_discards')


def _int(value):
    return int(value) if value is not None else None  # Numeric(20) reads back as Decimal


def upgrade():
    state = op.create_table(
        'device_poll_state',
        sa.Column('device_id', sa.Integer(), nullable=False),
        sa.Column('ts', UTC_DATETIME, nullable=False),
        sa.Column('sys_uptime', sa.BigInteger(), nullable=True),
        sa.Column('counters', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_device_poll_state_device_id_devices'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('device_id', name=op.f('pk_device_poll_state')),
    )
    bind = op.get_bind()
    old = sa.table('interface_counters', sa.column('interface_id'), sa.column('ts', UTC_DATETIME), sa.column('sys_uptime'),
                   *(sa.column(c) for c in COUNTERS))
    interfaces = sa.table('interfaces', sa.column('id'), sa.column('device_id'))
    devices: dict = defaultdict(lambda: {'ts': None, 'sys_uptime': None, 'counters': []})
    for row in bind.execute(sa.select(interfaces.c.device_id, old).join(interfaces, interfaces.c.id == old.c.interface_id)
                            .order_by(interfaces.c.device_id, old.c.interface_id)):
        device = devices[row.device_id]
        if device['ts'] is None or row.ts > device['ts']:
            device['ts'], device['sys_uptime'] = row.ts, _int(row.sys_uptime)
        device['counters'].append([row.interface_id, *(_int(getattr(row, c)) for c in COUNTERS)])
    if devices:
        op.bulk_insert(state, [{'device_id': device_id, **values} for device_id, values in devices.items()])
    op.drop_table('interface_counters')


def downgrade():
    counters = op.create_table(
        'interface_counters',
        sa.Column('interface_id', sa.Integer(), nullable=False),
        sa.Column('ts', UTC_DATETIME, nullable=False),
        sa.Column('sys_uptime', sa.BigInteger(), nullable=True),
        sa.Column('bits', sa.Integer(), nullable=False),
        sa.Column('in_octets', OCTETS, nullable=True),
        sa.Column('out_octets', OCTETS, nullable=True),
        sa.Column('in_errors', sa.BigInteger(), nullable=True),
        sa.Column('out_errors', sa.BigInteger(), nullable=True),
        sa.Column('in_discards', sa.BigInteger(), nullable=True),
        sa.Column('out_discards', sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(['interface_id'], ['interfaces.id'],
                                name=op.f('fk_interface_counters_interface_id_interfaces'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('interface_id', name=op.f('pk_interface_counters')),
    )
    bind = op.get_bind()
    state = sa.table('device_poll_state', sa.column('device_id'), sa.column('ts', UTC_DATETIME), sa.column('sys_uptime'),
                     sa.column('counters', sa.JSON()))
    interfaces = sa.table('interfaces', sa.column('id'))
    alive = {row.id for row in bind.execute(sa.select(interfaces.c.id))}
    rows = [{'interface_id': packed[0], 'ts': row.ts, 'sys_uptime': row.sys_uptime, **dict(zip(COUNTERS, packed[1:]))}
            for row in bind.execute(sa.select(state)) for packed in (row.counters or []) if packed[0] in alive]
    if rows:
        op.bulk_insert(counters, rows)
    op.drop_table('device_poll_state')
