"""The device lab, driven for real by netmiko's own drivers and by easysnmp (run with `-p zas.lab.pytest_plugin`)."""
from __future__ import annotations

import json
import os
import re
import socket
import time

import pytest
from click.testing import CliRunner
from easysnmp import EasySNMPTimeoutError, Session
from netmiko import ConnectHandler, file_transfer
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout
from ntc_templates.parse import parse_output

pytestmark = pytest.mark.lab

PLATFORMS = ["cisco_ios", "arista_eos", "juniper_junos"]
RUNNING = {"cisco_ios": "show running-config", "arista_eos": "show running-config",
           "juniper_junos": "show configuration | display set"}
IMAGES = {"cisco_ios": ("c2900-universalk9-mz.SPA.158-3.M9.bin", "15.8(3)M9"),
          "arista_eos": ("EOS-4.30.1F.swi", "4.30.1F"),
          "juniper_junos": ("junos-arm-32-22.4R2-S1.tgz", "22.4R2-S1")}
SYS_NAME, SYS_DESCR, SYS_UPTIME = ".1.3.6.1.2.1.1.5.0", ".1.3.6.1.2.1.1.1.0", ".1.3.6.1.2.1.1.3.0"


def connect(lab, name, **kw):
    conn = ConnectHandler(**lab.netmiko_params(name, **kw))
    if lab.device(name)["platform"] != "juniper_junos":
        conn.enable()
    return conn


def first(lab, platform):
    return lab.healthy(platform)[0]["name"]


def snmp_table(session, oid):
    return {v.oid.rsplit(".", 1)[0][len(oid) + 1:] + "." + v.oid_index if v.oid_index else v.oid[len(oid) + 1:]: v
            for v in session.walk(oid)}


def walk(session, oid):
    """{suffix after `oid`: value} for a subtree."""
    out = {}
    for v in session.walk(oid):
        full = v.oid + ("." + v.oid_index if v.oid_index else "")
        out[full[len(oid) + 1:]] = v.value
    return out


# --- CLI: show commands parse like the real thing ------------------------------------------------

@pytest.mark.parametrize("platform", PLATFORMS)
def test_show_version_and_inventory_parse_with_ntc_templates(lab, platform):
    name = first(lab, platform)
    with connect(lab, name) as conn:
        version = conn.send_command("show version")
        inventory = conn.send_command("show chassis hardware" if platform == "juniper_junos" else "show inventory")
    facts = parse_output(platform=platform, command="show version", data=version)[0]
    if platform == "cisco_ios":
        assert facts["hostname"] == name
        assert facts["version"] == "15.7(3)M8"
        assert facts["hardware"] == ["CISCO2901/K9"]
        assert facts["uptime_weeks"] or facts["uptime_days"]
        serial = facts["serial"][0]
        inv = parse_output(platform=platform, command="show inventory", data=inventory)
        assert inv[0]["sn"] == serial and inv[0]["pid"] == "CISCO2901/K9"
    elif platform == "arista_eos":
        assert facts["image"] == "4.28.3M"
        assert facts["model"] == "DCS-7050TX-64"
        assert facts["uptime"]
        inv = parse_output(platform=platform, command="show inventory", data=inventory)
        assert facts["serial_number"] in {row.get("sn") for row in inv}
    else:
        assert facts["hostname"] == name
        assert facts["model"] == "ex2300-24t"
        assert facts["junos_version"] == "21.4R3-S5"
        hw = parse_output(platform=platform, command="show chassis hardware", data=inventory)
        assert hw[0]["chassis_serial_number"].startswith("JW")


@pytest.mark.parametrize("platform", PLATFORMS)
def test_show_interfaces_parse_and_match_snmp_iftable(lab, platform):
    name = first(lab, platform)
    with connect(lab, name) as conn:
        text = conn.send_command("show interfaces")
    parsed = parse_output(platform=platform, command="show interfaces", data=text)
    cli_names = [row["interface"] for row in parsed if "." not in row["interface"]]
    assert len(cli_names) == 4
    s = Session(**lab.snmp_params(name))
    assert list(walk(s, ".1.3.6.1.2.1.2.2.1.2").values()) == cli_names
    assert list(walk(s, ".1.3.6.1.2.1.31.1.1.1.1").values()) == cli_names


