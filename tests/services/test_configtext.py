"""Volatile lines, secret masking and diffs of configuration text."""
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
