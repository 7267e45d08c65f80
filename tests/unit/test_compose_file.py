"""The production stack as files: docker-compose.yml against the Compose Specification's JSON schema (what
`docker compose config` would check where no Docker engine is at hand, as here), the rules of the stack (health
checks, env file, named volumes, nothing secret inline, scalable web and worker), the Dockerfile, .env.example, and
the production settings' choice of media storage."""

import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import jsonschema
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "tests" / "support" / "compose_spec.json").read_text())
APP_SERVICES = {"web", "worker", "scheduler", "migrate"}


def compose(text=None):
    return yaml.safe_load(text if text is not None else (ROOT / "docker-compose.yml").read_text())


def schema_errors(document):
    validator = jsonschema.Draft201909Validator(SCHEMA)  # its $schema names draft 2019-09 by a non-canonical URI
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document))


def long_running(services):
    return {name: service for name, service in services.items() if service.get("restart") != "no"}


# ---------------------------------------------------------------- the compose file
def test_the_compose_file_follows_the_compose_specification():
    assert schema_errors(compose()) == []


def test_the_schema_check_catches_a_broken_file():
    broken = compose()
    broken["services"]["web"]["restrat"] = "always"  # a typo
    broken["services"]["worker"]["healthcheck"] = {"test": ["CMD", "true"], "interval": 30}  # seconds need a unit
    errors = schema_errors(broken)
    assert any("restrat" in error for error in errors), errors
    assert any(error.startswith("services/worker/healthcheck/interval") for error in errors), errors


def test_the_stack_has_its_services():
    services = compose()["services"]
    assert {"proxy", "web", "worker", "scheduler", "migrate", "db", "redis", "elasticsearch"} <= set(services)
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["elasticsearch"]["environment"]["discovery.type"] == "single-node"
    assert services["elasticsearch"]["environment"]["xpack.security.enabled"] == "false"  # stated and explained
    assert "ports" not in services["elasticsearch"]  # ...because it is never published
    assert services["worker"]["command"] == "python manage.py run_worker"
    assert services["scheduler"]["command"] == "python manage.py run_scheduler"
    assert services["web"]["command"].startswith("gunicorn config.wsgi:application")
    assert "${GUNICORN_WORKERS" in services["web"]["command"] and "${GUNICORN_THREADS" in services["web"]["command"]
    for name in APP_SERVICES - {"migrate"}:
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production", name


def test_every_long_running_service_has_a_health_check_and_a_restart_policy():
    for name, service in long_running(compose()["services"]).items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
        assert not service["healthcheck"].get("disable"), name
        assert service.get("restart") in ("always", "unless-stopped", "on-failure"), name


def test_settings_come_from_the_env_file():
    services = compose()["services"]
    for name in APP_SERVICES | {"db"}:
        assert services[name].get("env_file") == ".env", name


def test_data_lives_in_named_volumes():
    document = compose()
    declared = set(document["volumes"])
    used = set()
    for name, service in document["services"].items():
        for mount in service.get("volumes", []):
            source = mount.split(":")[0] if isinstance(mount, str) else mount["source"]
            assert not source.startswith((".", "/", "~")), f"{name} mounts a host path: {mount}"
            used.add(source)
    assert used == declared
    assert {"pgdata", "media", "esdata"} <= declared


def test_web_and_worker_can_be_scaled():
    """`--scale web=3 --scale worker=2`: no fixed container name, no host port; only the proxy publishes ports."""
    services = compose()["services"]
    for name, service in services.items():
        assert "container_name" not in service, name
        if name != "proxy":
            assert "ports" not in service, f"{name} publishes a port: it could not run twice on one host"
    assert "web:8000" in services["proxy"]["command"]


SECRET_NAME = re.compile(r"PASSWORD|SECRET|_KEY|TOKEN|DSN", re.I)
INTERPOLATED = re.compile(r"^(\$\{[^}]+\})*$")


def _strings(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, str(index)))
    elif value is not None:
        yield path, str(value)


def test_no_secret_is_written_in_the_compose_file():
    for path, value in _strings(compose()):
        if SECRET_NAME.search(path[-1]):
            assert INTERPOLATED.match(value), f"{'/'.join(path)} holds a literal: {value!r}"
        for password in re.findall(r"://[^\s:/@]+:([^\s@]+)@", value):
            assert INTERPOLATED.match(password), f"{'/'.join(path)} has a password in a URL: {value!r}"


# ---------------------------------------------------------------- the image
def dockerfile_stages():
    stages, current = [], None
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("FROM "):
            current = [line]
            stages.append(current)
        elif current is not None:
            current.append(line)
    return ["\n".join(stage) for stage in stages]


def test_the_image_is_built_in_stages_and_runs_as_a_user_with_a_health_check():
    stages = dockerfile_stages()
    assert len(stages) >= 2 and all(stage.startswith("FROM python:3.11-slim") for stage in stages)
    runtime = stages[-1]
    users = re.findall(r"^USER\s+(\S+)", runtime, re.M)
    assert users and users[-1] not in ("root", "0", "0:0")
    assert re.search(r"^HEALTHCHECK .*\n?.*CMD", runtime, re.M)
    assert "build-essential" in stages[0] and "build-essential" not in runtime  # compilers only in the builder
    assert "collectstatic" in runtime
    assert not re.search(r"^(ENV|ARG)\s+.*(SECRET|PASSWORD|TOKEN)", runtime, re.M)  # nothing secret baked in


def production_requirements():
    text = (ROOT / "requirements.in").read_text()
    head = text.split("\n# tests", 1)[0]  # the Dockerfile's filter: sed '/^# tests/,$d'
    return [Requirement(line) for line in head.splitlines() if line.strip() and not line.startswith("#")]


