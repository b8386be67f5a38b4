"""The `zas` command line: users, tokens, keys, and one clear line for bad settings."""
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from zas.extensions import db
from zas.models import ApiToken, Membership, User

ZAS = str(Path(sys.executable).with_name("zas"))


def test_user_create_with_org_and_password_stdin(runner):
    result = runner.invoke(args=["user", "create", "carol", "--role", "operator", "--org", "NetOps",
                                 "--password-stdin"], input="a-long-password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "carol"))
    assert user.check_password("a-long-password") and not user.is_global_admin
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert membership.role == "operator" and membership.organization.name == "NetOps"
    assert "a-long-password" not in result.output


def test_admin_without_org_is_global(runner):
    result = runner.invoke(args=["user", "create", "root2", "--role", "admin", "--password-stdin"],
                           input="another-password\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.is_global_admin).where(User.username == "root2")) is True


def test_existing_user_is_a_clear_error_with_status_1(runner):
    args = ["user", "create", "dave", "--role", "viewer", "--org", "X", "--password-stdin"]
    assert runner.invoke(args=args, input="password-one\n").exit_code == 0
    again = runner.invoke(args=args, input="password-two\n")
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_password_hash_is_a_current_algorithm(runner):
    runner.invoke(args=["user", "create", "erin", "--role", "admin", "--password-stdin"], input="pw-for-erin!\n")
    user = db.session.scalar(select(User).where(User.username == "erin"))
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:sha256:600000", "argon2"))


def test_short_password_is_refused(runner):
    result = runner.invoke(args=["user", "create", "frank", "--role", "admin", "--password-stdin"], input="short\n")
    assert result.exit_code == 1 and "password" in result.output


def test_token_create_prints_a_token_stored_only_hashed(runner):
    runner.invoke(args=["user", "create", "gina", "--role", "admin", "--password-stdin"], input="pw-for-gina!\n")
    result = runner.invoke(args=["token", "create", "gina"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("zas_") and len(token) > 40
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token)))
    assert row is not None and row.user.username == "gina"
    assert token not in repr(row) and row.token_hash != token


def test_token_for_missing_user_is_status_1(runner):
    result = runner.invoke(args=["token", "create", "nobody"])
    assert result.exit_code == 1 and "nobody" in result.output


def _run_zas(args, env_extra, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZAS_")}
    env.update(env_extra)
    return subprocess.run([ZAS, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_unparseable_database_url_is_one_line_naming_the_setting(tmp_path):
    proc = _run_zas(["db", "upgrade"], {"ZAS_DATABASE_URL": "mysql://u:p@host:notaport/db"}, tmp_path)
    assert proc.returncode == 1
    assert "ZAS_DATABASE_URL" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_unreachable_database_is_one_line_without_the_password(tmp_path):
    env = {"ZAS_DATABASE_URL": "mysql+pymysql://zas:dbpass123@127.0.0.1:1/zas",
           "ZAS_SECRET_KEY": "x", "ZAS_CREDENTIALS_KEY": "hZBFIZvsS0F8p4N8YHD3kZ2OaaiQL5O1r1yWfa3mH8Q="}
    proc = _run_zas(["db", "upgrade"], env, tmp_path)
    assert proc.returncode == 1
    assert "ZAS_DATABASE_URL" in proc.stderr and "Traceback" not in proc.stderr
    assert "dbpass123" not in proc.stderr


def test_production_without_credentials_key_refuses_to_start(tmp_path):
    proc = _run_zas(["db", "upgrade"], {"ZAS_DATABASE_URL": "mysql+pymysql://root@127.0.0.1/x",
                                        "ZAS_SECRET_KEY": "x"}, tmp_path)
    assert proc.returncode == 1 and "ZAS_CREDENTIALS_KEY is not set" in proc.stderr


def test_dotenv_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("ZAS_DATABASE_URL=nonsense://\n")
    proc = _run_zas(["db", "upgrade"], {}, tmp_path)
    assert proc.returncode == 1 and "ZAS_DATABASE_URL" in proc.stderr


def test_keys_generate_needs_no_database(tmp_path):
    proc = _run_zas(["keys", "generate"], {"ZAS_DATABASE_URL": "garbage"}, tmp_path)
    assert proc.returncode == 0 and len(proc.stdout.strip()) == 44


def test_job_run_waits_for_the_job_and_prints_each_device(committed_app):
    from tests.factories import make_credential, make_device, make_org

    org = make_org("CLI Jobs")
    cred = make_credential(org)
    make_device(org, name="cli-r1", credential=cred)
    db.session.commit()
    result = committed_app.test_cli_runner().invoke(args=["job", "run", "backup", "--org", "CLI Jobs", "--all"])
    assert result.exit_code == 1, result.output  # the device refuses: the job fails, and says why
    assert "cli-r1: failed [ConnectionRefused]" in result.output and "failed" in result.output.splitlines()[-1]


def test_job_run_rejects_bad_parameters_before_queueing(committed_app):
    from tests.factories import make_device, make_org

    make_device(make_org("CLI Jobs 2"), name="cli-r2")
    db.session.commit()
    result = committed_app.test_cli_runner().invoke(
        args=["job", "run", "command", "--org", "CLI Jobs 2", "--all", "--params", '{"commands": ["reload"]}'])
    assert result.exit_code == 1, result.output
    assert "read-only" in result.output and "reload" in result.output
    from zas.models import AutomationJob

    assert db.session.scalar(select(AutomationJob.id)) is None


def test_wsgi_entry_reads_dotenv_and_fails_in_one_line(tmp_path):
    (tmp_path / ".env").write_text("ZAS_DATABASE_URL=nonsense://\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZAS_")}
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(root)!r}); import wsgi"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("Error: ZAS_DATABASE_URL") and "Traceback" not in proc.stderr
