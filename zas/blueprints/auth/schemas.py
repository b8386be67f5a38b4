"""Schemas of the token login endpoint."""
from zas.blueprints.tokens.schemas import LoginTokenSchema, NewTokenSchema  # noqa: F401
