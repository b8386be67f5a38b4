"""SNMP on easysnmp (Net-SNMP's C bindings): sessions, GETs, multi-column GETBULK walks, and the
collectors for the system group, IF-MIB, CPU/memory, the forwarding tables (BRIDGE/Q-BRIDGE) and
the IPv4/IPv6 neighbour tables.

The only module that imports easysnmp; library exceptions become ZAS's `SnmpError` family here.
OIDs are numeric throughout, so no MIB file is needed at run time. Values come back as plain
Python data (dataclasses, dicts); whatever an agent answers that cannot be parsed becomes None
and a line in `problems`, never an exception.

easysnmp is not thread-safe: every call into it holds one process-wide lock, and the poll job
runs devices serially in a process (`CONCURRENCY = 1`); scale out with more worker processes.

For speed, ZAS's calls lean on how easysnmp 0.2.6's C layer works (it builds answer varbinds by
calling `easysnmp.SNMPVariable`, logs through the "easysnmp.interface" logger, and takes request
varbinds straight from a list): the version is pinned, and a lab test compares ZAS's answers with
stock easysnmp's.
"""
from __future__ import annotations

import ipaddress
import logging
import os
import threading
from dataclasses import dataclass, field
from typing import Iterable

# numeric OIDs only: keep Net-SNMP from loading (and complaining about) every MIB on the system
os.environ.setdefault("MIBS", "")
os.environ.setdefault("MIBDIRS", "/nonexistent")

import easysnmp  # noqa: E402
from easysnmp import interface as easysnmp_interface  # noqa: E402
from easysnmp.exceptions import EasySNMPError, EasySNMPTimeoutError  # noqa: E402
from easysnmp.variables import SNMPVariableList  # noqa: E402

from zas.errors import SnmpAuthFailed, SnmpError, SnmpNoSuchObject, SnmpTimeout  # noqa: E402

_LOCK = threading.RLock()
# Net-SNMP (via easysnmp) segfaults when a v2c session is freed after a v3 session was opened
# alongside it: one open session per process at a time. Another thread waits for the slot; the
# same thread opening a second session closes its first.
_SLOT = threading.Condition()
_SLOT_STATE: dict = {"session": None, "thread": None}
SLOT_WAIT = 900.0


class Varbind:
    """One answer varbind, as easysnmp's C layer fills it: the attributes of `easysnmp.SNMPVariable`
    without its Python `__setattr__`, which re-converts every attribute to str (the C layer already
    sets str): that hook cost ~1.4 µs per varbind, about a fifth of a poll's CPU. ZAS's calls have
    the C layer build these instead (`Session._call`); other easysnmp users keep the stock class.

    No `__init__`: the C layer creates one per answer varbind and sets all four attributes
    itself (it only checks that `oid` exists), so creation stays in C."""

    oid = oid_index = value = snmp_type = None

    @classmethod
    def request(cls, oid: str) -> "Varbind":
        var = cls()
        var.oid, var.oid_index = oid, ""
        return var


_STOCK_VARIABLE = easysnmp.SNMPVariable
# the C layer also sends two DEBUG lines per varbind through this logger: ~1,400 calls into Python's
# logging per 48-port poll, ~0.5 ms of CPU to be told DEBUG is off. ZAS's calls skip them unless
# somebody turned this logger's DEBUG on
_LIBRARY_LOG = logging.getLogger("easysnmp.interface")


def _no_debug(message, *args, **kwargs) -> None:
    return None

# SNMPv2-MIB system group
SYS_DESCR, SYS_OBJECT_ID, SYS_UPTIME, SYS_NAME = (f"1.3.6.1.2.1.1.{n}.0" for n in (1, 2, 3, 5))
IF_NUMBER = "1.3.6.1.2.1.2.1.0"  # ifNumber: how many rows the interface walk should expect
SYSTEM_OIDS = (SYS_DESCR, SYS_OBJECT_ID, SYS_UPTIME, SYS_NAME, IF_NUMBER)
SMALL_TABLE = 6  # first GETBULK size for tables often small or absent (CPU, storage, forwarding, ARP)
# IF-MIB ifTable / ifXTable columns
IF = "1.3.6.1.2.1.2.2.1"
IFX = "1.3.6.1.2.1.31.1.1.1"
IF_DESCR, IF_TYPE, IF_MTU, IF_SPEED, IF_PHYS = (f"{IF}.{n}" for n in (2, 3, 4, 5, 6))
IF_ADMIN, IF_OPER = f"{IF}.7", f"{IF}.8"
IF_IN_OCTETS, IF_IN_DISCARDS, IF_IN_ERRORS = f"{IF}.10", f"{IF}.13", f"{IF}.14"
IF_OUT_OCTETS, IF_OUT_DISCARDS, IF_OUT_ERRORS = f"{IF}.16", f"{IF}.19", f"{IF}.20"
IF_NAME, IF_HC_IN, IF_HC_OUT, IF_HIGH_SPEED, IF_ALIAS = (f"{IFX}.{n}" for n in (1, 6, 10, 15, 18))
# HOST-RESOURCES-MIB
HR_PROCESSOR_LOAD = "1.3.6.1.2.1.25.3.3.1.2"
HR_STORAGE_TYPE, HR_STORAGE_UNITS, HR_STORAGE_SIZE, HR_STORAGE_USED = (
    f"1.3.6.1.2.1.25.2.3.1.{n}" for n in (2, 4, 5, 6))