def test_serials_hostnames_and_macs_are_distinct(lab):
    seen_serials, seen_names = set(), set()
    for d in lab.healthy():
        s = Session(**lab.snmp_params(d["name"]))
        seen_names.add(s.get(SYS_NAME).value)
        with connect(lab, d["name"]) as conn:
            seen_serials.add(re.search(r"(Processor board ID|Serial number:|Chassis\s+)\s*(\S+)",
                                       conn.send_command("show chassis hardware" if d["platform"] == "juniper_junos"
                                                         else "show version")).group(2))
    assert len(seen_serials) == len(lab.healthy()) == len(seen_names)


def test_invalid_input_is_answered_like_ios(lab):
    with connect(lab, "lab-ios-01") as conn:
        out = conn.send_command("show runnning-confg")
        assert "% Invalid input detected at '^' marker." in out
        assert re.search(r"^\s+\^$", out, re.M)
        assert "% Incomplete command." in conn.send_command("show")
    with connect(lab, "lab-junos-01") as conn:
        assert "syntax error" in conn.send_command("show bogus")


def test_enable_with_a_wrong_secret_stays_unprivileged(lab):
    with ConnectHandler(**lab.netmiko_params("lab-ios-01")) as conn:
        assert "Password:" in conn.send_command_timing("enable", last_read=0.3)
        assert "Password:" in conn.send_command_timing("not-the-secret", cmd_verify=False, last_read=0.3)
        assert "Password:" in conn.send_command_timing("not-the-secret", cmd_verify=False, last_read=0.3)
        assert "% Bad secrets" in conn.send_command_timing("not-the-secret", cmd_verify=False, last_read=0.3)
        assert conn.find_prompt() == "lab-ios-01>"
        assert "% Invalid input" in conn.send_command("show running-config")


def test_ios_running_config_carries_drift_noise(lab):
    with connect(lab, "lab-ios-01") as conn:
        a = conn.send_command("show running-config")
        time.sleep(1.1)
        b = conn.send_command("show running-config")
    for text in (a, b):
        assert "! Last configuration change at" in text
        assert re.search(r"^ntp clock-period \d+$", text, re.M)
        assert re.search(r"^username admin privilege 15 secret 5 \$1\$", text, re.M)
        assert re.search(r"^enable secret 5 ", text, re.M)
        assert re.search(r"^snmp-server community \S+ RO$", text, re.M)
    assert a != b
    noise = re.compile(r"^(! Last configuration change|ntp clock-period).*$", re.M)
    assert noise.sub("", a) == noise.sub("", b)


# --- configuration changes ------------------------------------------------------------------------

@pytest.mark.parametrize("platform", PLATFORMS)
def test_configuration_change_is_in_the_next_running_config_and_in_snmp(lab, platform):
    name = first(lab, platform)
    stamp = f"zas-test-{platform}-{int(time.time())}"
    with connect(lab, name) as conn:
        if platform == "juniper_junos":
            conn.send_config_set([f"set interfaces ge-0/0/3 description {stamp}"], exit_config_mode=False)
            assert "commit complete" in conn.commit()
            conn.exit_config_mode()
        else:
            iface = "GigabitEthernet0/3" if platform == "cisco_ios" else "Ethernet4"
            conn.send_config_set([f"interface {iface}", f"description {stamp}"])
            assert not conn.check_config_mode()
            saved = conn.save_config()
            assert "[OK]" in saved or "Copy completed successfully" in saved
            assert stamp in conn.send_command("show startup-config")
        assert stamp in conn.send_command(RUNNING[platform])
        assert stamp in conn.send_command("show interfaces")
    s = Session(**lab.snmp_params(name))
    assert stamp in walk(s, ".1.3.6.1.2.1.31.1.1.1.18").values()


def test_junos_exit_with_uncommitted_changes_discards_them(lab):
    with connect(lab, "lab-junos-02") as conn:
        conn.send_config_set(["set system host-name never-committed"], exit_config_mode=False)
        conn.exit_config_mode()
        assert "never-committed" not in conn.send_command("show configuration | display set")
        assert conn.find_prompt() == "admin@lab-junos-02>"


