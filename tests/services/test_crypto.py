"""Secrets are encrypted at rest, readable with any configured key, and never printed."""
import logging

import pytest
from sqlalchemy import Text, select, type_coerce

from tests.factories import make_credential, make_snmp_profile
from zas.crypto import Secret, generate_key, parse_keys, vault
from zas.errors import ConfigError, CryptoError
from zas.extensions import db
from zas.logs import redact
from zas.models import CredentialProfile
from zas.services import secrets_store


def raw_column(model, column, row_id):
    col = type_coerce(model.__table__.c[column], Text)
    return db.session.execute(select(col).where(model.__table__.c.id == row_id)).scalar_one()


def test_secret_is_stored_encrypted_and_read_back(org):
    cred = make_credential(org, password="p@ss-word-1")
    db.session.expire_all()
    stored = raw_column(CredentialProfile, "password", cred.id)
    assert "p@ss-word-1" not in stored and stored.startswith("gAAAA")
    again = db.session.get(CredentialProfile, cred.id)
    assert again.password.reveal() == "p@ss-word-1"


def test_secret_never_shows_in_repr_str_or_format(org):
    cred = make_credential(org, password="hunter2-topsecret")
    db.session.expire_all()
    cred = db.session.get(CredentialProfile, cred.id)
    for text in (repr(cred), repr(cred.password), str(cred.password), f"{cred.password}", f"{cred.password!s}",
                 repr(cred.__dict__)):
        assert "hunter2-topsecret" not in text


def test_secret_cannot_be_pickled():
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(Secret("x"))


def test_rotation_keeps_old_secrets_readable_and_rewrites_them(app, org):
    old_key = app.config["CREDENTIALS_KEY"]
    cred = make_credential(org, password="rotate-me")
    snmp = make_snmp_profile(org, community="rotate-community")
    db.session.flush()
    new_key = generate_key()
    try:
        vault.configure(f"{new_key},{old_key}")
        db.session.expire_all()
        assert db.session.get(CredentialProfile, cred.id).password.reveal() == "rotate-me"
        before = raw_column(CredentialProfile, "password", cred.id)
        assert secrets_store.rotate_all() >= 3
        assert raw_column(CredentialProfile, "password", cred.id) != before
        vault.configure(new_key)  # the old key is gone: rotated secrets still open
        db.session.expire_all()
        assert db.session.get(CredentialProfile, cred.id).password.reveal() == "rotate-me"
        assert db.session.get(type(snmp), snmp.id).community.reveal() == "rotate-community"
        vault.configure(generate_key())  # a key that never encrypted them
        db.session.expire_all()
        with pytest.raises(CryptoError) as info:
            db.session.get(CredentialProfile, cred.id).password.reveal()
        assert "rotate-me" not in str(info.value)
    finally:
        vault.configure(old_key)


def test_invalid_keys_name_the_setting():
    with pytest.raises(ConfigError, match="ZAS_CREDENTIALS_KEY"):
        parse_keys("")
    with pytest.raises(ConfigError, match="key #2"):
        parse_keys(f"{generate_key()},not-a-key")


def test_log_records_mask_secrets_whatever_the_handler(app, caplog):
    logger = logging.getLogger("zas.test")
    with caplog.at_level(logging.INFO, logger="zas.test"):
        logger.info("connecting with password=%s community: %s", "pa55word", "publ1c")
        logger.info("url %s", "mysql+pymysql://zas:dbpass@db/zas")
    text = caplog.text
    assert "pa55word" not in text and "publ1c" not in text and "dbpass" not in text
    assert "********" in text
    assert redact("enable_secret='abc'") == "enable_secret='********'"