HR_STORAGE_RAM = "1.3.6.1.2.1.25.2.1.2"
# CISCO-PROCESS-MIB cpmCPUTotal5minRev, CISCO-MEMORY-POOL-MIB used/free
CISCO_CPU_5MIN = "1.3.6.1.4.1.9.9.109.1.1.1.1.8"
CISCO_MEM_USED, CISCO_MEM_FREE = "1.3.6.1.4.1.9.9.48.1.1.1.5", "1.3.6.1.4.1.9.9.48.1.1.1.6"
CISCO_ENTERPRISE = "1.3.6.1.4.1.9."
# BRIDGE-MIB, Q-BRIDGE-MIB, IP-MIB
DOT1D_BASE_PORT_IFINDEX = "1.3.6.1.2.1.17.1.4.1.2"
DOT1D_FDB_PORT, DOT1D_FDB_STATUS = "1.3.6.1.2.1.17.4.3.1.2", "1.3.6.1.2.1.17.4.3.1.3"
DOT1Q_FDB_PORT, DOT1Q_FDB_STATUS = "1.3.6.1.2.1.17.7.1.2.2.1.2", "1.3.6.1.2.1.17.7.1.2.2.1.3"
DOT1Q_VLAN_FDB_ID = "1.3.6.1.2.1.17.7.1.4.2.1.3"  # dot1qVlanCurrentTable: TimeMark.VlanIndex → FID
IP_NET_TO_MEDIA_PHYS = "1.3.6.1.2.1.4.22.1.2"
# ipNetToPhysicalTable (RFC 4293): index ifIndex.addressType.length.address, IPv4 and IPv6 alike
IP_NET_TO_PHYSICAL_PHYS, IP_NET_TO_PHYSICAL_TYPE = "1.3.6.1.2.1.4.35.1.4", "1.3.6.1.2.1.4.35.1.6"
NEIGHBOUR_SKIP = {2, 5}  # ipNetToPhysicalType invalid(2) and local(5, the device's own address)
INET_ADDRESS_LENGTH = {1: 4, 2: 16, 3: 8, 4: 20}  # ipv4, ipv6, ipv4z, ipv6z (zoned: address + zone index)
FDB_LEARNED = 3  # dot1dTpFdbStatus learned(3); other(1), invalid(2), self(4), mgmt(5) are not end hosts

IF_STATUS = {1: "up", 2: "down", 3: "testing", 4: "unknown", 5: "dormant", 6: "notPresent", 7: "lowerLayerDown"}
ADMIN_STATUS = {1: "up", 2: "down", 3: "testing"}
POLL_COLUMNS = (IF_NAME, IF_DESCR, IF_ALIAS, IF_ADMIN, IF_OPER, IF_SPEED, IF_HIGH_SPEED, IF_HC_IN, IF_HC_OUT,
                IF_IN_ERRORS, IF_OUT_ERRORS, IF_IN_DISCARDS, IF_OUT_DISCARDS)
DISCOVER_COLUMNS = POLL_COLUMNS + (IF_TYPE, IF_MTU, IF_PHYS)
MAX_COUNTER = {32: 2**32 - 1, 64: 2**64 - 1}
ERROR_VALUES = {"NOSUCHOBJECT", "NOSUCHINSTANCE", "ENDOFMIBVIEW"}
# easysnmp's names of the types that carry no number: digits in an OCTET STRING are still garbage
NOT_NUMBERS = {"OCTETSTR", "OBJECTID", "IPADDR", "NETADDR", "BITS", "OPAQUE", "NULL"}
V3_LEVELS = {"noAuthNoPriv": "no_auth_or_privacy", "authNoPriv": "auth_without_privacy",
             "authPriv": "auth_with_privacy"}


@dataclass(frozen=True)
class SnmpSettings:
    """Timeout (seconds) and retries per request, and GETBULK max-repetitions."""

    timeout: float = 1.0
    retries: int = 1
    max_repetitions: int = 25

    @classmethod
    def from_config(cls, config) -> "SnmpSettings":
        return cls(timeout=float(config.get("SNMP_TIMEOUT", 1.0)), retries=int(config.get("SNMP_RETRIES", 1)),
                   max_repetitions=int(config.get("SNMP_MAX_REPETITIONS", 25)))


