"""The `zas` command line: a FlaskGroup over `create_app`, plus ZAS's own commands."""
from __future__ import annotations

import importlib.util
import secrets
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy.exc import OperationalError, ProgrammingError

from zas.errors import ZasError


def _create_app():
    from zas import create_app

    return create_app()


cli = FlaskGroup(create_app=_create_app, help="ZAS network automation.")


def main() -> None:
    """Entry point: a bad setting or an unreachable database is one clear line and exit 1."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ZasError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except (OperationalError, ProgrammingError) as exc:
        click.echo(f"Error: {describe_db_error(exc)}", err=True)
        sys.exit(1)
    except SystemExit:
        raise


def describe_db_error(exc: Exception) -> str:
    from zas.config import mask_url

    try:
        url = current_app.config["DATABASE_URL"]
    except RuntimeError:
        import os

        url = mask_url(os.environ.get("ZAS_DATABASE_URL", "sqlite (instance/zas.db)"))
    reason = str(getattr(exc, "orig", exc)).splitlines()[0]
    return f"ZAS_DATABASE_URL: cannot use the database at {url}: {reason}"


def _fail(exc: Exception):
    raise click.ClickException(str(exc))


@click.group("user")
def user_cli():
    """Manage users."""


@user_cli.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "operator", "viewer"]), required=True)
@click.option("--org", "org_name", default=None, help="Organization (created if missing); none: global admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def user_create(name, role, org_name, password_stdin):
    """Create a user; prints a generated password unless --password-stdin is given."""
    from zas.extensions import db
    from zas.services import accounts, audit

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = secrets.token_urlsafe(12)
    try:
        user = accounts.create_user(name, password, role, org_name)
        audit.record("user.create", obj=user, after={"username": name, "role": role, "org": org_name},
                     actor_name="cli")
        db.session.commit()
    except ZasError as exc:
        db.session.rollback()
        _fail(exc)
    scope = f"in {org_name}" if org_name else "(global)"
    click.echo(f"Created {role} {name} {scope}")
    if not password_stdin:
        click.echo(f"Password: {password}")


@click.group("token")
def token_cli():
    """Manage API tokens."""


@token_cli.command("create")
@click.argument("name")
@click.option("--label", default="cli", help="What the token is for.")
@click.option("--read-only", is_flag=True, help="A token that cannot write.")
@with_appcontext
def token_create(name, label, read_only):
    """Print a new API token for user NAME (shown once)."""
    from zas.extensions import db
    from zas.services import accounts, audit

    try:
        user = accounts.get_user_by_name(name)
        row, clear = accounts.issue_token(user, label, write=not read_only)
        audit.record("token.create", obj=row, actor_name="cli", after={"user": name, "write": not read_only})
        db.session.commit()
    except ZasError as exc:
        db.session.rollback()
        _fail(exc)
    click.echo(clear)


@click.group("keys")
def keys_cli():
    """Credential encryption keys."""


@keys_cli.command("generate")
def keys_generate():
    """Print a new Fernet key for ZAS_CREDENTIALS_KEY."""
    from zas.crypto import generate_key

    click.echo(generate_key())


@keys_cli.command("rotate")
@with_appcontext
def keys_rotate():
    """Re-encrypt every stored secret with the first key of ZAS_CREDENTIALS_KEY."""
    from zas.extensions import db
    from zas.services import secrets_store

    count = secrets_store.rotate_all()
    db.session.commit()
    click.echo(f"Re-encrypted {count} secrets")


# on the top-level group: generating a key must work before any setting is right
cli.add_command(keys_cli)


@click.command("setup")
@click.option("--admin", "admin_name", default="admin")
@with_appcontext
def setup_cmd(admin_name):
    """Migrate the database and create the first admin (its password kept in instance/ until changed)."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from zas.extensions import db
    from zas.models import User
    from zas.services import accounts

    upgrade()
    kept = Path(current_app.instance_path) / "initial-admin-password"
    if db.session.scalar(select(func.count(User.id))) == 0:
        password = secrets.token_urlsafe(12)
        accounts.create_user(admin_name, password, "admin")
        db.session.commit()
        kept.write_text(password)
        kept.chmod(0o600)
    user = db.session.scalar(select(User).where(User.username == admin_name))
    if kept.exists() and user is not None and user.check_password(kept.read_text()):
        click.echo(f"Admin login: {admin_name} / {kept.read_text()}  (change it after logging in)")
    else:
        kept.unlink(missing_ok=True)
        click.echo(f"Admin user exists; log in as {admin_name} with your password")


def register_commands(app) -> None:
    app.cli.add_command(user_cli)
    app.cli.add_command(token_cli)
    app.cli.add_command(setup_cmd)
    from zas.jobs.cli import register as register_job_commands

    register_job_commands(app)
    if importlib.util.find_spec("zas.lab") is not None and importlib.util.find_spec("zas.lab.cli") is not None:
        from zas.lab.cli import lab_cli

        app.cli.add_command(lab_cli)
