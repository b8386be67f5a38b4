"""Job launch form: kind, targets and the kind's parameters."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import Optional

UI_KINDS = (("backup", "Back up the running configuration"), ("command", "Run show commands"),
            ("config", "Change configuration"), ("discover", "Discover facts and interfaces"))


class JobLaunchForm(FlaskForm):
    """What to run; the device ids travel as repeated `device_ids` fields."""

    kind = SelectField("Job", choices=UI_KINDS)
    commands = TextAreaField("Commands, one per line", validators=[Optional()],
                             render_kw={"rows": 5, "placeholder": "show version\nshow ip interface brief",
                                        "spellcheck": "false"})
    lines = TextAreaField("Configuration lines, one per line", validators=[Optional()],
                          render_kw={"rows": 8, "placeholder": "interface Gi0/1\n description uplink",
                                     "spellcheck": "false"})
    dry_run = BooleanField("Dry run: show the predicted diff, send nothing", default=True)
    save = BooleanField("Save the configuration after the change", default=True)

    def params(self) -> dict:
        """The job parameters for the chosen kind (validated by the automation service)."""
        if self.kind.data == "command":
            return {"commands": _lines(self.commands.data)}
        if self.kind.data == "config":
            return {"lines": _lines(self.lines.data, keep_indent=True), "dry_run": bool(self.dry_run.data),
                    "save": bool(self.save.data)}
        return {}


def _lines(text: str | None, keep_indent: bool = False) -> list[str]:
    out = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        line = line.rstrip() if keep_indent else line.strip()
        if line.strip():
            out.append(line)
    return out