@dataclass(frozen=True)
class SnmpCredentials:
    """One SNMP profile's access data, copied out of the ORM row (secrets stay `Secret`s until used)."""

    profile_id: int | None
    version: str
    community: object = field(default=None, repr=False)
    username: str | None = None
    auth_protocol: str | None = None
    auth_key: object = field(default=None, repr=False)
    priv_protocol: str | None = None
    priv_key: object = field(default=None, repr=False)

    @classmethod
    def from_profile(cls, profile) -> "SnmpCredentials":
        return cls(profile_id=profile.id, version=profile.version, community=profile.community,
                   username=profile.username, auth_protocol=profile.auth_protocol, auth_key=profile.auth_key,
                   priv_protocol=profile.priv_protocol, priv_key=profile.priv_key)

    @property
    def security_level(self) -> str | None:
        if self.version != "3":
            return None
        if self.auth_key and self.priv_key:
            return "authPriv"
        return "authNoPriv" if self.auth_key else "noAuthNoPriv"


@dataclass(frozen=True)
class SnmpTarget:
    """Where a device's agent is and the profiles to try, in order (its remembered one first)."""

    device_id: int | None
    name: str
    host: str
    port: int = 161
    credentials: tuple[SnmpCredentials, ...] = ()
    retries: int | None = None  # None: the settings' retries; 0 for a device already known down
    remembered: bool = False  # the first profile answered before: a silent agent is down, not misconfigured


def _reveal(secret) -> str:
    if secret is None:
        return ""
    return secret.reveal() if hasattr(secret, "reveal") else str(secret)


def _translate(exc: Exception, host: str) -> SnmpError:
    """easysnmp's exception → ZAS's; the message never carries a community or key."""
    if isinstance(exc, EasySNMPTimeoutError):
        return SnmpTimeout(f"no SNMP answer from {host}")
    text = str(exc)
    lowered = text.lower()
    if any(s in lowered for s in ("authentication", "unknown user", "security level", "decrypt", "wrong digest",
                                  "unknown engine")):
        return SnmpAuthFailed(f"{host} refused the SNMP credentials ({text.split('(')[0].strip()})")
    return SnmpError(f"SNMP error from {host}: {type(exc).__name__}")


