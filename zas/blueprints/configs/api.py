"""REST: configuration versions (/api/v1/configs): text and diffs. Secrets are masked for
everyone but the organization's admins."""
from flask.views import MethodView

from zas.blueprints.access import current_scope
from zas.blueprints.apikit import api_blueprint, errors, path_id
from zas.blueprints.configs.schemas import (ConfigDiffArgsSchema, ConfigDiffSchema, ConfigVersionDetailSchema,
                                            ConfigVersionSchema)
from zas.errors import NotFound
from zas.extensions import db
from zas.models import ConfigVersion
from zas.services import configtext, dbmanager

blp = api_blueprint("configs", __name__, "configs", "Configuration versions and diffs")


def _visible_version(version_id: int) -> ConfigVersion:
    version = db.session.get(ConfigVersion, path_id(version_id))
    if version is None or not current_scope().can(version.device.organization_id, "viewer"):
        raise NotFound(f"configuration version {version_id} not found")
    return version


@blp.route("/<int:version_id>")
class ConfigById(MethodView):
    """One configuration version."""

    @blp.response(200, ConfigVersionDetailSchema)
    @errors(blp, 404)
    def get(self, version_id):
        """The version with its text."""
        version = _visible_version(version_id)
        masked = not current_scope().can(version.device.organization_id, "admin")
        out = {name: getattr(version, name) for name in ConfigVersionSchema().fields}
        out["text"] = configtext.mask_secrets(version.text) if masked else version.text
        out["masked"] = masked
        return out


@blp.route("/<int:version_id>/diff")
class ConfigDiff(MethodView):
    """Diff two versions."""

    @blp.arguments(ConfigDiffArgsSchema, location="query")
    @blp.response(200, ConfigDiffSchema)
    @errors(blp, 404, 422)
    def get(self, args, version_id):
        """Unified diff from `against` (old) to this version (new)."""
        new = _visible_version(version_id)
        old = _visible_version(args["against"])
        scope = current_scope()
        masked = not (scope.can(new.device.organization_id, "admin") and scope.can(old.device.organization_id, "admin"))
        diff = dbmanager.diff_versions(old, new, new.device.platform, masked=masked)
        return {"diff": diff, "masked": masked}
