"""REST: SSH credential profiles (/api/v1/credentials). Secrets are write-only."""
from flask.views import MethodView

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import actor, api_blueprint, errors, path_id, set_total
from zas.blueprints.credentials.schemas import (CredentialCreateSchema, CredentialSchema, CredentialUpdateSchema,
                                                ProfileQueryArgsSchema)
from zas.extensions import db
from zas.models import CredentialProfile
from zas.services import profiles

blp = api_blueprint("credentials", __name__, "credentials", "SSH credential profiles (secrets write-only)")


@blp.route("")
class Credentials(MethodView):
    """List and add credential profiles."""

    @blp.arguments(ProfileQueryArgsSchema, location="query")
    @blp.response(200, CredentialSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    @errors(blp, 422)
    def get(self, args, pagination_parameters):
        """Credential profiles of the caller's organizations (no secrets)."""
        page = profiles.list_profiles(CredentialProfile, current_scope(), args, page=pagination_parameters.page,
                                      page_size=pagination_parameters.page_size)
        return set_total(pagination_parameters, page)

    @blp.arguments(CredentialCreateSchema)
    @blp.response(201, CredentialSchema)
    @errors(blp, 403, 422)
    def post(self, data):
        """Add a credential profile (admins)."""
        cred = profiles.create_credential(current_scope(), data, actor=actor(), ip=client_ip())
        db.session.commit()
        return cred


@blp.route("/<int:profile_id>")
class CredentialById(MethodView):
    """One credential profile."""

    @blp.response(200, CredentialSchema)
    @errors(blp, 404)
    def get(self, profile_id):
        """Read a credential profile (no secrets)."""
        return profiles.get_credential(path_id(profile_id), current_scope())

    @blp.arguments(CredentialUpdateSchema)
    @blp.response(200, CredentialSchema)
    @errors(blp, 403, 404, 422)
    def patch(self, data, profile_id):
        """Edit a credential profile (admins)."""
        cred = profiles.get_credential(path_id(profile_id), current_scope())
        profiles.update_credential(current_scope(), cred, data, actor=actor(), ip=client_ip())
        db.session.commit()
        return cred

    @blp.response(204)
    @errors(blp, 403, 404)
    def delete(self, profile_id):
        """Delete a credential profile (admins)."""
        cred = profiles.get_credential(path_id(profile_id), current_scope())
        profiles.delete_credential(current_scope(), cred, actor=actor(), ip=client_ip())
        db.session.commit()