class Session:
    """An open SNMP session to one agent with one set of credentials. Use as a context manager."""

    def __init__(self, target: SnmpTarget, credentials: SnmpCredentials, settings: SnmpSettings):
        self.target, self.credentials, self.settings = target, credentials, settings
        self.requests = 0
        self.system_answer: dict | None = None  # the profile check's system group GET, for the poll
        retries = settings.retries if target.retries is None else target.retries
        kwargs = dict(hostname=target.host, remote_port=int(target.port), timeout=float(settings.timeout),
                      retries=int(retries), use_numeric=True, use_sprint_value=False, use_enums=False)
        if credentials.version == "3":
            level = credentials.security_level
            kwargs.update(version=3, security_level=V3_LEVELS[level], security_username=credentials.username or "")
            if level in ("authNoPriv", "authPriv"):
                kwargs.update(auth_protocol=credentials.auth_protocol or "SHA",
                              auth_password=_reveal(credentials.auth_key))
            if level == "authPriv":
                kwargs.update(privacy_protocol=credentials.priv_protocol or "AES",
                              privacy_password=_reveal(credentials.priv_key))
        else:
            kwargs.update(version=2, community=_reveal(credentials.community))
        self._session = None
        self._take_slot()
        try:
            with _LOCK:
                self._session = easysnmp.Session(**kwargs)
        except EasySNMPError as exc:
            self.close()
            raise _translate(exc, target.host) from None
        except (SystemError, ValueError, OverflowError) as exc:
            self.close()
            raise SnmpError(f"cannot open an SNMP session to {target.host}: {type(exc).__name__}") from None

    def _take_slot(self) -> None:
        me = threading.get_ident()
        with _SLOT:
            held = _SLOT_STATE["session"]
            if held is not None and _SLOT_STATE["thread"] == me:
                held._release()
            elif not _SLOT.wait_for(lambda: _SLOT_STATE["session"] is None, timeout=SLOT_WAIT):
                raise SnmpError("another SNMP session in this process did not finish in time")
            _SLOT_STATE.update(session=self, thread=me)

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Free the Net-SNMP session now rather than whenever the garbage collector gets to it."""
        with _SLOT:
            self._release()

    def _release(self) -> None:
        with _LOCK:
            session = getattr(self, "_session", None)
            if session is not None:
                session.sess_ptr = None
                self._session = None
        if _SLOT_STATE["session"] is self:
            _SLOT_STATE.update(session=None, thread=None)
            _SLOT.notify_all()

    def _call(self, method: str, *args):
        self.requests += 1
        try:
            with _LOCK:
                if self._session is None:
                    raise SnmpError(f"the SNMP session to {self.target.host} is closed")
                # the C layer makes each answer's varbind by calling `easysnmp.SNMPVariable()`
                easysnmp.SNMPVariable = Varbind
                quiet = not _LIBRARY_LOG.isEnabledFor(logging.DEBUG)
                if quiet:
                    _LIBRARY_LOG.debug = _no_debug  # the instance's, not Logger's: only this logger
                try:
                    if method == "get_bulk":
                        return self._get_bulk(*args)
                    return getattr(self._session, method)(*args)
                finally:
                    easysnmp.SNMPVariable = _STOCK_VARIABLE
                    if quiet:
                        _LIBRARY_LOG.__dict__.pop("debug", None)
        except EasySNMPError as exc:
            raise _translate(exc, self.target.host) from None
        except (SystemError, ValueError, TypeError, UnicodeDecodeError) as exc:
            # easysnmp's C layer raises these on malformed answers
            raise SnmpError(f"malformed SNMP answer from {self.target.host}: {type(exc).__name__}") from None

    def _get_bulk(self, oids: list[str], non_repeaters: int, max_repetitions: int) -> list:
        """easysnmp's `Session.get_bulk` without its request list of stock variables (each parses its
        OID with a regular expression, ~0.4 ms per poll): the C layer reads a request varbind's
        `oid` and `oid_index` and replaces the list's content with the answer."""
        varlist = SNMPVariableList(Varbind.request(oid) for oid in oids)
        easysnmp_interface.getbulk(self._session, non_repeaters, max_repetitions, varlist)
        return varlist

    def get(self, oids: Iterable[str]) -> dict[str, tuple[str, str] | None]:
        """GET the OIDs in one request: {oid: (snmp_type, value)}, None where the agent has no such object."""
        oids = [o.lstrip(".") for o in oids]
        if not oids:
            return {}
        out: dict[str, tuple[str, str] | None] = dict.fromkeys(oids)
        for wanted, var in zip(oids, self._call("get", ["." + o for o in oids])):
            if var.snmp_type not in ERROR_VALUES and var.value not in ERROR_VALUES:
                out[wanted] = (var.snmp_type, var.value)
        return out

    def walk(self, columns: Iterable[str], max_repetitions: int | None = None, *, rows: int | None = None,
             first: int | None = None) -> dict[str, dict[str, tuple]]:
        """Walk table columns side by side with GETBULK: {column: {index: (snmp_type, value)}}.

        One request carries every unfinished column, so a table of N rows and C columns costs
        about N/max_repetitions round trips rather than C*N/max_repetitions. Truncated and
        sparse answers are handled: each column continues from its own last index.

        Each answer past a column's end is wasted work on both sides, so the repetitions asked
        for follow what is expected: with `rows` (the table's expected size, e.g. ifNumber) just
        enough to reach one past the end; with `first`, that many at first (a table that is
        usually small or absent: forwarding, neighbours), four times more each round after.
        Expectations only size the requests; a walk always runs until every column has ended.
        """
        cap = max(1, int(max_repetitions or self.settings.max_repetitions))
        reps = max(1, min(cap, int(first))) if first else cap
        columns = [c.strip(".") for c in columns]
        result: dict[str, dict[str, tuple]] = {c: {} for c in columns}
        # answers name the column (".1.3...") and the last index arc separately; a one-arc index
        # is the usual case and needs no string building
        dotted = {c: "." + c for c in columns}
        cursor = {c: c for c in columns}
        active = list(columns)
        guard = 0
        while active:
            guard += 1
            if guard > 10_000:  # an agent that never ends a column (looping OIDs)
                break
            if rows:
                reps = max(1, min(cap, rows - min(len(result[c]) for c in active) + 1))
            varbinds = self._call("get_bulk", ["." + cursor[c] for c in active], 0, reps)
            if not varbinds:
                break
            width = len(active)
            still = []
            for position, column in enumerate(active):
                table, prefix, start = result[column], dotted[column], cursor[column]
                previous, ended = start, False
                for var in varbinds[position::width]:
                    if var.oid == prefix and var.oid_index:
                        index = var.oid_index
                        oid = f"{column}.{index}"
                    else:
                        oid = var.oid.lstrip(".")
                        if var.oid_index:
                            oid = f"{oid}.{var.oid_index}"
                        if not oid.startswith(column + "."):
                            ended = True
                            break
                        index = oid[len(column) + 1:]
                    if var.snmp_type == "ENDOFMIBVIEW":
                        ended = True
                        break
                    # a looping agent answers at or before where the request started: compare
                    # numerically once per column and answer (the first varbind; anything under
                    # the column follows the column itself), cheaply after
                    if oid == previous or (previous == start != column and not _oid_after(oid, previous)):
                        ended = True
                        break
                    table[index] = (var.snmp_type, var.value)
                    previous = oid
                if previous != start and not ended:
                    cursor[column] = previous
                    still.append(column)
            active = still
            if not rows:
                reps = min(cap, reps * 4)
        return result


