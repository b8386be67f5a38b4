"""REST: SNMP profiles (/api/v1/snmp-profiles). Community and keys are write-only."""
from flask.views import MethodView

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import actor, api_blueprint, errors, path_id, set_total
from zas.blueprints.snmp_profiles.schemas import (ProfileQueryArgsSchema, SnmpProfileCreateSchema, SnmpProfileSchema,
                                                  SnmpProfileUpdateSchema)
from zas.extensions import db
from zas.models import SnmpProfile
from zas.services import profiles

blp = api_blueprint("snmp_profiles", __name__, "snmp-profiles", "SNMP profiles (community and keys write-only)")


@blp.route("")
class SnmpProfiles(MethodView):
    """List and add SNMP profiles."""

    @blp.arguments(ProfileQueryArgsSchema, location="query")
    @blp.response(200, SnmpProfileSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    @errors(blp, 422)
    def get(self, args, pagination_parameters):
        """SNMP profiles of the caller's organizations (no secrets)."""
        page = profiles.list_profiles(SnmpProfile, current_scope(), args, page=pagination_parameters.page,
                                      page_size=pagination_parameters.page_size)
        return set_total(pagination_parameters, page)

    @blp.arguments(SnmpProfileCreateSchema)
    @blp.response(201, SnmpProfileSchema)
    @errors(blp, 403, 422)
    def post(self, data):
        """Add a SNMP profile (admins)."""
        prof = profiles.create_snmp_profile(current_scope(), data, actor=actor(), ip=client_ip())
        db.session.commit()
        return prof


@blp.route("/<int:profile_id>")
class SnmpProfileById(MethodView):
    """One SNMP profile."""

    @blp.response(200, SnmpProfileSchema)
    @errors(blp, 404)
    def get(self, profile_id):
        """Read a SNMP profile (no secrets)."""
        return profiles.get_snmp_profile(path_id(profile_id), current_scope())

    @blp.arguments(SnmpProfileUpdateSchema)
    @blp.response(200, SnmpProfileSchema)
    @errors(blp, 403, 404, 422)
    def patch(self, data, profile_id):
        """Edit a SNMP profile (admins)."""
        prof = profiles.get_snmp_profile(path_id(profile_id), current_scope())
        profiles.update_snmp_profile(current_scope(), prof, data, actor=actor(), ip=client_ip())
        db.session.commit()
        return prof

    @blp.response(204)
    @errors(blp, 403, 404)
    def delete(self, profile_id):
        """Delete a SNMP profile (admins)."""
        prof = profiles.get_snmp_profile(path_id(profile_id), current_scope())
        profiles.delete_snmp_profile(current_scope(), prof, actor=actor(), ip=client_ip())
        db.session.commit()
