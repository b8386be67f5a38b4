"""The dry-run prediction of a configuration change."""
from zas.services import configmerge, configtext

RUNNING = """hostname sw1
interface Ethernet1
 description old
 mtu 1500
interface Ethernet2
 shutdown
ntp server 10.0.0.1
"""


def diff(lines, platform="arista_eos", text=RUNNING):
    before = configmerge.comparable(text, platform)
    after = configmerge.predict(text, lines, platform)
    return configtext.unified_diff(before, after, platform)


def test_setting_in_a_section_replaces_its_sibling():
    d = diff(["interface Ethernet1", " description new uplink", "exit"])
    assert "- description old" in d and "+ description new uplink" in d
    assert configtext.diff_stats(d) == (1, 1)


def test_no_removes_and_new_section_is_added():
    d = diff(["interface Ethernet2", "no shutdown", "interface Ethernet9", "description added"])
    assert "- shutdown" in d and "+interface Ethernet9" in d and "+ description added" in d


def test_global_line_after_end_lands_at_the_top_level():
    d = diff(["interface Ethernet1", "mtu 9000", "end", "ntp server 10.0.0.2"])
    assert "- mtu 1500" in d and "+ mtu 9000" in d and "+ntp server 10.0.0.2" in d


def test_unchanged_lines_give_no_diff():
    assert diff(["interface Ethernet1", " description old"]) == ""


def test_junos_set_and_delete():
    text = "set system host-name r1\nset interfaces ge-0/0/0 description old\nset snmp location lab\n"
    d = diff(["set interfaces ge-0/0/0 mtu 9000", "delete snmp location"], "juniper_junos", text)
    assert "+set interfaces ge-0/0/0 mtu 9000" in d and "-set snmp location lab" in d
