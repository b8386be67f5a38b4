"""The OpenAPI contract: every API route documented with its errors, Swagger UI served, and
schemathesis-generated requests against every operation answer without a server error and
without any secret in any response."""
from __future__ import annotations

import schemathesis
from flask import g
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode

from tests.blueprints.api.helpers import quick_user
from tests.factories import make_credential, make_device, make_org, make_snmp_profile
from zas.services import accounts

SECRETS = ("Cred-Pass-7731", "Enable-Secret-4410", "Snmp-Community-9902")


def test_every_api_route_is_documented_with_its_errors(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops if m != "parameters"}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith("api-docs"):
            continue
        path = "/api/v1" + rule.rule[len("/api/v1"):]
        for conv in ("int:", "string:", "path:"):
            path = path.replace("<" + conv, "{").replace(">", "}")
        path = path.replace("<", "{")
        spec_path = path[len("/api/v1"):] if path[len("/api/v1"):] in spec["paths"] else path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, spec_path) in documented, (method, path)
            op = spec["paths"][spec_path][method.lower()]
            assert op.get("summary") or op.get("description"), (method, path)
            if not rule.rule.startswith("/api/v1/auth/") and rule.endpoint.split(".")[0] != "reports_api":
                assert "401" in op["responses"], (method, path)


def test_swagger_ui_is_served(client):
    resp = client.get("/api/v1/docs")
    assert resp.status_code == 200 and b"swagger" in resp.data.lower()


def test_schemathesis_finds_no_server_error_and_no_secret(app, client, redis_url, monkeypatch):
    """Bounded: a few valid and a few invalid generated requests per operation, in-process (WSGI)."""
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    app.extensions.pop("zas_redis", None)
    org = make_org("Fuzz Org")
    make_credential(org, password=SECRETS[0], enable_secret=SECRETS[1])
    make_snmp_profile(org, community=SECRETS[2])
    make_device(org, name="fuzz-1")
    admin = quick_user(global_admin=True)
    _, token = accounts.issue_token(admin, "fuzz")
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, seen = [], []
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) > 30
    modes = ((GenerationMode.POSITIVE, 6), (GenerationMode.NEGATIVE, 4))
    runs = [(op, mode, n) for op in operations for mode, n in modes
            # deleting the fixtures (or tripping the login throttle) stops the run learning anything
            if op.method.upper() != "DELETE" and op.path != "/auth/tokens"]
    for operation, mode, examples in runs:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            for key in ("_login_user", "api_token", "zas_scope"):
                g.pop(key, None)
            response = case.call(headers=headers)
            body = response.content.decode("utf-8", "replace") if response.content else ""
            seen.append(response.status_code)
            if response.status_code >= 500:
                failures.append((operation.method, operation.path, response.status_code, body[:200]))
            for secret in SECRETS:
                if secret in body:
                    failures.append((operation.method, operation.path, "secret in response"))

        run()
    app.extensions.pop("zas_redis", None)
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    assert not failures, failures
    # it really exercised the API: successes and rejections alike
    assert {200, 201} <= set(seen) and 422 in seen and 404 in seen, sorted(set(seen))