def _oid_after(oid: str, than: str) -> bool:
    head, _, last = oid.rpartition(".")
    than_head, _, than_last = than.rpartition(".")
    if head == than_head and last.isdigit() and than_last.isdigit():
        return int(last) > int(than_last)  # the usual case: the next row of a one-arc index
    try:
        return tuple(map(int, oid.split("."))) > tuple(map(int, than.split(".")))
    except ValueError:
        return False


def probe_alive(host: str, port: int, settings: SnmpSettings) -> bool:
    """Does anything speak SNMP at host:port? A v3 request with an unknown user gets a report
    (unknownUserName) from any live agent whatever its communities, so a timeout means down."""
    creds = SnmpCredentials(profile_id=None, version="3", username="zas-probe")
    target = SnmpTarget(device_id=None, name=host, host=host, port=port, retries=0)
    try:
        with Session(target, creds, settings) as session:
            session.get([SYS_UPTIME])
    except SnmpTimeout:
        return False
    except SnmpError:
        return True
    return True


def connect(target: SnmpTarget, settings: SnmpSettings) -> tuple[Session, SnmpCredentials]:
    """Open a session with the first of the target's profiles that answers (a GET of sysUpTime).

    Returns (session, credentials used); the caller remembers `credentials.profile_id`.
    Raises SnmpTimeout when the agent does not answer at all, SnmpAuthFailed when it answers
    but refuses every profile, SnmpError when there is no profile to try.
    """
    if not target.credentials:
        raise SnmpError("no SNMP profile: give the device one or add one to its organization")
    failures: list[SnmpError] = []
    alive = None
    for n, creds in enumerate(target.credentials):
        try:
            return _try_profile(target, creds, settings), creds
        except SnmpError as exc:
            failures.append(exc)
            if n == 0 and isinstance(exc, SnmpTimeout):
                # a v2c agent drops a wrong community silently: tell "down" from "refused", cheaply
                alive = probe_alive(target.host, target.port, settings)
                if not alive and target.remembered:
                    raise SnmpTimeout(f"no SNMP answer from {target.host}:{target.port}") from None
    if all(isinstance(f, SnmpTimeout) for f in failures):
        if not alive:
            raise SnmpTimeout(f"no SNMP answer from {target.host}:{target.port} to any of {len(failures)} "
                              "profile(s) (agent down, or it drops every community tried)")
        try:  # the agent may have just come back (a reload): one more try before blaming the profiles
            return _try_profile(target, target.credentials[0], settings), target.credentials[0]
        except SnmpTimeout:
            pass
    if any(isinstance(f, (SnmpAuthFailed, SnmpTimeout)) for f in failures):
        raise SnmpAuthFailed(f"{target.host}:{target.port} answers SNMP but refused all "
                             f"{len(failures)} profile(s) tried (wrong community or v3 user/keys)")
    raise failures[-1]


def _try_profile(target: SnmpTarget, creds: SnmpCredentials, settings: SnmpSettings) -> Session:
    """A session with `creds` that got an answer: the system group, which the poll reads first
    anyway (`read_system` takes it from here rather than asking twice)."""
    session = Session(target, creds, settings)
    try:
        values = session.get(SYSTEM_OIDS)
        if values[SYS_UPTIME] is None:
            # answered but hides sysUpTime: a view that excludes MIB-2 is no use to us
            raise SnmpNoSuchObject(f"{target.host} answered but has no sysUpTime in this profile's view")
        session.system_answer = values
    except SnmpError:
        session.close()
        raise
    return session


# --- value parsing: anything odd becomes None, and the caller hears about it -----------------------

def as_int(item, problems: list | None = None, what: str = "value", minimum: int | None = 0,
           maximum: int | None = None) -> int | None:
    if item is None:
        return None
    snmp_type, value = item
    try:
        if snmp_type in NOT_NUMBERS:
            raise ValueError(snmp_type)
        number = int(value)
    except (TypeError, ValueError):
        if problems is not None:
            problems.append(f"{what}: not a number ({snmp_type})")
        return None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        if problems is not None:
            problems.append(f"{what}: out of range")
        return None
    return number


def as_text(item, limit: int = 255) -> str | None:
    if item is None:
        return None
    value = item[1]
    if not isinstance(value, str):
        return None
    if not value.isprintable():
        value = "".join(ch for ch in value if ch.isprintable())
    value = value.strip()
    return value[:limit] or None


def as_mac(item) -> str | None:
    if item is None:
        return None
    raw = item[1]
    try:
        data = raw.encode("latin-1") if isinstance(raw, str) else bytes(raw)
    except (UnicodeEncodeError, TypeError, ValueError):
        return None
    if len(data) != 6 or data == b"\x00" * 6:
        return None
    return ":".join(f"{b:02x}" for b in data)


def mac_from_index(index: str) -> str | None:
    """The MAC in a table index made of its six octets ("0.17.34.51.68.85")."""
    try:
        octets = [int(x) for x in index.split(".")]
    except ValueError:
        return None
    if len(octets) != 6 or any(not 0 <= o <= 255 for o in octets):
        return None
    return ":".join(f"{o:02x}" for o in octets)