def _closure(requirements):
    seen, todo = {}, list(requirements)
    while todo:
        requirement = todo.pop()
        name = requirement.name.lower().replace("_", "-")
        extras = set(requirement.extras)
        if name in seen and extras <= seen[name]:
            continue
        seen[name] = seen.get(name, set()) | extras
        for dependency in metadata.requires(requirement.name) or []:
            dependency = Requirement(dependency)
            environment = [{"extra": extra} for extra in seen[name]] or [{"extra": ""}]
            if dependency.marker is None or any(dependency.marker.evaluate(env) for env in environment):
                todo.append(dependency)
    return set(seen)


def test_the_image_installs_no_test_package():
    installed = _closure(production_requirements())
    assert {"django", "django-oscar", "wagtail", "gunicorn", "psycopg-binary", "boto3", "django-tasks-db",
            "django-tasks-rq", "django-rq", "whitenoise"} <= installed
    for test_only in ("pytest", "pytest-django", "pytest-playwright", "playwright", "localstripe", "time-machine",
                      "axe-playwright-python", "jsonschema", "pyyaml"):
        assert test_only not in installed, test_only
    pinned = {line.split("==")[0].lower().replace("_", "-")
              for line in (ROOT / "requirements.lock").read_text().splitlines() if "==" in line}
    assert installed <= pinned, installed - pinned  # the lock pins everything the image installs


def test_the_build_context_leaves_out_what_the_image_does_not_need():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".git", ".venv", "var", "tests", ".env", "db.sqlite3"} <= {entry.strip("/") for entry in ignored}


# ---------------------------------------------------------------- .env.example
ENV_READ = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def test_env_example_lists_every_variable_the_settings_and_the_stack_read():
    example = {line.split("=", 1)[0].lstrip("# ").strip()
               for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line}
    read = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        read |= set(ENV_READ.findall(path.read_text()))
    read |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", (ROOT / "docker-compose.yml").read_text()))
    read -= {"OCOP_IMAGE"}  # which image tag compose runs: a shell variable for releases, not a setting
    assert read - example == set()
    assert {"POSTGRES_PASSWORD", "AWS_STORAGE_BUCKET_NAME", "OCOP_TASKS_BACKEND", "SENTRY_DSN"} <= example


# ---------------------------------------------------------------- media storage in production
STORAGE_PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.core.files.storage import default_storage
from shop.security.csp import media_storage_origin
options = settings.STORAGES["default"].get("OPTIONS", {})
print(json.dumps({
    "backend": settings.STORAGES["default"]["BACKEND"],
    "class": type(default_storage._wrapped if hasattr(default_storage, "_wrapped") else default_storage).__name__,
    "serve_media": settings.OCOP_SERVE_MEDIA,
    "options": {k: v for k, v in options.items() if k != "secret_key"},
    "has_secret": bool(options.get("secret_key")),
    "url": default_storage.url("returns/42/photo.jpg"),
    "csp_media_origin": media_storage_origin(),
}))
"""


def production_storage(*, refused=False, **env):
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("AWS_", "OCOP_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "SENTRY_"))}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="k" * 30 + "q" * 30,
                       DJANGO_ALLOWED_HOSTS="ocop.example.vn", **env)
    done = subprocess.run([sys.executable, "-c", STORAGE_PROBE], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=120)
    if refused:
        assert done.returncode != 0
        return done.stderr
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_keeps_media_on_disk_without_a_bucket():
    found = production_storage()
    assert found["backend"] == "django.core.files.storage.FileSystemStorage"
    assert found["serve_media"] is True and found["url"] == "/media/returns/42/photo.jpg"
    assert found["csp_media_origin"] == ""  # photos come from this site: img-src 'self' covers them


def test_production_puts_media_on_s3_compatible_storage_private_and_signed_when_a_bucket_is_set():
    found = production_storage(
        AWS_STORAGE_BUCKET_NAME="ocop-media",
        AWS_S3_ENDPOINT_URL="https://s3.example-cloud.vn",
        AWS_S3_REGION_NAME="hn-1",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret",
        AWS_S3_ADDRESSING_STYLE="path",
    )
    assert found["backend"] == "storages.backends.s3.S3Storage" and found["class"] == "S3Storage"
    assert found["serve_media"] is False  # the app no longer serves /media/ itself
    options = found["options"]
    assert options["bucket_name"] == "ocop-media" and options["endpoint_url"] == "https://s3.example-cloud.vn"
    assert options["region_name"] == "hn-1" and options["access_key"] == "AKIAEXAMPLE" and found["has_secret"]
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert "custom_domain" not in options and options["file_overwrite"] is False
    # A signed, expiring link on the endpoint (made locally: no request leaves this machine).
    url = found["url"]
    assert url.startswith("https://s3.example-cloud.vn/ocop-media/returns/42/photo.jpg?"), url
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=3600" in url and "AKIAEXAMPLE" in url
    # the storefront's enforced CSP lets the browser load the photos from there
    assert found["csp_media_origin"] == "https://s3.example-cloud.vn"


def test_production_refuses_a_cdn_domain_that_would_make_private_media_public():
    """Links on AWS_S3_CUSTOM_DOMAIN are not signed: return photos and certificate scans in the same bucket would
    be readable by anyone who guesses their names."""
    stderr = production_storage(refused=True, AWS_STORAGE_BUCKET_NAME="ocop-media",
                                AWS_S3_CUSTOM_DOMAIN="media.ocop.example.vn")
    assert "AWS_S3_CUSTOM_DOMAIN" in stderr
