"""The multi-column GETBULK walk against scripted agent answers (the easysnmp call is the seam:
real agents are exercised by the lab tests; these are the misbehaviours a lab agent does not do)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from zas.services import snmp

A, B = "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.8"


def var(column: str, index: str, value: str = "x", kind: str = "OCTETSTR"):
    return SimpleNamespace(oid="." + column, oid_index=index, snmp_type=kind, value=value)


class ScriptedAgent:
    """Answers each GETBULK with the next scripted list of varbinds (then end of view)."""

    def __init__(self, answers):
        self.answers, self.requests, self.repetitions = list(answers), [], []

    def get_bulk(self, oids, non_repeaters, max_repetitions):
        self.requests.append(list(oids))
        self.repetitions.append(max_repetitions)
        return self.answers.pop(0) if self.answers else [SimpleNamespace(oid=".1.3.6.1.2.1.3", oid_index="",
                                                                          snmp_type="ENDOFMIBVIEW", value="")]


def session_with(agent) -> snmp.Session:
    session = object.__new__(snmp.Session)
    session.target = SimpleNamespace(host="127.0.0.1")
    session.settings = snmp.SnmpSettings(max_repetitions=2)
    session.requests, session._session = 0, agent
    session._get_bulk = agent.get_bulk  # the seam: what easysnmp's C layer would answer
    return session


def test_columns_are_walked_side_by_side_until_each_ends():
    agent = ScriptedAgent([
        [var(A, "1", "eth0"), var(B, "1", "1", "INTEGER"), var(A, "2", "eth1"), var(B, "2", "2", "INTEGER")],
        [var(A, "10", "eth9"), var(B, "10", "1", "INTEGER"), var(B, "1"), var(B, "11", "1", "INTEGER")],
        [var(B, "12", "1", "INTEGER"), var(B, "13", "2", "INTEGER")],  # A ended; only B asked now
        [var("1.3.6.1.2.1.2.2.1.9", "1")],
    ])
    table = session_with(agent).walk([A, B])
    assert table[A] == {"1": ("OCTETSTR", "eth0"), "2": ("OCTETSTR", "eth1"), "10": ("OCTETSTR", "eth9")}
    assert sorted(table[B], key=int) == ["1", "2", "10", "11", "12", "13"]
    assert agent.requests[2] == ["." + B + ".11"]  # each column continues from its own last index


def test_an_agent_that_starts_over_ends_the_walk():
    first = [var(A, "1"), var(A, "2")]
    agent = ScriptedAgent([first, [var(A, "1"), var(A, "2")], first, first])  # loops back to the start
    table = session_with(agent).walk([A])
    assert table[A].keys() == {"1", "2"} and len(agent.requests) == 2


def test_a_repeated_oid_inside_one_answer_ends_that_column():
    agent = ScriptedAgent([[var(A, "1"), var(A, "1"), var(A, "1")]] * 50)
    table = session_with(agent).walk([A])
    assert table[A].keys() == {"1"} and len(agent.requests) <= 2


def test_numeric_not_textual_order_decides_progress():
    # "10" sorts before "9" as text; as an OID index it comes after
    agent = ScriptedAgent([[var(A, "9"), var(A, "10")], [var(A, "11")]])
    assert session_with(agent).walk([A])[A].keys() == {"9", "10", "11"}


def test_expected_rows_size_each_request_to_one_past_the_end():
    agent = ScriptedAgent([
        [var(A, str(i)) for i in (1, 2, 3)],       # the agent sent fewer than asked (its own cap)
        [var(A, "4"), var(A, "5"), var(B, "1")],   # rows 4 and 5, then the next column: the end
    ])
    session = session_with(agent)
    session.settings = snmp.SnmpSettings(max_repetitions=25)
    assert session.walk([A], rows=5)[A].keys() == {"1", "2", "3", "4", "5"}
    assert agent.repetitions == [6, 3]


def test_a_wrong_row_hint_only_sizes_requests_the_walk_still_reads_every_row():
    agent = ScriptedAgent([[var(A, "1"), var(A, "2")], [var(A, "3")], [var(A, "4")], [var(B, "1")]])
    session = session_with(agent)
    session.settings = snmp.SnmpSettings(max_repetitions=25)
    assert session.walk([A], rows=2)[A].keys() == {"1", "2", "3", "4"}
    assert agent.repetitions == [3, 1, 1, 1]


def test_a_small_table_starts_small_and_grows_up_to_the_cap():
    agent = ScriptedAgent([[var(A, "1")], [var(A, "2")], [var(A, "3")], [var(B, "1")]])
    session = session_with(agent)
    session.settings = snmp.SnmpSettings(max_repetitions=25)
    assert session.walk([A], first=2)[A].keys() == {"1", "2", "3"}
    assert agent.repetitions == [2, 8, 25, 25]


@pytest.mark.parametrize("oid,than,after", [
    ("1.3.6.1.10", "1.3.6.1.9", True),       # same column, one-arc index: compared as numbers
    ("1.3.6.1.9", "1.3.6.1.10", False),
    ("1.3.6.1.9", "1.3.6.1.9", False),
    ("1.3.6.2.1", "1.3.6.1.9", True),        # a later column
    ("1.3.6.1.9", "1.3.6.1.9.1", False),     # a prefix comes first
    ("1.3.6.1.9.0.1", "1.3.6.1.10", False),  # multi-arc indexes: arc by arc
    ("1.3.6.1.x", "1.3.6.1.9", False),       # garbage never counts as progress
])
def test_oid_order(oid, than, after):
    assert snmp._oid_after(oid, than) is after