# --- collectors ---------------------------------------------------------------------------------

@dataclass
class SystemInfo:
    """The SNMPv2-MIB system group."""

    name: str | None = None
    descr: str | None = None
    object_id: str | None = None
    uptime_ticks: int | None = None  # hundredths of a second
    if_number: int | None = None  # ifNumber, sizes the interface walk's requests


@dataclass
class IfSample:
    """One interface's row: identity, state and raw counters as read."""

    if_index: int
    name: str | None = None
    descr: str | None = None
    alias: str | None = None
    if_type: int | None = None
    mtu: int | None = None
    mac: str | None = None
    admin_status: str | None = None
    oper_status: str | None = None
    speed: int | None = None  # bits per second; None unknown
    bits: int = 64
    in_octets: int | None = None
    out_octets: int | None = None
    in_errors: int | None = None
    out_errors: int | None = None
    in_discards: int | None = None
    out_discards: int | None = None

    @property
    def label(self) -> str:
        return self.name or self.descr or f"ifIndex {self.if_index}"


@dataclass
class PollData:
    """Everything one poll read from a device."""

    system: SystemInfo
    interfaces: list[IfSample]
    cpu_percent: float | None = None
    mem_used: int | None = None
    mem_total: int | None = None
    problems: list[str] = field(default_factory=list)
    requests: int = 0


def read_system(session: Session, problems: list) -> SystemInfo:
    values, session.system_answer = session.system_answer, None  # fresh from `connect`, or ask now
    if values is None:
        values = session.get(SYSTEM_OIDS)
    object_id = values.get(SYS_OBJECT_ID)
    return SystemInfo(
        name=as_text(values.get(SYS_NAME)), descr=as_text(values.get(SYS_DESCR), 2000),
        object_id=object_id[1].lstrip(".") if object_id and object_id[0] == "OBJECTID" else None,
        uptime_ticks=as_int(values.get(SYS_UPTIME), problems, "sysUpTime", 0, 2**32 - 1),
        if_number=as_int(values.get(IF_NUMBER), None, "ifNumber", 0, 2**31 - 1),  # only a hint: not checked
    )


def read_interfaces(session: Session, problems: list, columns=POLL_COLUMNS,
                    rows: int | None = None) -> list[IfSample]:
    """ifTable/ifXTable: 64-bit HC counters where present, 32-bit ifIn/OutOctets otherwise. `rows`
    (ifNumber) sizes the walk's requests."""
    table = session.walk(columns, rows=rows)
    indexes = set()
    for column in columns:
        indexes.update(table.get(column, {}))
    rows = []
    need_32 = []
    for index in sorted(indexes, key=_index_key):
        try:
            if_index = int(index)
        except ValueError:
            problems.append("ifTable: non-integer ifIndex")
            continue
        if not 0 < if_index < 2**31:
            problems.append("ifTable: ifIndex out of range")
            continue
        col = {c: table.get(c, {}).get(index) for c in columns}
        sample = IfSample(if_index=if_index, name=as_text(col.get(IF_NAME), 128), descr=as_text(col.get(IF_DESCR)),
                          alias=as_text(col.get(IF_ALIAS)))
        label = sample.label
        sample.admin_status = ADMIN_STATUS.get(as_int(col.get(IF_ADMIN), problems, f"{label} ifAdminStatus"))
        sample.oper_status = IF_STATUS.get(as_int(col.get(IF_OPER), problems, f"{label} ifOperStatus"))
        high = as_int(col.get(IF_HIGH_SPEED), problems, f"{label} ifHighSpeed", 0, 2**32 - 1)
        low = as_int(col.get(IF_SPEED), problems, f"{label} ifSpeed", 0, 2**32 - 1)
        if high:
            sample.speed = high * 1_000_000
        elif low and low != 2**32 - 1:
            sample.speed = low
        # speed 0 or absent: unknown (stored as None), not "a 0 bps link"
        sample.in_octets = as_int(col.get(IF_HC_IN), problems, f"{label} ifHCInOctets", 0, MAX_COUNTER[64])
        sample.out_octets = as_int(col.get(IF_HC_OUT), problems, f"{label} ifHCOutOctets", 0, MAX_COUNTER[64])
        if col.get(IF_HC_IN) is None and col.get(IF_HC_OUT) is None:
            sample.bits = 32
            need_32.append(sample)
        elif col.get(IF_HC_IN) is None or col.get(IF_HC_OUT) is None:
            # half an HC pair is a broken agent, not a 32-bit interface: the missing side stays unknown
            problems.append(f"{label} {'ifHCInOctets' if col.get(IF_HC_IN) is None else 'ifHCOutOctets'}: missing")
        for attr, column in (("in_errors", IF_IN_ERRORS), ("out_errors", IF_OUT_ERRORS),
                             ("in_discards", IF_IN_DISCARDS), ("out_discards", IF_OUT_DISCARDS)):
            setattr(sample, attr, as_int(col.get(column), problems, f"{label} {attr}", 0, MAX_COUNTER[32]))
        if IF_TYPE in col:
            sample.if_type = as_int(col.get(IF_TYPE), problems, f"{label} ifType")
            sample.mtu = as_int(col.get(IF_MTU), problems, f"{label} ifMtu", 0, 2**31 - 1)
            sample.mac = as_mac(col.get(IF_PHYS))
        rows.append(sample)
    # only the interfaces without HC counters cost the 32-bit columns, in GETs of 20 varbinds
    for chunk in _chunks(need_32, 10):
        oids = [o for s in chunk for o in (f"{IF_IN_OCTETS}.{s.if_index}", f"{IF_OUT_OCTETS}.{s.if_index}")]
        values = session.get(oids)
        for s in chunk:
            s.in_octets = as_int(values.get(f"{IF_IN_OCTETS}.{s.if_index}"), problems,
                                 f"{s.label} ifInOctets", 0, MAX_COUNTER[32])
            s.out_octets = as_int(values.get(f"{IF_OUT_OCTETS}.{s.if_index}"), problems,
                                  f"{s.label} ifOutOctets", 0, MAX_COUNTER[32])
    return rows


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _index_key(index: str):
    try:
        return tuple(int(x) for x in index.split("."))
    except ValueError:
        return (2**32,)


