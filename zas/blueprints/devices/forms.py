"""Device form: what the inventory service validates, as fields with their errors beside them."""
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from zas.blueprints.ui import optional_int
from zas.services.platforms import supported_platforms

COMMON_PLATFORMS = ("cisco_ios", "cisco_xe", "cisco_nxos", "arista_eos", "juniper_junos", "linux")


def platform_choices() -> list[tuple[str, str]]:
    names = sorted(supported_platforms())
    first = [p for p in COMMON_PLATFORMS if p in names]
    return [(p, p) for p in first + [p for p in names if p not in first]]


class DeviceForm(FlaskForm):
    """A device's inventory fields (facts come from discovery, not from here)."""

    organization_id = SelectField("Organization", coerce=optional_int, validators=[DataRequired()])
    name = StringField("Name", validators=[DataRequired(), Length(max=128)])
    host = StringField("Address (IP or DNS name)", validators=[DataRequired(), Length(max=255)])
    port = IntegerField("SSH port", default=22, validators=[NumberRange(1, 65535)])
    platform = SelectField("Platform (netmiko device type)", choices=platform_choices)
    site_id = SelectField("Site", coerce=optional_int)
    credential_id = SelectField("Credential profile", coerce=optional_int)
    snmp_profile_id = SelectField("SNMP profile", coerce=optional_int)
    snmp_port = IntegerField("SNMP port", default=161, validators=[NumberRange(1, 65535)])
    tags = StringField("Tags (comma separated)", validators=[Length(max=1000)])
    description = TextAreaField("Description", validators=[Length(max=2000)])
