"""A small SNMP agent (v2c, and v3 USM authPriv HMAC-SHA-96 / AES-128-CFB) answering from the device model.

One UDP endpoint per device on the server's asyncio loop; the MIB view is built from the same
`LabDevice` the CLI reads, on demand (nothing runs while no one polls), so sysName follows the
configured hostname and interface counters grow with time since boot.
"""
from __future__ import annotations

import asyncio
import bisect
import hashlib
import hmac
import ipaddress
import os
import time

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from zas.lab.model import LabDevice

# --- BER --------------------------------------------------------------------------------------------
INTEGER, OCTETS, NULL, OID, SEQ = 0x02, 0x04, 0x05, 0x06, 0x30
IPADDR, COUNTER32, GAUGE32, TIMETICKS, COUNTER64 = 0x40, 0x41, 0x42, 0x43, 0x46
NO_SUCH_OBJECT, NO_SUCH_INSTANCE, END_OF_MIB = 0x80, 0x81, 0x82
GET, GETNEXT, RESPONSE, SET, GETBULK, REPORT = 0xA0, 0xA1, 0xA2, 0xA3, 0xA5, 0xA8


def enc_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + enc_len(len(body)) + body


def enc_int(tag: int, v: int) -> bytes:
    if tag == INTEGER:
        body = v.to_bytes(max(1, (v + (v < 0)).bit_length() // 8 + 1), "big", signed=True)
    else:   # unsigned application types
        body = v.to_bytes(max(1, v.bit_length() // 8 + 1), "big")
    return tlv(tag, body)


def enc_oid(oid: tuple[int, ...]) -> bytes:
    body = bytearray([oid[0] * 40 + oid[1]])
    for sub in oid[2:]:
        chunk = [sub & 0x7F]
        sub >>= 7
        while sub:
            chunk.append(0x80 | (sub & 0x7F))
            sub >>= 7
        body += bytes(reversed(chunk))
    return tlv(OID, bytes(body))


def enc_value(v) -> bytes:
    tag, val = v
    if tag in (INTEGER, COUNTER32, GAUGE32, TIMETICKS, COUNTER64):
        return enc_int(tag, val)
    if tag in (OCTETS, IPADDR):
        return tlv(tag, val if isinstance(val, bytes) else str(val).encode())
    if tag == OID:
        return enc_oid(val)
    return tlv(tag, b"")


def dec(data: bytes, pos: int = 0) -> tuple[int, bytes, int]:
    """(tag, body, next position)."""
    tag = data[pos]
    n = data[pos + 1]
    pos += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(data[pos:pos + k], "big")
        pos += k
    return tag, data[pos:pos + n], pos + n


def dec_seq(body: bytes) -> list[tuple[int, bytes]]:
    out, pos = [], 0
    while pos < len(body):
        tag, val, pos = dec(body, pos)
        out.append((tag, val))
    return out


def dec_int(body: bytes) -> int:
    return int.from_bytes(body, "big", signed=True) if body else 0


def dec_oid(body: bytes) -> tuple[int, ...]:
    first = body[0]
    oid = [first // 40, first % 40]
    sub = 0
    for b in body[1:]:
        sub = (sub << 7) | (b & 0x7F)
        if not b & 0x80:
            oid.append(sub)
            sub = 0
    return tuple(oid)


def parse_oid(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.strip(".").split("."))


# --- the MIB view of a device -------------------------------------------------------------------
SYS = parse_oid("1.3.6.1.2.1.1")
IF_TABLE = parse_oid("1.3.6.1.2.1.2.2.1")
IFX_TABLE = parse_oid("1.3.6.1.2.1.31.1.1.1")
HR_STORAGE = parse_oid("1.3.6.1.2.1.25.2.3.1")
HR_PROCESSOR = parse_oid("1.3.6.1.2.1.25.3.3.1")
CISCO_CPU = parse_oid("1.3.6.1.4.1.9.9.109.1.1.1.1")
CISCO_MEMPOOL = parse_oid("1.3.6.1.4.1.9.9.48.1.1.1")
DOT1D_BASE_PORT_IFINDEX = parse_oid("1.3.6.1.2.1.17.1.4.1.2")
DOT1D_TP_FDB = parse_oid("1.3.6.1.2.1.17.4.3.1")
DOT1Q_TP_FDB = parse_oid("1.3.6.1.2.1.17.7.1.2.2.1")
DOT1Q_VLAN_FDB_ID = parse_oid("1.3.6.1.2.1.17.7.1.4.2.1.3")
IP_NET_TO_MEDIA = parse_oid("1.3.6.1.2.1.4.22.1")
IP_NET_TO_PHYSICAL = parse_oid("1.3.6.1.2.1.4.35.1")
# switches that keep their forwarding table per VLAN (Q-BRIDGE-MIB) and have no dot1dTpFdbTable,
# as EOS and Junos do; IOS answers BRIDGE-MIB
QBRIDGE_PLATFORMS = {"arista_eos", "juniper_junos"}
# Junos numbers its filtering databases itself (FID != VLAN id) and maps them in dot1qVlanFdbId;
# EOS uses the VLAN id as the FID and the lab leaves its dot1qVlanCurrentTable out
JUNOS_FID = {1: 1, 10: 2, 20: 3}
# Junos bridge ports are not its ifIndexes: only dot1dBasePortIfIndex says which is which
JUNOS_BRIDGE_PORT_OFFSET = 100
USM_STATS = parse_oid("1.3.6.1.6.3.15.1.1")
SYS_DESCR = {
    "cisco_ios": "Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version {v}, RELEASE SOFTWARE (fc2)\r\n"
                 "Technical Support: http://www.cisco.com/techsupport\r\nCopyright (c) 1986-2021 by Cisco Systems, Inc.",
    "arista_eos": "Arista Networks EOS version {v} running on an Arista Networks DCS-7050TX-64",
    "juniper_junos": "Juniper Networks, Inc. ex2300-24t Ethernet Switch, kernel JUNOS {v}, Build date: "
                     "2023-03-17 UTC Copyright (c) 1996-2023 Juniper Networks, Inc.",
}


def mac_bytes(mac: str) -> bytes:
    return bytes.fromhex(mac.replace(":", ""))


def device_mib(dev: LabDevice) -> tuple[list[tuple[int, ...]], dict]:
    """Sorted OIDs and their (tag, value), as of now."""
    v: dict[tuple[int, ...], tuple] = {}
    ticks = int(dev.uptime * 100) & 0xFFFFFFFF
    cfg = "\n".join(dev.running)
    location = "ZAS lab"
    for line in dev.running:
        if "location" in line and "snmp" in line:
            location = line.split("location", 1)[1].strip().strip('"')
    v[SYS + (1, 0)] = (OCTETS, SYS_DESCR[dev.platform].format(v=dev.version).encode())
    v[SYS + (2, 0)] = (OID, parse_oid(dev.info["sys_oid"]))
    v[SYS + (3, 0)] = (TIMETICKS, ticks)
    v[SYS + (4, 0)] = (OCTETS, b"noc@zas.example" if "noc@zas.example" in cfg else b"")
    v[SYS + (5, 0)] = (OCTETS, dev.hostname().encode())
    v[SYS + (6, 0)] = (OCTETS, location.encode())
    v[SYS + (7, 0)] = (INTEGER, 6)
    ifs = dev.interfaces()
    v[parse_oid("1.3.6.1.2.1.2.1.0")] = (INTEGER, len(ifs))
    boot_ticks = 0
    for i in ifs:
        x = i.if_index
        row = {
            1: (INTEGER, x), 2: (OCTETS, i.name.encode()), 3: (INTEGER, 6), 4: (INTEGER, 1500),
            5: (GAUGE32, i.speed_mbps * 1_000_000), 6: (OCTETS, mac_bytes(i.mac)),
            7: (INTEGER, 1 if i.admin_up else 2), 8: (INTEGER, 1 if i.oper_up else 2), 9: (TIMETICKS, boot_ticks),
            10: (COUNTER32, i.in_octets & 0xFFFFFFFF), 11: (COUNTER32, i.in_packets & 0xFFFFFFFF),
            13: (COUNTER32, 0), 14: (COUNTER32, 0), 16: (COUNTER32, i.out_octets & 0xFFFFFFFF),
            17: (COUNTER32, i.out_packets & 0xFFFFFFFF), 19: (COUNTER32, 0), 20: (COUNTER32, 0),
        }
        for col, val in row.items():
            v[IF_TABLE + (col, x)] = val
        xrow = {
            1: (OCTETS, i.name.encode()), 6: (COUNTER64, i.in_octets), 7: (COUNTER64, i.in_packets),
            10: (COUNTER64, i.out_octets), 11: (COUNTER64, i.out_packets), 15: (GAUGE32, i.speed_mbps),
            18: (OCTETS, i.description.encode()),
        }
        for col, val in xrow.items():
            v[IFX_TABLE + (col, x)] = val
    total, used = dev.memory()
    load = dev.cpu_load()
    v[parse_oid("1.3.6.1.2.1.25.1.1.0")] = (TIMETICKS, ticks)
    v[HR_STORAGE + (1, 1)] = (INTEGER, 1)
    v[HR_STORAGE + (2, 1)] = (OID, parse_oid("1.3.6.1.2.1.25.2.1.2"))
    v[HR_STORAGE + (3, 1)] = (OCTETS, b"RAM")
    v[HR_STORAGE + (4, 1)] = (INTEGER, 1024)
    v[HR_STORAGE + (5, 1)] = (INTEGER, total // 1024)
    v[HR_STORAGE + (6, 1)] = (INTEGER, used // 1024)
    v[HR_PROCESSOR + (1, 768)] = (OID, (0, 0))
    v[HR_PROCESSOR + (2, 768)] = (INTEGER, load)
    if dev.platform == "cisco_ios":
        for col, val in {2: 0, 3: load, 4: load, 5: load, 6: load, 7: load, 8: load}.items():
            v[CISCO_CPU + (col, 1)] = (GAUGE32 if col > 2 else INTEGER, val)
        io_total = 67_108_864
        for idx, name, tot, use in ((1, b"Processor", total, used), (2, b"I/O", io_total, io_total // 5)):
            v[CISCO_MEMPOOL + (2, idx)] = (OCTETS, name)
            v[CISCO_MEMPOOL + (3, idx)] = (INTEGER, 0)
            v[CISCO_MEMPOOL + (4, idx)] = (INTEGER, 1)
            v[CISCO_MEMPOOL + (5, idx)] = (GAUGE32, use)
            v[CISCO_MEMPOOL + (6, idx)] = (GAUGE32, tot - use)
            v[CISCO_MEMPOOL + (7, idx)] = (GAUGE32, (tot - use) // 2)
    offset = JUNOS_BRIDGE_PORT_OFFSET if dev.platform == "juniper_junos" else 0
    for i in ifs:
        v[DOT1D_BASE_PORT_IFINDEX + (i.if_index + offset,)] = (INTEGER, i.if_index)
    if dev.platform == "juniper_junos":
        for vlan, fid in JUNOS_FID.items():
            v[DOT1Q_VLAN_FDB_ID + (0, vlan)] = (GAUGE32, fid)
    for h in dev.end_hosts():
        mac = mac_bytes(h.mac)
        if dev.platform in QBRIDGE_PLATFORMS:
            fid = JUNOS_FID[h.vlan] if dev.platform == "juniper_junos" else h.vlan
            v[DOT1Q_TP_FDB + (2, fid) + tuple(mac)] = (INTEGER, h.if_index + offset)
            v[DOT1Q_TP_FDB + (3, fid) + tuple(mac)] = (INTEGER, 3)
        else:
            v[DOT1D_TP_FDB + (1,) + tuple(mac)] = (OCTETS, mac)
            v[DOT1D_TP_FDB + (2,) + tuple(mac)] = (INTEGER, h.if_index)
            v[DOT1D_TP_FDB + (3,) + tuple(mac)] = (INTEGER, 3)
        ip = tuple(int(p) for p in h.ip.split("."))
        key = (h.if_index,) + ip
        v[IP_NET_TO_MEDIA + (1,) + key] = (INTEGER, h.if_index)
        v[IP_NET_TO_MEDIA + (2,) + key] = (OCTETS, mac)
        v[IP_NET_TO_MEDIA + (3,) + key] = (IPADDR, bytes(ip))
        v[IP_NET_TO_MEDIA + (4,) + key] = (INTEGER, 3)
        # ipNetToPhysicalTable: index ifIndex.addressType.length.address (ipv4(1) and ipv6(2))
        for kind, addr in ((1, bytes(ip)), (2, ipaddress.ip_address(h.ipv6).packed),
                           (2, ipaddress.ip_address(h.ipv6_link_local).packed)):
            key = (h.if_index, kind, len(addr)) + tuple(addr)
            v[IP_NET_TO_PHYSICAL + (4,) + key] = (OCTETS, mac)
            v[IP_NET_TO_PHYSICAL + (6,) + key] = (INTEGER, 3)   # dynamic
            v[IP_NET_TO_PHYSICAL + (7,) + key] = (INTEGER, 1)   # reachable
    if "snmp-garbage" in dev.faults:
        garble(v, ifs)
    return sorted(v), v


def garble(v: dict, ifs) -> None:
    """The `snmp-garbage` fault: wrong types, missing columns and absurd values, as broken agents send."""
    v[SYS + (3, 0)] = (INTEGER, -100)                   # a negative sysUpTime, and not TimeTicks
    v[parse_oid("1.3.6.1.2.1.25.1.1.0")] = (INTEGER, -100)
    for i in ifs:
        x = i.if_index
        v[IFX_TABLE + (6, x)] = (OCTETS, str(i.in_octets).encode())  # digits, but an OCTET STRING
        v.pop(IFX_TABLE + (10, x), None)                # no ifHCOutOctets
        v.pop(IFX_TABLE + (15, x), None)                # no ifHighSpeed ...
        v[IF_TABLE + (5, x)] = (GAUGE32, 0)             # ... and ifSpeed 0
        v[IF_TABLE + (14, x)] = (OCTETS, b"many")       # ifInErrors as text
    for key in [k for k in v if k[:len(HR_PROCESSOR)] == HR_PROCESSOR and k[len(HR_PROCESSOR)] == 2]:
        v[key] = (INTEGER, 250)                         # 250 % CPU
    for key in [k for k in v if k[:len(CISCO_CPU)] == CISCO_CPU and k[len(CISCO_CPU)] >= 3]:
        v[key] = (GAUGE32, 250)


# --- USM -----------------------------------------------------------------------------------------
_KU: dict[str, bytes] = {}


def password_to_key(password: str) -> bytes:
    """RFC 3414 A.2.2 (SHA): the password repeated to 1 MB, hashed."""
    if password not in _KU:
        pw = password.encode()
        data = (pw * (1048576 // len(pw) + 1))[:1048576]
        _KU[password] = hashlib.sha1(data).digest()
    return _KU[password]


def localize(password: str, engine_id: bytes) -> bytes:
    ku = password_to_key(password)
    return hashlib.sha1(ku + engine_id + ku).digest()


class Agent(asyncio.DatagramProtocol):
    """The SNMP agent of one device."""

    def __init__(self, dev: LabDevice, service: "SnmpService"):
        self.dev = dev
        self.service = service
        self.transport = None
        self.cache: tuple[float, list, dict, int] | None = None
        creds = dev.creds
        self.community = creds["community"].encode()
        if "snmp-community" in dev.faults:
            self.community = b"not-" + self.community
        self.user = creds["v3_user"].encode()
        self.auth_key = localize(creds["v3_auth_key"], dev.engine_id)
        self.priv_key = localize(creds["v3_priv_key"], dev.engine_id)[:16]
        self.boots = 1
        self.counters = {"unknown_engine": 0, "unknown_user": 0, "wrong_digest": 0}

    def connection_made(self, transport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr) -> None:
        dev = self.dev
        if "snmp-timeout" in dev.faults or not dev.reachable:
            return
        try:
            reply = self.handle(data)
        except (IndexError, ValueError, KeyError):
            return   # malformed: a real agent drops it too
        if reply:
            self.transport.sendto(reply, addr)

    def mib(self):
        now = time.monotonic()
        if self.cache is None or now - self.cache[0] > 0.2 or self.cache[3] != self.dev.generation:
            keys, values = device_mib(self.dev)
            self.cache = (now, keys, values, self.dev.generation)
        return self.cache[1], self.cache[2]

    # -- PDU processing ----------------------------------------------------------------------------
    def process_pdu(self, pdu_tag: int, pdu_body: bytes, max_size: int) -> bytes | None:
        fields = dec_seq(pdu_body)
        request_id = dec_int(fields[0][1])
        a, b = dec_int(fields[1][1]), dec_int(fields[2][1])
        oids = [dec_oid(dec_seq(vb)[0][1]) for _, vb in dec_seq(fields[3][1])]
        keys, values = self.mib()
        out: list[tuple[tuple, tuple]] = []
        error_status = error_index = 0
        if pdu_tag == GET:
            for oid in oids:
                out.append((oid, values.get(oid, (NO_SUCH_INSTANCE if oid[:-1] in _prefixes(keys) else NO_SUCH_OBJECT, None))))
        elif pdu_tag == GETNEXT:
            for oid in oids:
                out.append(self.next(keys, values, oid))
        elif pdu_tag == GETBULK:
            non_rep, max_rep = max(0, a), max(0, b)
            for oid in oids[:non_rep]:
                out.append(self.next(keys, values, oid))
            rep = oids[non_rep:]
            budget = max(1, min(max_size, 60000) - 200)
            size = sum(len(enc_oid(o)) + 16 for o, _ in out)
            for _ in range(min(max_rep, 1000)):
                if not rep:
                    break
                row = [self.next(keys, values, oid) for oid in rep]
                row_size = sum(len(enc_oid(o)) + len(enc_value(val)) + 4 for o, val in row)
                if size + row_size > budget and out:
                    break
                size += row_size
                out.extend(row)
                rep = [o for o, _ in row]
                if all(val[0] == END_OF_MIB for _, val in row):
                    break
        elif pdu_tag == SET:
            out = [(o, (NULL, None)) for o in oids]
            error_status, error_index = 17, 1   # notWritable
        else:
            return None
        return self.response_pdu(RESPONSE, request_id, out, error_status, error_index)

    @staticmethod
    def next(keys, values, oid):
        i = bisect.bisect_right(keys, oid)
        if i >= len(keys):
            return oid, (END_OF_MIB, None)
        return keys[i], values[keys[i]]

    @staticmethod
    def response_pdu(tag: int, request_id: int, varbinds, error_status: int = 0, error_index: int = 0) -> bytes:
        vbs = b"".join(tlv(SEQ, enc_oid(o) + enc_value(v)) for o, v in varbinds)
        return tlv(tag, enc_int(INTEGER, request_id) + enc_int(INTEGER, error_status) + enc_int(INTEGER, error_index)
                   + tlv(SEQ, vbs))

    def handle(self, data: bytes) -> bytes | None:
        tag, body, _ = dec(data)
        if tag != SEQ:
            return None
        parts = dec_seq(body)
        version = dec_int(parts[0][1])
        if version == 1:
            if parts[1][1] != self.community:
                return None
            pdu_tag, pdu_body = parts[2]
            pdu = self.process_pdu(pdu_tag, pdu_body, 65000)
            if pdu is None:
                return None
            return tlv(SEQ, enc_int(INTEGER, 1) + tlv(OCTETS, self.community) + pdu)
        if version == 3:
            return self.handle_v3(data, parts)
        return None

    # -- SNMPv3 ------------------------------------------------------------------------------------
    def engine_time(self) -> int:
        return int(self.dev.uptime) & 0x7FFFFFFF

    def handle_v3(self, raw: bytes, parts) -> bytes | None:
        if "snmp-community" in self.dev.faults:
            return None
        header = dec_seq(parts[1][1])
        msg_id, max_size = dec_int(header[0][1]), dec_int(header[1][1])
        flags = header[2][1][0] if header[2][1] else 0
        sec = dec_seq(dec(parts[2][1])[1])
        engine_id, user, auth_params, priv_params = sec[0][1], sec[3][1], sec[4][1], sec[5][1]
        auth, priv = bool(flags & 1), bool(flags & 2)
        if engine_id != self.dev.engine_id or not user:
            # discovery: tell the manager our engine id, boots and time
            self.counters["unknown_engine"] += 1
            scoped = dec_seq(parts[3][1]) if parts[3][0] == SEQ else None
            request_id = dec_int(dec_seq(scoped[2][1])[0][1]) if scoped else 0
            report = self.response_pdu(REPORT, request_id,
                                       [(USM_STATS + (4, 0), (COUNTER32, self.counters["unknown_engine"]))])
            return self.v3_message(msg_id, max_size, b"", report, auth=False, priv=False)
        if user != self.user:
            self.counters["unknown_user"] += 1
            report = self.response_pdu(REPORT, 0, [(USM_STATS + (3, 0), (COUNTER32, self.counters["unknown_user"]))])
            return self.v3_message(msg_id, max_size, user, report, auth=False, priv=False)
        if not (auth and priv):
            report = self.response_pdu(REPORT, 0, [(USM_STATS + (1, 0), (COUNTER32, 1))])
            return self.v3_message(msg_id, max_size, user, report, auth=False, priv=False)
        marker = tlv(OCTETS, auth_params)
        at = raw.find(marker)
        zeroed = raw[:at] + tlv(OCTETS, b"\0" * 12) + raw[at + len(marker):]
        if at < 0 or not hmac.compare_digest(hmac.new(self.auth_key, zeroed, hashlib.sha1).digest()[:12], auth_params):
            self.counters["wrong_digest"] += 1
            return None
        boots, etime = dec_int(sec[1][1]), dec_int(sec[2][1])
        iv = boots.to_bytes(4, "big") + etime.to_bytes(4, "big") + priv_params
        cipher = Cipher(algorithms.AES(self.priv_key), modes.CFB(iv)).decryptor()
        scoped_raw = cipher.update(parts[3][1]) + cipher.finalize()
        _, scoped_body, _ = dec(scoped_raw)
        scoped = dec_seq(scoped_body)
        pdu_tag, pdu_body = scoped[2]
        pdu = self.process_pdu(pdu_tag, pdu_body, max_size)
        if pdu is None:
            return None
        return self.v3_message(msg_id, max_size, user, pdu, auth=True, priv=True, context=scoped[1][1])

    def v3_message(self, msg_id: int, max_size: int, user: bytes, pdu: bytes, auth: bool, priv: bool,
                   context: bytes = b"") -> bytes:
        boots, etime = self.boots, self.engine_time()
        scoped = tlv(SEQ, tlv(OCTETS, self.dev.engine_id) + tlv(OCTETS, context) + pdu)
        priv_params = b""
        if priv:
            priv_params = os.urandom(8)
            iv = boots.to_bytes(4, "big") + etime.to_bytes(4, "big") + priv_params
            enc = Cipher(algorithms.AES(self.priv_key), modes.CFB(iv)).encryptor()
            msg_data = tlv(OCTETS, enc.update(scoped) + enc.finalize())
        else:
            msg_data = scoped
        flags = (1 if auth else 0) | (2 if priv else 0)
        header = tlv(SEQ, enc_int(INTEGER, msg_id) + enc_int(INTEGER, max_size or 65507)
                     + tlv(OCTETS, bytes([flags])) + enc_int(INTEGER, 3))
        placeholder = b"\0" * 12 if auth else b""
        sec = tlv(SEQ, tlv(OCTETS, self.dev.engine_id) + enc_int(INTEGER, boots) + enc_int(INTEGER, etime)
                  + tlv(OCTETS, user) + tlv(OCTETS, placeholder) + tlv(OCTETS, priv_params))
        msg = tlv(SEQ, enc_int(INTEGER, 3) + header + tlv(OCTETS, sec) + msg_data)
        if auth:
            digest = hmac.new(self.auth_key, msg, hashlib.sha1).digest()[:12]
            marker = tlv(OCTETS, placeholder)
            at = msg.find(marker)
            msg = msg[:at] + tlv(OCTETS, digest) + msg[at + len(marker):]
        return msg


_PREFIX_CACHE: dict[int, set] = {}


def _prefixes(keys: list) -> set:
    key = id(keys)
    if key not in _PREFIX_CACHE:
        _PREFIX_CACHE.clear()
        _PREFIX_CACHE[key] = {k[:-1] for k in keys}
    return _PREFIX_CACHE[key]


class SnmpService:
    """One UDP endpoint per device."""

    def __init__(self, lab):
        self.lab = lab
        self.transports: dict[str, asyncio.DatagramTransport] = {}

    async def start(self, dev: LabDevice) -> None:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: Agent(dev, self),
                                                           local_addr=("127.0.0.1", dev.snmp_port))
        self.transports[dev.name] = transport

    def close(self) -> None:
        for t in self.transports.values():
            t.close()
        self.transports.clear()