def read_health(session: Session, system: SystemInfo, problems: list) -> tuple[float | None, int | None, int | None]:
    """CPU percent and memory used/total bytes: Cisco's MIBs on Cisco agents, HOST-RESOURCES otherwise
    (and as the fallback when a Cisco agent lacks its own)."""
    cpu = used = total = None
    if (system.object_id or "").startswith(CISCO_ENTERPRISE):
        table = session.walk([CISCO_CPU_5MIN, CISCO_MEM_USED, CISCO_MEM_FREE], first=SMALL_TABLE)
        loads = [v for v in (as_int(x, problems, "cpmCPUTotal5minRev", 0, 100)
                             for x in table[CISCO_CPU_5MIN].values()) if v is not None]
        if loads:
            cpu = float(sum(loads)) / len(loads)
        pool_used = [as_int(x, problems, "ciscoMemoryPoolUsed") for x in table[CISCO_MEM_USED].values()]
        pool_free = [as_int(x, problems, "ciscoMemoryPoolFree") for x in table[CISCO_MEM_FREE].values()]
        if pool_used and None not in pool_used and None not in pool_free and len(pool_used) == len(pool_free):
            used, total = sum(pool_used), sum(pool_used) + sum(pool_free)
        if cpu is not None and used is not None:
            return cpu, used, total
    table = session.walk([HR_PROCESSOR_LOAD, HR_STORAGE_TYPE], first=SMALL_TABLE)
    if cpu is None:
        loads = [v for v in (as_int(x, problems, "hrProcessorLoad", 0, 100)
                             for x in table[HR_PROCESSOR_LOAD].values()) if v is not None]
        if loads:
            cpu = float(sum(loads)) / len(loads)
    if used is None:
        ram = [i for i, item in table[HR_STORAGE_TYPE].items() if item[1].lstrip(".") == HR_STORAGE_RAM]
        if ram:
            i = ram[0]
            values = session.get([f"{HR_STORAGE_UNITS}.{i}", f"{HR_STORAGE_SIZE}.{i}", f"{HR_STORAGE_USED}.{i}"])
            units = as_int(values[f"{HR_STORAGE_UNITS}.{i}"], problems, "hrStorageAllocationUnits", 1)
            size = as_int(values[f"{HR_STORAGE_SIZE}.{i}"], problems, "hrStorageSize", 0)
            in_use = as_int(values[f"{HR_STORAGE_USED}.{i}"], problems, "hrStorageUsed", 0)
            if units and size is not None and in_use is not None and in_use <= size:
                used, total = in_use * units, size * units
    return cpu, used, total


def poll(session: Session, *, health: bool = True, columns=POLL_COLUMNS) -> PollData:
    """Read the system group, the interface table and CPU/memory. Read-only; raises SnmpError when
    the agent stops answering; odd values become None and lines in `problems`."""
    problems: list[str] = []
    system = read_system(session, problems)
    interfaces = read_interfaces(session, problems, columns, rows=system.if_number)
    cpu = used = total = None
    if health:
        cpu, used, total = read_health(session, system, problems)
    return PollData(system=system, interfaces=interfaces, cpu_percent=cpu, mem_used=used, mem_total=total,
                    problems=problems, requests=session.requests)


@dataclass
class FdbEntry:
    """A MAC address the device learned on a port."""

    mac: str
    if_index: int | None
    vlan: int | None = None


