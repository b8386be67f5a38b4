"""Operations over every stored secret at once (key rotation)."""
from __future__ import annotations

from sqlalchemy import Text, literal, select, type_coerce, update

from zas.extensions import db, vault
from zas.models import CredentialProfile, SnmpProfile

SECRET_COLUMNS = {
    CredentialProfile: ("password", "enable_secret", "private_key"),
    SnmpProfile: ("community", "auth_key", "priv_key"),
}


def rotate_all() -> int:
    """Re-encrypt every secret under the primary key; idempotent. Raises CryptoError if one cannot be read."""
    count = 0
    for model, columns in SECRET_COLUMNS.items():
        table = model.__table__
        for column in columns:
            # read and write the ciphertext as plain text, around the column's encrypting type
            raw = type_coerce(table.c[column], Text)
            rows = db.session.execute(select(table.c.id, raw).where(table.c[column].is_not(None))).all()
            for row_id, token in rows:
                db.session.execute(
                    update(table).where(table.c.id == row_id)
                    .values({column: literal(vault.rotate(token), Text)})
                )
                count += 1
    return count
