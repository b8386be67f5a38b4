"""Command: run read-only show commands and keep each device's output. Changes nothing on the device."""
from __future__ import annotations

from zas.services import configtext


def run_device(step) -> None:
    """Run `params.commands` in order; stops at the first command the device refuses."""
    parts = []
    with step.session() as session:
        try:
            for command in step.params["commands"]:
                output = session.run(command)
                parts.append(f"{session.info.prompt or ''}# {command}\n{output.rstrip()}\n")
        finally:
            # what ran before a refused command is still worth keeping
            step.output = configtext.mask_secrets("\n".join(parts))