def read_fdb(session: Session) -> list[FdbEntry]:
    """Learned MACs from Q-BRIDGE (per VLAN), or BRIDGE-MIB when the agent has no Q-BRIDGE table.

    A Q-BRIDGE row is indexed by filtering database (FID), not VLAN: the FID becomes the VLAN
    through dot1qVlanFdbId when the agent serves it (Junos numbers FIDs itself), and is taken as
    the VLAN id otherwise (what most switches use). A FID shared by several VLANs gives no VLAN."""
    table = session.walk([DOT1D_BASE_PORT_IFINDEX, DOT1Q_FDB_PORT, DOT1Q_FDB_STATUS, DOT1Q_VLAN_FDB_ID],
                         first=SMALL_TABLE)
    port_ifindex = {}
    for index, item in table[DOT1D_BASE_PORT_IFINDEX].items():
        value = as_int(item)
        if value is not None and index.isdigit():
            port_ifindex[int(index)] = value
    fid_vlans: dict[int, set[int]] = {}
    for index, item in table[DOT1Q_VLAN_FDB_ID].items():
        fid, vlan = as_int(item), index.rpartition(".")[2]
        if fid is not None and vlan.isdigit():
            fid_vlans.setdefault(fid, set()).add(int(vlan))
    entries = []
    rows = table[DOT1Q_FDB_PORT]
    status = table[DOT1Q_FDB_STATUS]
    if rows:
        for index, item in rows.items():
            fid_part, _, mac_part = index.partition(".")
            mac = mac_from_index(mac_part)
            port = as_int(item)
            if mac is None or not port or as_int(status.get(index)) not in (None, FDB_LEARNED):
                continue
            vlan = int(fid_part) if fid_part.isdigit() else None
            if fid_vlans and vlan is not None:
                vlans = fid_vlans.get(vlan, set())
                vlan = next(iter(vlans)) if len(vlans) == 1 else None
            entries.append(FdbEntry(mac=mac, if_index=port_ifindex.get(port, port), vlan=vlan))
        return entries
    table = session.walk([DOT1D_FDB_PORT, DOT1D_FDB_STATUS], first=SMALL_TABLE)
    for index, item in table[DOT1D_FDB_PORT].items():
        mac = mac_from_index(index)
        port = as_int(item)
        if mac is None or not port or as_int(table[DOT1D_FDB_STATUS].get(index)) not in (None, FDB_LEARNED):
            continue
        entries.append(FdbEntry(mac=mac, if_index=port_ifindex.get(port, port)))
    return entries


def read_arp(session: Session) -> dict[str, str]:
    """IPv4 neighbours, {mac: ip}: the first half of `read_neighbours`."""
    return read_neighbours(session)[0]


def read_neighbours(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """IPv4 and IPv6 neighbours, ({mac: ipv4}, {mac: ipv6}), from IP-MIB's ipNetToPhysicalTable and
    the older ipNetToMediaTable (IPv4 only), walked side by side in one pass. An IPv6 global
    address is preferred to a link-local one; addresses are in their canonical (compressed) form."""
    table = session.walk([IP_NET_TO_MEDIA_PHYS, IP_NET_TO_PHYSICAL_PHYS, IP_NET_TO_PHYSICAL_TYPE],
                         first=SMALL_TABLE)
    v4: dict[str, str] = {}
    for index, item in table[IP_NET_TO_MEDIA_PHYS].items():
        parts = index.split(".")
        mac = as_mac(item)
        if mac and len(parts) == 5 and all(p.isdigit() and int(p) <= 255 for p in parts[1:]):
            v4[mac] = ".".join(str(int(p)) for p in parts[1:])
    v6: dict[str, ipaddress.IPv6Address] = {}
    kinds = table[IP_NET_TO_PHYSICAL_TYPE]
    for index, item in table[IP_NET_TO_PHYSICAL_PHYS].items():
        mac = as_mac(item)
        address = _inet_address(index)
        if mac is None or address is None or as_int(kinds.get(index)) in NEIGHBOUR_SKIP:
            continue
        if address.version == 4:
            v4[mac] = str(address)
        elif mac not in v6 or (address.is_link_local, address) < (v6[mac].is_link_local, v6[mac]):
            v6[mac] = address  # global before link-local, then the lowest: stable from poll to poll
    return v4, {mac: str(address) for mac, address in v6.items()}


def _inet_address(index: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address in an ipNetToPhysicalTable index (ifIndex.type.length.octets...), None if malformed."""
    try:
        parts = [int(p) for p in index.split(".")]
    except ValueError:
        return None
    if len(parts) < 3 or parts[1] not in INET_ADDRESS_LENGTH:
        return None
    kind, length, octets = parts[1], parts[2], parts[3:]
    if length != INET_ADDRESS_LENGTH[kind] or len(octets) != length or any(not 0 <= o <= 255 for o in octets):
        return None
    # zoned forms (ipv4z, ipv6z) carry a 4-octet zone index after the address
    return ipaddress.ip_address(bytes(octets[:16] if kind in (2, 4) else octets[:4]))
