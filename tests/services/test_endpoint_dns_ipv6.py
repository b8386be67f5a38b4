"""Endpoints: IPv6 neighbours (parsing, storing, searching in the service, API and page) and the
bounded reverse DNS step. Only loopback addresses reach the real resolver (127.0.0.1 is in
/etc/hosts); an address that must not resolve goes to a stand-in resolver, since the system's
DNS server is off this machine."""
from __future__ import annotations

import threading
import time

import pytest

from tests.blueprints.api.helpers import api_as, quick_user
from tests.factories import PASSWORD, make_device, make_org
from zas.extensions import db
from zas.models import Endpoint
from zas.services import endpoints, snmp
from zas.services.snmp import FdbEntry

V6 = "fd00:0:2:a::a"


@pytest.fixture(autouse=True)
def empty_name_cache():
    endpoints.clear_name_cache()
    yield
    endpoints.clear_name_cache()


# --- neighbour table parsing ------------------------------------------------------------------------

def test_ip_net_to_physical_index_is_parsed_for_ipv4_ipv6_and_zoned_forms():
    v6 = "2.2.16." + ".".join(["253", "0"] + ["0"] * 3 + ["2", "0", "10"] + ["0"] * 7 + ["10"])
    assert str(snmp._inet_address(v6)) == V6
    assert str(snmp._inet_address("2.1.4.10.1.2.3")) == "10.1.2.3"
    zoned = "2.4.20.254.128" + ".0" * 13 + ".1" + ".0.0.0.2"  # fe80::1%2
    assert str(snmp._inet_address(zoned)) == "fe80::1"
    for bad in ("2.2.16.1.2", "2.1.5.1.2.3.4.5", "2.9.4.1.2.3.4", "x.1.4.1.2.3.4", "2.1.4.1.2.3.300"):
        assert snmp._inet_address(bad) is None, bad


def test_a_number_in_a_text_type_is_garbage():
    problems = []
    assert snmp.as_int(("OCTETSTR", "12345"), problems, "Gi0/1 ifHCInOctets") is None
    assert snmp.as_int(("COUNTER64", "12345"), problems, "Gi0/1 ifHCInOctets") == 12345
    assert problems == ["Gi0/1 ifHCInOctets: not a number (OCTETSTR)"]


# --- storing and searching --------------------------------------------------------------------------

def learned_endpoint(org):
    device = make_device(org)
    fdb = [FdbEntry(mac="52:54:00:02:02:0a", if_index=2, vlan=10)]
    endpoints.learn(device, fdb, {"52:54:00:02:02:0a": "10.0.2.10"}, arp6={"52:54:00:02:02:0a": V6})
    return db.session.query(Endpoint).filter_by(organization_id=org.id).one()


def test_learn_keeps_the_ipv6_address_and_search_finds_it(org):
    ep = learned_endpoint(org)
    assert (ep.ip, ep.ipv6, ep.vlan) == ("10.0.2.10", V6, 10)
    for q in (V6, "FD00:0000:0002:000A:0000:0000:0000:000A", "fd00:0:2::/48"):
        assert [e.id for e in endpoints.search(q, {org.id})] == [ep.id], q
    assert endpoints.search(V6, {make_org().id}) == []  # scoped
    assert endpoints.search("fd00:0:3::/48", {org.id}) == []
    # a second host with the same IPv6 address is a duplicate
    device = make_device(org)
    endpoints.learn(device, [FdbEntry(mac="52:54:00:02:02:0b", if_index=2)], {},
                    arp6={"52:54:00:02:02:0b": V6})
    assert {e.is_duplicate for e in endpoints.search(V6, {org.id})} == {True}


