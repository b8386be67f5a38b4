"""Discover: read facts (model, serial, version, uptime) and interfaces over SSH. Read-only."""
from __future__ import annotations

from zas.services import dbmanager, parsing


def run_device(step) -> None:
    """Run the platform's show commands, parse them with ntc-templates, sync the inventory."""
    if step.target is None:  # no credential profile: SNMP discovery (zas.jobs.poll)
        from zas.jobs import poll

        return poll.discover_device(step)
    outputs = {}
    with step.session() as session:
        for command in parsing.facts_commands(step.platform):
            outputs[command] = session.run(command)
        interfaces_out = session.run(parsing.INTERFACE_COMMAND)
        prompt = session.info.prompt
    facts = parsing.parse_facts(step.platform, outputs, prompt=prompt)
    interfaces = parsing.parse_interfaces(step.platform, interfaces_out)
    with step.db() as device:
        changes = dbmanager.sync_facts(device, facts)
        counts = dbmanager.sync_interfaces(device, interfaces)
    step.changed = bool(changes) or bool(counts["created"] or counts["removed"] or counts["updated"])
    summary = ", ".join(f"{k}={v}" for k, v in sorted(facts.items()))
    step.output = (f"facts: {summary or 'none parsed'}\n"
                   f"interfaces: {len(interfaces)} found, {counts['created']} new, {counts['updated']} updated, "
                   f"{counts['removed']} removed")
