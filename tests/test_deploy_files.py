"""The production files parse and describe the stack the README promises (no Docker engine runs here)."""
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_file_parses_and_names_each_service():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "mariadb", "redis", "nginx", "migrate"} <= set(services)
    assert services["worker"]["command"][:2] == ["zas", "worker"]
    web_env = services["web"]["environment"]
    assert web_env["ZAS_DATABASE_URL"].startswith("mysql+pymysql://")
    assert web_env["ZAS_REDIS_URL"].startswith("redis://redis")
    for name in ("web", "worker", "migrate"):
        assert services[name]["build"] == "."
    # every bind-mounted file exists in the repository
    for volume in services["nginx"]["volumes"]:
        src = volume.split(":")[0]
        assert (ROOT / src).exists(), src


def test_dockerfile_copies_only_what_exists_and_serves_wsgi():
    text = (ROOT / "Dockerfile").read_text()
    assert text.startswith("#") or text.startswith("FROM")
    assert re.search(r"^FROM python:3\.11", text, re.M)
    for line in re.findall(r"^COPY (.+) \S+$", text, re.M):
        for src in line.split():
            assert (ROOT / src).exists(), f"Dockerfile copies missing {src}"
    assert "wsgi:app" in text and "USER zas" in text


def test_env_example_documents_every_setting():
    from zas.config import DEFAULTS

    text = (ROOT / ".env.example").read_text()
    for key in DEFAULTS:
        assert f"ZAS_{key}=" in text, f".env.example does not document ZAS_{key}"
