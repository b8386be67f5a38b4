"""Volatile lines, secret masking and diffs of configuration text."""
import pytest

from zas.services import configtext

IOS = """Building configuration...

Current configuration : 1234 bytes
!
! Last configuration change at 10:00:01 UTC Mon Nov 2 2026 by admin
!
hostname core-1
enable secret 5 $1$abcd$SECRETHASH
username admin privilege 15 secret 5 $1$xyz$USERHASH
snmp-server community pub1ic-str RO
tacacs-server key 7 0822455D0A16
ntp clock-period 17179861
interface Gi0/1
 description uplink
"""


def test_volatile_lines_do_not_change_the_hash():
    later = IOS.replace("10:00:01", "11:22:33").replace("17179861", "17179999").replace("1234 bytes", "1240 bytes")
    assert configtext.content_hash(IOS, "cisco_ios") == configtext.content_hash(later, "cisco_ios")
    changed = IOS.replace("description uplink", "description core uplink")
    assert configtext.content_hash(IOS, "cisco_ios") != configtext.content_hash(changed, "cisco_ios")


def test_volatile_rules_are_per_platform():
    text = "ntp clock-period 1\nhostname x\n"
    other = "ntp clock-period 2\nhostname x\n"
    assert configtext.content_hash(text, "cisco_ios") == configtext.content_hash(other, "cisco_ios")
    assert configtext.content_hash(text, "arista_eos") != configtext.content_hash(other, "arista_eos")


def test_secrets_are_masked():
    masked = configtext.mask_secrets(IOS)
    for secret in ("SECRETHASH", "USERHASH", "pub1ic-str", "0822455D0A16"):
        assert secret not in masked
    assert "hostname core-1" in masked and "snmp-server community <removed> RO" in masked


def test_junos_secrets_are_masked():
    text = ('set system root-authentication encrypted-password "$6$abc$JUNOSHASH"\n'
            'set snmp community s3cr3t-comm authorization read-only\n')
    masked = configtext.mask_secrets(text)
    assert "JUNOSHASH" not in masked and "s3cr3t-comm" not in masked


def test_diff_names_the_changed_line_and_ignores_volatile_ones():
    new = IOS.replace("description uplink", "description to-core").replace("10:00:01", "12:00:00")
    diff = configtext.unified_diff(IOS, new, "cisco_ios")
    assert "-ntp" not in diff and "Last configuration" not in diff
    assert "- description uplink" in diff and "+ description to-core" in diff
    assert configtext.diff_stats(diff) == (1, 1)


STABLE_HASHES = {
    # (platform, text) -> the hash stored by earlier versions of ZAS: a change to the normalisation
    # that alters it would make the next backup of every device store a "new" version
    ("cisco_ios", "Building configuration...\r\n\r\nCurrent configuration : 1234 bytes\r\n! Last configuration "
                  "change at 10:00:01 UTC Mon Nov 2 2026 by admin\r\nhostname r1  \r\n!\r\nntp clock-period "
                  "17208\r\ninterface Gi0/1\r\n description uplink\t\r\n\r\nend\r\n"):
        "3756d32e6d431eadbd4897cf129ec153abbc64df0d4a7d70fad0c1febe208e3b",
    ("arista_eos", "! Command: show running-config\n! device: sw1 (DCS-7050, EOS-4.30)\n! Time: Mon Nov 2 10:00\n"
                   "hostname sw1\n   \n"): "44b8b61ad7ca4a01e6f0903bbf3458c3cbfd933b28118361a1a5ceae56108e3c",
    ("juniper_junos", "## Last commit: 2026-11-02 by admin\nset system host-name j1\n\n"):
        "4a1c9cdac7c330d52e06ab052392f69ed73b0c2e3586460fa61fb24ec3eeee63",
    ("unknown", "a\n\n  b  \r\n\x0c\nc\u00a0\n"): "ff75f52a4f8a249d590fc1a9cfc57b85649fcf3d94f9599d95b3c9ad156d830d",
}


@pytest.mark.parametrize("platform,text", list(STABLE_HASHES))
def test_content_hash_is_stable_across_releases(platform, text):
    assert configtext.content_hash(text, platform) == STABLE_HASHES[(platform, text)]
