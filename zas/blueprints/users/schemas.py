"""User and membership schemas. Passwords are load-only."""
import marshmallow as ma

from zas.blueprints.apikit import Id, QueryArgsSchema, Str, StrictSchema
from zas.models.users import ROLES


class MembershipSchema(ma.Schema):
    """A user's role in an organization."""

    id = ma.fields.Integer(dump_only=True)
    user_id = ma.fields.Integer()
    organization_id = ma.fields.Integer()
    role = ma.fields.String()
    created_at = ma.fields.DateTime(dump_only=True)


class UserSchema(ma.Schema):
    """A user as the API shows it (never the password)."""

    id = ma.fields.Integer(dump_only=True)
    username = ma.fields.String()
    is_global_admin = ma.fields.Boolean()
    is_active = ma.fields.Boolean()
    created_at = ma.fields.DateTime(dump_only=True)
    last_login_at = ma.fields.DateTime(allow_none=True, dump_only=True)
    memberships = ma.fields.List(ma.fields.Nested(MembershipSchema), dump_only=True)


class UserCreateSchema(StrictSchema):
    """A new user: with a role in one of the caller's organizations, or a global admin."""

    username = Str(required=True, max_length=64)
    password = Str(required=True, load_only=True, max_length=1024)
    is_global_admin = ma.fields.Boolean()
    is_active = ma.fields.Boolean()
    organization_id = Id()
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))


class UserUpdateSchema(StrictSchema):
    """Changes to a user."""

    password = Str(load_only=True, max_length=1024)
    is_global_admin = ma.fields.Boolean()
    is_active = ma.fields.Boolean()


class UserQueryArgsSchema(QueryArgsSchema):
    """User list filters."""

    q = Str(metadata={"description": "part of the username"})


class MembershipCreateSchema(StrictSchema):
    """A new membership."""

    user_id = Id(required=True)
    organization_id = Id(required=True)
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))


class MembershipUpdateSchema(StrictSchema):
    """A new role."""

    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))


class MembershipQueryArgsSchema(QueryArgsSchema):
    """Membership list filters."""

    user_id = Id()
    organization_id = Id()
