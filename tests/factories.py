"""Factories as plain functions (`make_device(**overrides)`), and fixtures wrapping them."""
from __future__ import annotations

import itertools

import pytest

from zas.extensions import db
from zas.models import CredentialProfile, Device, Membership, Organization, Site, SnmpProfile, User

_seq = itertools.count(1)
PASSWORD = "correct horse battery"


def make_org(name: str | None = None) -> Organization:
    org = Organization(name=name or f"org-{next(_seq)}")
    db.session.add(org)
    db.session.flush()
    return org


def make_site(org: Organization, name: str | None = None) -> Site:
    site = Site(organization=org, name=name or f"site-{next(_seq)}")
    db.session.add(site)
    db.session.flush()
    return site


def make_user(username: str | None = None, *, role: str | None = None, org: Organization | None = None,
              global_admin: bool = False, password: str = PASSWORD) -> User:
    user = User(username=username or f"user-{next(_seq)}", is_global_admin=global_admin)
    user.set_password(password)
    db.session.add(user)
    if org is not None:
        db.session.add(Membership(user=user, organization=org, role=role or "viewer"))
    db.session.flush()
    return user


def make_credential(org: Organization, **overrides) -> CredentialProfile:
    values = {"name": f"cred-{next(_seq)}", "username": "admin", "password": "s3cret-pass",
              "enable_secret": "en-s3cret"}
    values.update(overrides)
    cred = CredentialProfile(organization=org, **values)
    db.session.add(cred)
    db.session.flush()
    return cred


def make_snmp_profile(org: Organization, **overrides) -> SnmpProfile:
    values = {"name": f"snmp-{next(_seq)}", "version": "2c", "community": "c0mmunity-x"}
    values.update(overrides)
    prof = SnmpProfile(organization=org, **values)
    db.session.add(prof)
    db.session.flush()
    return prof


def make_device(org: Organization, **overrides) -> Device:
    n = next(_seq)
    # loopback, port 1 (closed): a job that reaches such a device fails fast and never leaves the machine
    values = {"name": f"sw-{n:04d}", "host": "127.0.0.1", "port": 1, "snmp_port": 1, "platform": "cisco_ios"}
    values.update(overrides)
    device = Device(organization=org, **values)
    db.session.add(device)
    db.session.flush()
    return device


@pytest.fixture
def org(app):
    return make_org("Acme")


@pytest.fixture
def admin_user(app):
    return make_user("root-admin", global_admin=True)


@pytest.fixture
def device(org):
    return make_device(org, credential=make_credential(org))