def test_api_and_page_find_an_endpoint_by_ipv6(client, org):
    ep = learned_endpoint(org)
    api = api_as(client, quick_user(role="viewer", org=org))
    for params in ({"ip": V6.upper()}, {"q": "fd00:0:2:a"}):
        resp = api.get("/endpoints", query_string=params)
        assert resp.status_code == 200 and [e["id"] for e in resp.json] == [ep.id], params
        assert resp.json[0]["ipv6"] == V6
    assert api.get("/endpoints", query_string={"ip": "fd00::99"}).json == []
    user = quick_user(role="viewer", org=org)
    client.post("/login", data={"username": user.username, "password": PASSWORD})
    page = client.get("/endpoints/search", query_string={"q": V6})
    assert page.status_code == 200 and b"52:54:00:02:02:0a" in page.data and V6.encode() in page.data


# --- reverse DNS --------------------------------------------------------------------------------------

def test_the_system_resolver_names_a_loopback_address():
    assert endpoints.reverse_lookup("127.0.0.1") == "localhost"  # /etc/hosts: no DNS server is asked
    assert endpoints.resolve_names(["127.0.0.1"], endpoints.DnsSettings()) == {"127.0.0.1": "localhost"}


def test_dns_off_looks_nothing_up(monkeypatch):
    monkeypatch.setattr(endpoints, "reverse_lookup", lambda a: pytest.fail(f"looked up {a}"))
    assert endpoints.resolve_names(["127.0.0.1"], endpoints.DnsSettings(enabled=False)) == {}


def test_resolution_is_bounded_cached_and_a_failure_keeps_the_old_name(org, monkeypatch):
    """127.0.0.1 resolves for real; 127.0.0.9 has no name; 127.0.0.10 hangs past the budget. The poll
    step returns without waiting for the hung lookup, which fills the cache when it ends."""
    real = endpoints.reverse_lookup
    release, calls = threading.Event(), []

    def resolver(address):
        calls.append(address)
        if address == "127.0.0.1":
            return real(address)
        if address == "127.0.0.10":
            release.wait(60)
            return "late.example"
        return None

    monkeypatch.setattr(endpoints, "reverse_lookup", resolver)
    named = Endpoint(organization_id=org.id, mac="52:54:00:00:00:01", ip="127.0.0.1", hostname="old-1")
    unnamed = Endpoint(organization_id=org.id, mac="52:54:00:00:00:02", ip="127.0.0.9", hostname="old-9")
    hung = Endpoint(organization_id=org.id, mac="52:54:00:00:00:03", ip="127.0.0.10", hostname="old-10")
    db.session.add_all([named, unnamed, hung])
    db.session.flush()
    settings = endpoints.DnsSettings(timeout=0.1, budget=0.2, ttl=3600)

    addresses = endpoints.addresses_to_name(org.id, [named.mac, unnamed.mac, hung.mac])
    names = endpoints.resolve_names(addresses, settings)
    hung_meanwhile = not release.is_set()
    release.set()
    assert hung_meanwhile and names == {"127.0.0.1": "localhost"}
    assert endpoints.apply_hostnames(org.id, names) == 1
    assert (named.hostname, unnamed.hostname, hung.hostname) == ("localhost", "old-9", "old-10")

    deadline = time.monotonic() + 30  # the hung lookup ends once released; its answer is cached
    while "127.0.0.10" in endpoints._PENDING and time.monotonic() < deadline:
        time.sleep(0.01)
    assert endpoints.resolve_names(addresses, settings) == {"127.0.0.1": "localhost", "127.0.0.10": "late.example"}
    assert sorted(calls) == ["127.0.0.1", "127.0.0.10", "127.0.0.9"]  # the second round came from the cache


def test_a_poll_starts_no_more_lookups_than_fit_its_budget(monkeypatch):
    release = threading.Event()
    started = []

    def resolver(address):
        started.append(address)
        release.wait(60)
        return None

    monkeypatch.setattr(endpoints, "reverse_lookup", resolver)
    settings = endpoints.DnsSettings(timeout=0.05, budget=0.1, workers=2)
    try:
        assert endpoints.resolve_names([f"127.0.1.{i}" for i in range(50)], settings) == {}
        assert len(endpoints._PENDING) == 4  # 2 workers x (budget / timeout) rounds; the rest waits for later polls
    finally:
        release.set()