def test_hostname_change_changes_prompt_and_sysname(lab):
    with connect(lab, "lab-eos-02") as conn:
        conn.send_config_set(["hostname lab-eos-02-renamed"])
        assert conn.find_prompt() == "lab-eos-02-renamed#"
        assert Session(**lab.snmp_params("lab-eos-02")).get(SYS_NAME).value == "lab-eos-02-renamed"
        conn.send_config_set(["hostname lab-eos-02"])
        conn.set_base_prompt()
        assert Session(**lab.snmp_params("lab-eos-02")).get(SYS_NAME).value == "lab-eos-02"


# --- file transfer and reload ---------------------------------------------------------------------

@pytest.mark.parametrize("platform", PLATFORMS)
def test_file_transfer_then_reload_into_the_new_version(lab, platform, tmp_path):
    name = lab.healthy(platform)[1]["name"]
    image, version = IMAGES[platform]
    src = tmp_path / image
    src.write_bytes(os.urandom(150_000))
    with connect(lab, name) as conn:
        result = file_transfer(conn, source_file=str(src), dest_file=image, direction="put", overwrite_file=True)
        assert result["file_transferred"] and result["file_verified"]
        if platform == "cisco_ios":
            listing = conn.send_command(f"dir flash:/{image}")
            assert str(src.stat().st_size) in listing
            conn.send_config_set(["no boot system", f"boot system flash:{image}"])
            conn.save_config()
            assert f"flash:{image}" in conn.send_command("show boot")
            out = conn.send_command_timing("reload", last_read=0.5)
            assert "Proceed with reload? [confirm]" in out
            conn.write_channel("\n")
        elif platform == "arista_eos":
            conn.send_config_set([f"boot system flash:{image}"])
            assert image in conn.send_command("show boot-config")
            out = conn.send_command_timing("reload", last_read=0.5)
            if "Save?" in out:
                out = conn.send_command_timing("no", last_read=0.5)
            assert "Proceed with reload" in out
            conn.write_channel("\n")
        else:
            assert "A reboot is required" in conn.send_command(f"request system software add /var/tmp/{image}")
            out = conn.send_command_timing("request system reboot", last_read=0.5)
            assert "Reboot the system ?" in out
            conn.write_channel("yes\n")
        time.sleep(0.5)
    d = lab.device(name)
    with pytest.raises(ConnectionRefusedError):   # down for reload_delay (3 s)
        socket.create_connection((d["host"], d["port"]), timeout=1).close()
    with pytest.raises(EasySNMPTimeoutError):
        Session(**lab.snmp_params(name)).get(SYS_UPTIME)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection((d["host"], d["port"]), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "the device never came back from reload"
            time.sleep(0.2)
    with connect(lab, name) as conn:
        assert version in conn.send_command("show version")
    s = Session(**lab.snmp_params(name))
    assert version in s.get(SYS_DESCR).value
    assert int(s.get(SYS_UPTIME).value) < 60 * 100


# --- SNMP -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("platform", PLATFORMS)
def test_snmp_v2c_and_v3_agree_with_the_cli(lab, platform):
    name = first(lab, platform)
    # easysnmp 0.2.6 segfaults when a v2c Session made before a v3 one is freed while the v3 one lives
    v3 = Session(**lab.snmp_params(name, version="3"))
    v2 = Session(**lab.snmp_params(name))
    with connect(lab, name) as conn:
        hostname = conn.find_prompt().rstrip("#>").split("@")[-1]
        version_text = conn.send_command("show version")
    assert v2.get(SYS_NAME).value == v3.get(SYS_NAME).value == hostname
    descr = v3.get(SYS_DESCR).value
    assert re.search(r"Version (\S+),|EOS version (\S+)|JUNOS (\S+),", descr)
    ver = [g for g in re.search(r"Version (\S+),|EOS version (\S+) |JUNOS (\S+),", descr).groups() if g][0]
    assert ver in version_text
    assert v2.get(".1.3.6.1.2.1.25.3.3.1.2.768").value.isdigit()               # hrProcessorLoad
    storage = walk(v2, ".1.3.6.1.2.1.25.2.3.1")
    assert storage["3.1"] == "RAM" and int(storage["6.1"]) < int(storage["5.1"])
    cisco_cpu = walk(v2, ".1.3.6.1.4.1.9.9.109.1.1.1.1")
    cisco_mem = walk(v2, ".1.3.6.1.4.1.9.9.48.1.1.1")
    if platform == "cisco_ios":
        assert "8.1" in cisco_cpu and cisco_mem["2.1"] == "Processor" and int(cisco_mem["5.1"]) > 0
    else:
        assert not cisco_cpu and not cisco_mem
    del v3


def test_counters_and_uptime_grow_between_polls_and_one_interface_wraps(lab):
    s = Session(**lab.snmp_params("lab-ios-01", version="3"))
    hc_in = ".1.3.6.1.2.1.31.1.1.1.6"
    before = {k: int(v) for k, v in walk(s, hc_in).items()}
    up_before = int(s.get(SYS_UPTIME).value)
    time.sleep(1.2)
    after = {k: int(v) for k, v in walk(s, hc_in).items()}
    assert int(s.get(SYS_UPTIME).value) > up_before
    assert all(after[k] > before[k] for k in ("1", "2", "3"))    # the up interfaces
    assert after["4"] == before["4"]                              # shut down
    low = {k: int(v) for k, v in walk(s, ".1.3.6.1.2.1.2.2.1.10").items()}
    assert all(v < 2 ** 32 for v in low.values())
    assert after["3"] > 2 ** 32 and low["3"] < after["3"]         # the 32-bit counter of Gi0/2 has wrapped
    assert s.get(".1.3.6.1.2.1.31.1.1.1.6.3").snmp_type == "COUNTER64"


@pytest.mark.parametrize("platform", PLATFORMS)
def test_bridge_and_arp_tables_match_the_cli(lab, platform):
    name = first(lab, platform)
    s = Session(**lab.snmp_params(name))
    dot1d = walk(s, ".1.3.6.1.2.1.17.4.3.1.2")
    dot1q = walk(s, ".1.3.6.1.2.1.17.7.1.2.2.1.2")
    base_if = walk(s, ".1.3.6.1.2.1.17.1.4.1.2")
    if platform == "cisco_ios":  # BRIDGE-MIB only
        assert not dot1q
        ports = dot1d
        addresses = walk(s, ".1.3.6.1.2.1.17.4.3.1.1").values()
        snmp_macs = {":".join(f"{ord(c):02x}" for c in v) for v in addresses}
    else:  # Q-BRIDGE only: index FID.MAC, bridge ports mapped to ifIndex by dot1dBasePortIfIndex
        assert not dot1d
        ports = dot1q
        snmp_macs = {":".join(f"{int(o):02x}" for o in index.split(".")[1:]) for index in dot1q}
    assert all(p in base_if for p in ports.values())
    arp_ips = set(walk(s, ".1.3.6.1.2.1.4.22.1.3").values())
    mac_cmd = "show ethernet-switching table" if platform == "juniper_junos" else "show mac address-table"
    arp_cmd = {"juniper_junos": "show arp no-resolve", "arista_eos": "show ip arp", "cisco_ios": "show ip arp"}
    with connect(lab, name) as conn:
        mac_text, arp_text = conn.send_command(mac_cmd), conn.send_command(arp_cmd[platform])
    cli_macs = {m.lower().replace(".", "") for m in re.findall(r"\b([0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}|"
                                                                r"(?:[0-9a-f]{2}:){5}[0-9a-f]{2})\b", mac_text)}
    assert {m.replace(":", "") for m in snmp_macs} == {m.replace(":", "") for m in cli_macs}
    assert len(snmp_macs) == 4
    assert arp_ips <= set(re.findall(r"\d+\.\d+\.\d+\.\d+", arp_text))
    if platform == "cisco_ios":
        parsed = parse_output(platform=platform, command="show ip arp", data=arp_text)
        assert arp_ips <= {row["ip_address"] for row in parsed}
    if platform != "cisco_ios":  # the FID of each MAC is its VLAN's (per dot1qVlanFdbId where served)
        fid_of_vlan = walk(s, ".1.3.6.1.2.1.17.7.1.4.2.1.3")
        fids = {int(v): int(index.split(".")[-1]) for index, v in fid_of_vlan.items()}
        vlan_of = {":".join(f"{int(o):02x}" for o in index.split(".")[1:]): fids.get(int(index.split(".")[0]),
                                                                                  int(index.split(".")[0]))
                   for index in dot1q}
        cli_vlan = {}
        for line in mac_text.splitlines():
            macs = re.findall(r"(?:[0-9a-f]{4}\.){2}[0-9a-f]{4}|(?:[0-9a-f]{2}:){5}[0-9a-f]{2}", line)
            if macs:
                digits = macs[0].replace(".", "").replace(":", "")
                mac = ":".join(digits[i:i + 2] for i in range(0, 12, 2))
                cli_vlan[mac] = 10 if ("users" in line or re.match(r"\s*10\s", line)) else 20
        assert vlan_of == cli_vlan and set(vlan_of.values()) == {10, 20}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_ip_net_to_physical_has_ipv4_and_ipv6_neighbours(lab, platform):
    """ipNetToPhysicalTable: index ifIndex.type.length.address; each host has its IPv4 address (the
    same as ipNetToMediaTable's), a global IPv6 and a link-local IPv6 address."""
    import ipaddress

    s = Session(**lab.snmp_params(first(lab, platform)))
    phys = walk(s, ".1.3.6.1.2.1.4.35.1.4")
    kinds: dict[int, set] = {1: set(), 2: set()}
    for index, mac in phys.items():
        parts = [int(p) for p in index.split(".")]
        kind, length, addr = parts[1], parts[2], bytes(parts[3:])
        assert len(addr) == length == {1: 4, 2: 16}[kind] and len(mac) == 6
        kinds[kind].add(ipaddress.ip_address(addr))
    assert {str(a) for a in kinds[1]} == set(walk(s, ".1.3.6.1.2.1.4.22.1.3").values())
    assert len(kinds[2]) == 8 and sum(a.is_link_local for a in kinds[2]) == 4


def test_fault_snmp_garbage_sends_wrong_types_missing_columns_and_absurd_values(lab):
    s = Session(**lab.snmp_params("lab-ios-05"))
    uptime = s.get(SYS_UPTIME)
    assert uptime.snmp_type == "INTEGER" and int(uptime.value) < 0
    hc_in = s.get(".1.3.6.1.2.1.31.1.1.1.6.1")
    assert hc_in.snmp_type == "OCTETSTR" and hc_in.value.isdigit()
    assert not walk(s, ".1.3.6.1.2.1.31.1.1.1.10") and not walk(s, ".1.3.6.1.2.1.31.1.1.1.15")
    assert set(walk(s, ".1.3.6.1.2.1.2.2.1.5").values()) == {"0"}
    assert int(s.get(".1.3.6.1.2.1.25.3.3.1.2.768").value) > 100
    assert s.get(SYS_NAME).value == "lab-ios-05"  # the rest answers normally


# --- faults ---------------------------------------------------------------------------------------

def test_fault_auth_rejects_the_password(lab):
    with pytest.raises(NetmikoAuthenticationException):
        ConnectHandler(**lab.netmiko_params("lab-ios-03"))


def test_fault_refused_and_snmp_timeout(lab):
    with pytest.raises(NetmikoTimeoutException, match="TCP connection to device failed"):
        ConnectHandler(**lab.netmiko_params("lab-eos-03"))
    with pytest.raises(EasySNMPTimeoutError):
        Session(**lab.snmp_params("lab-eos-03")).get(SYS_NAME)


def test_fault_hang_after_login_and_wrong_community(lab):
    with pytest.raises((ReadTimeout, NetmikoTimeoutException, ValueError)):
        ConnectHandler(**lab.netmiko_params("lab-junos-03", read_timeout_override=1))
    with pytest.raises(EasySNMPTimeoutError):
        Session(**lab.snmp_params("lab-junos-03")).get(SYS_NAME)
    community = "not-" + lab.device("lab-junos-03")["community"]
    assert Session(**lab.snmp_params("lab-junos-03", community=community)).get(SYS_NAME).value == "lab-junos-03"


def test_fault_drop_cuts_long_output(lab):
    with ConnectHandler(**lab.netmiko_params("lab-ios-04", read_timeout_override=2)) as conn:
        conn.enable()
        with pytest.raises((OSError, EOFError, ReadTimeout, Exception)) as info:
            conn.send_command("show running-config")
        assert not isinstance(info.value, AssertionError)
        assert not conn.is_alive()


def test_fault_hostkey_presents_another_key(lab, tmp_path):
    known = tmp_path / "known_hosts"
    known.write_text(lab.host_key_line("lab-ios-01") + "\n")
    strict = dict(ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=str(known))
    with connect(lab, "lab-ios-01", **strict) as conn:      # the stable key is accepted
        assert conn.find_prompt() == "lab-ios-01#"
    d = lab.device("lab-eos-04")
    known.write_text(lab.host_key_line("lab-eos-04") + "\n")
    import paramiko

    with pytest.raises((paramiko.BadHostKeyException, paramiko.SSHException, NetmikoTimeoutException, ValueError)) as info:
        ConnectHandler(**lab.netmiko_params("lab-eos-04", **strict))
    assert "key" in str(info.value).lower() or isinstance(info.value, paramiko.BadHostKeyException)
    assert d["faults"] == {"hostkey": None}


def test_fault_slow_still_answers_correctly(lab):
    with connect(lab, "lab-junos-04") as conn:
        assert "Hostname: lab-junos-04" in conn.send_command("show version")


# --- the command line and persistence -------------------------------------------------------------

def run_cli(args, instance):
    from zas.lab.cli import lab_cli

    return CliRunner().invoke(lab_cli, ["--instance", str(instance)] + args)


def test_status_json_keys(lab):
    from zas.lab.cli import lab_cli

    result = CliRunner().invoke(lab_cli, ["--instance", str(lab.root.parent), "status", "--json"])
    assert result.exit_code == 0
    devices = json.loads(result.output)
    assert [d["name"] for d in devices] == [d["name"] for d in lab.devices]
    for key in ("name", "platform", "host", "port", "snmp_port", "username", "password", "secret", "community"):
        assert all(key in d for d in devices)
    ports = len({d["port"] for d in devices})
    assert ports == len({d["snmp_port"] for d in devices}) == len(lab.devices) == 13


@pytest.mark.parametrize("args, message", [
    (["up", "--platforms", "cisco_ios,nokia_sros"], "unknown platform nokia_sros"),
    (["up", "--devices", "3", "--faults", "lab-ios-01"], "bad fault item"),
    (["up", "--devices", "3", "--faults", "lab-ios-01=melt"], "unknown fault 'melt'"),
    (["up", "--devices", "3", "--faults", "lab-ios-09=auth"], "devices the lab does not have"),
])
def test_bad_input_is_one_line_and_exit_1(tmp_path, args, message):
    result = run_cli(args, tmp_path)
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_port_in_use_is_one_line_and_exit_1(lab, tmp_path):
    taken = lab.devices[0]["port"]
    result = run_cli(["up", "--devices", "2", "--base-port", str(taken)], tmp_path)
    assert result.exit_code == 1
    assert f"port {taken} " in result.output and "in use" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_down_when_nothing_runs_is_not_an_error(tmp_path):
    result = run_cli(["down"], tmp_path)
    assert result.exit_code == 0 and "not running" in result.output


def test_state_and_host_key_survive_down_and_up(tmp_path):
    from zas.lab import control
    from zas.lab.pytest_plugin import start_lab

    small = start_lab(tmp_path, devices=1, faults="", platforms="cisco_ios")
    try:
        key = small.host_key_line("lab-ios-01")
        with connect(small, "lab-ios-01") as conn:
            conn.send_config_set(["snmp-server location survives-restart"])
            conn.save_config()
        assert control.down(small.root)
        assert control.status(small.root)["running"] is False
        port = small.devices[0]["port"]
        again = control.up(small.root, 1, "cisco_ios", port, small.devices[0]["snmp_port"], "", 3.0)
        assert again[0]["password"] == small.devices[0]["password"]
        assert small.host_key_line("lab-ios-01") == key
        with connect(small, "lab-ios-01") as conn:
            assert "snmp-server location survives-restart" in conn.send_command("show running-config")
    finally:
        control.down(small.root)
