"""The production stack as files: docker-compose.yml against the Compose Specification's JSON schema (what
`docker compose config` would check where no Docker engine is at hand, as here), the rules of the stack (health
checks, env file, named volumes, nothing secret inline, scalable web and worker, a site that starts without Redis or
Elasticsearch), the proxy's Caddyfile, gunicorn's trust in forwarded headers (its own parser, and a live gunicorn),
the Dockerfile, .env.example, `make compose-check`, and the production settings' choice of media storage."""

import http.client
import ipaddress
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
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


COMPOSE_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}")


def interpolate(text, values=None):
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default} and ${VAR:?message} against ``values`` (.env's)."""
    values = values or {}

    def one(match):
        name, colon, operator, word = match.groups()
        value = values.get(name)
        missing = value is None or (colon and value == "")
        if missing and operator == "-":
            return word
        if missing and operator == "?":
            raise AssertionError(f"{name}: {word}")
        return value or ""

    return COMPOSE_VARIABLE.sub(one, text)


def env_example():
    """The variables .env.example sets (commented lines set nothing)."""
    pairs = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            name, value = line.split("=", 1)
            pairs[name.strip()] = value
    return pairs


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


OPTIONAL_SERVERS = {"redis", "elasticsearch", "redis-tasks"}


def _dependencies(service):
    depends = service.get("depends_on", {})
    return {name: {"condition": "service_started"} for name in depends} if isinstance(depends, list) else depends


def test_the_site_starts_without_redis_or_elasticsearch():
    """The site keeps selling with Redis or Elasticsearch down (a cache miss; search on the database): no service may
    wait for them at `docker compose up` or a reboot, or an unhealthy one would leave no web and no proxy. Only a
    dependency that is not required would be harmless; the schema checked here has no `required`, so none at all."""
    services = compose()["services"]
    for name, service in services.items():
        for server, dependency in _dependencies(service).items():
            if server in OPTIONAL_SERVERS:
                assert dependency.get("condition") == "service_started" and dependency.get("required") is False, (
                    f"{name} waits for {server}: {dependency}"
                )
    for name in APP_SERVICES:  # what they do wait for: the database, healthy, and the migrations (but migrate itself)
        assert _dependencies(services[name])["db"] == {"condition": "service_healthy"}, name
    # the proxy does not wait for a healthy web either: it finds the replicas and skips one that does not answer
    assert _dependencies(services["proxy"]) == {"web": {"condition": "service_started"}}


def test_the_stack_searches_with_the_elasticsearch_it_runs():
    """.env.example and the compose file agree: the stack runs Elasticsearch, so with the example's settings it uses
    it (a value in .env wins over the compose default, so the example must not set "database")."""
    example = env_example()
    environment = compose()["services"]["web"]["environment"]
    assert interpolate(environment["OCOP_SEARCH_ENGINE"], example) == "elasticsearch"
    assert interpolate(environment["ELASTICSEARCH_URL"], example) == "http://elasticsearch:9200"
    assert "OCOP_SEARCH_ENGINE" not in example  # left commented: `make run` keeps its own default, the database


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
            parts = mount.split(":") if isinstance(mount, str) else [mount["source"], mount["target"]]
            source = parts[0]
            if source.startswith((".", "/", "~")):
                # Only a configuration file of this repository, read-only: data never lives on a host path.
                assert source.startswith("./docker/") and (ROOT / source).is_file(), f"{name} mounts {mount}"
                assert parts[-1] == "ro" if isinstance(mount, str) else mount.get("read_only"), f"{name}: {mount}"
                continue
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


# ---------------------------------------------------------------- the proxy (docker/Caddyfile)
def caddyfile():
    """The Caddyfile without its comments."""
    lines = (ROOT / "docker" / "Caddyfile").read_text().splitlines()
    return "\n".join(line.split("#", 1)[0].rstrip() for line in lines if line.split("#", 1)[0].strip())


def test_the_proxy_runs_the_caddyfile_of_the_repository():
    proxy = compose()["services"]["proxy"]
    assert "./docker/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert proxy["command"] == ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
    assert proxy["environment"]["OCOP_DOMAIN"] == "${OCOP_DOMAIN:-localhost}"
    assert re.search(r"^\{\$OCOP_DOMAIN(:localhost)?\} \{$", caddyfile(), re.M)  # the site is that domain


def test_the_proxy_spreads_requests_over_every_web_replica():
    """A fixed upstream (`web:8000`) is resolved once per connection and keeps one replica; `dynamic a` looks the
    replicas up again and again, and round_robin takes them in turn."""
    text = caddyfile()
    dynamic = re.search(r"^\s*dynamic a \{\n(.*?)\n\s*\}", text, re.M | re.S)
    assert dynamic, text
    options = dict(line.split(None, 1) for line in dynamic.group(1).splitlines())
    assert options["name"] == "web" and options["port"] == "8000" and "refresh" in options
    assert re.search(r"^\s*lb_policy round_robin$", text, re.M)
    assert re.search(r"^\s*reverse_proxy \{$", text, re.M)  # no static upstream beside the dynamic ones
    assert not re.search(r"^\s*to\s", text, re.M)
    # Caddy runs no active health checks on dynamic upstreams: a replica is judged by the requests (passive), and a
    # request whose replica is gone is tried on another.
    assert re.search(r"^\s*fail_duration \d+s$", text, re.M) and re.search(r"^\s*lb_try_duration \d+s$", text, re.M)
    assert "health_uri" not in text  # it would be a setting that does nothing


def test_the_proxy_writes_the_forwarded_headers_itself_and_its_health_check_reaches_it():
    text = caddyfile()
    # Trusting no proxy, Caddy drops a client's X-Forwarded-For/-Proto/-Host and writes its own (one hop: the
    # app's OCOP_PROXY_HOPS=1); nothing here may override what it writes.
    assert "trusted_proxies" not in text
    assert not re.search(r"header_up\s+\+?X-Forwarded", text, re.I)
    assert compose()["services"]["web"]["environment"]["OCOP_TRUSTED_PROXIES"] == "${OCOP_PROXY_HOPS:-1}"
    assert env_example()["OCOP_PROXY_HOPS"] == "1"
    for name in ("SCRIPT_NAME", "PATH_INFO"):  # a client cannot set the WSGI environment through gunicorn
        assert re.search(rf"^\s*header_up -{name}$", text, re.M), name
    # `caddy reverse-proxy` turned the admin endpoint off and the health check failed forever: the Caddyfile keeps
    # it on the container's loopback, and the check asks it there.
    admin = re.search(r"^\s*admin\s+(\S+)$", text, re.M)
    assert admin and admin.group(1) not in ("off", "") and admin.group(1).startswith(("127.0.0.1:", "localhost:"))
    check = compose()["services"]["proxy"]["healthcheck"]["test"]
    assert f"http://{admin.group(1)}/config/" in check and "--spider" not in check  # GET: HEAD gets 405 there


# ---------------------------------------------------------------- gunicorn and forwarded headers
PRIVATE_DEFAULT = "127.0.0.1,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16"


def compose_web_args(**values):
    """The web service's command as the container gets it (interpolated from .env's ``values``, then split)."""
    return shlex.split(interpolate(compose()["services"]["web"]["command"], values))


def image_web_args(tmp_path, **env):
    """The image's CMD run by its shell, with a stand-in gunicorn that prints the arguments it was given."""
    command = re.findall(r"^CMD (.*(?:\\\n.*)*)", dockerfile_stages()[-1], re.M)[-1].replace("\\\n", "")
    argv = json.loads(command)
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    (fake / "gunicorn").write_text(f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    (fake / "gunicorn").chmod(0o755)
    environment = {"PATH": f"{fake}:/usr/bin:/bin", **env}
    done = subprocess.run(argv, env=environment, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return ["gunicorn", *json.loads(done.stdout)]


def gunicorn_settings(args):
    """What gunicorn itself makes of a command line (its parser and validators, as `gunicorn ...` would)."""
    from gunicorn.config import Config

    assert args[0] == "gunicorn"
    config = Config()
    parsed = config.parser().parse_args(args[1:])
    for key, value in vars(parsed).items():
        if value is not None and key != "args":
            config.set(key.lower(), value)
    return config


def test_gunicorn_takes_forwarded_headers_only_from_private_networks(tmp_path):
    """`--forwarded-allow-ips '*'` let anyone who reached gunicorn say "this was HTTPS" or set SCRIPT_NAME."""
    for where, args in (("compose", compose_web_args()), ("image", image_web_args(tmp_path))):
        config = gunicorn_settings(args)
        assert config.forwarded_allow_ips == PRIVATE_DEFAULT.split(","), where
        networks = [ipaddress.ip_network(entry) for entry in config.forwarded_allow_ips]
        assert all(network.is_private for network in networks), where
        assert any(ipaddress.ip_address("172.18.0.5") in network for network in networks), where  # compose's network
        assert not any(ipaddress.ip_address("203.0.113.7") in network for network in networks), where  # the internet
        assert config.forwarder_headers == [], where  # no header sets SCRIPT_NAME or PATH_INFO
    # narrowed by one variable, in both
    narrowed = "172.20.0.0/16"
    assert gunicorn_settings(compose_web_args(GUNICORN_FORWARDED_ALLOW_IPS=narrowed)).forwarded_allow_ips == [narrowed]
    image = gunicorn_settings(image_web_args(tmp_path, GUNICORN_FORWARDED_ALLOW_IPS=narrowed))
    assert image.forwarded_allow_ips == [narrowed]
    assert env_example()["GUNICORN_FORWARDED_ALLOW_IPS"] == PRIVATE_DEFAULT


ECHO_APP = """
import json


def app(environ, start_response):
    body = json.dumps({key: environ.get(key, "") for key in ("SCRIPT_NAME", "PATH_INFO", "wsgi.url_scheme")}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
"""


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve_and_ask(tmp_path, args, path, headers):
    """Run a real gunicorn with ``args`` (the app swapped for one that echoes its WSGI environment) and ask ``path``
    from 127.0.0.1, the way the proxy would."""
    (tmp_path / "echo_app.py").write_text(ECHO_APP)
    port = _free_port()
    args = [arg.replace("config.wsgi:application", "echo_app:app") for arg in args[1:]]
    args[args.index("--bind") + 1] = f"127.0.0.1:{port}"
    args[args.index("--workers") + 1] = "1"
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--chdir", str(tmp_path), *args],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", path, headers=headers)
                return json.loads(connection.getresponse().read())
            except (ConnectionRefusedError, http.client.RemoteDisconnected):
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_no_request_header_moves_the_app_under_another_script_name(tmp_path):
    """From a trusted peer (the proxy, here 127.0.0.1), gunicorn's default honours a SCRIPT_NAME header: every link
    the app builds would then start with the client's prefix. The stack's command honours none, and still takes
    X-Forwarded-Proto from the proxy."""
    headers = {"Host": "ocop.example.vn", "SCRIPT_NAME": "/evil", "X-Forwarded-Proto": "https"}
    stack = _serve_and_ask(tmp_path, compose_web_args(), "/evil/gio-hang/", headers)
    assert stack == {"SCRIPT_NAME": "", "PATH_INFO": "/evil/gio-hang/", "wsgi.url_scheme": "https"}

    # the same request to gunicorn's defaults: the header does reach gunicorn, and is honoured there
    defaults = [arg for arg in compose_web_args() if arg != "--forwarder-headers="]
    assert _serve_and_ask(tmp_path, defaults, "/evil/gio-hang/", headers)["SCRIPT_NAME"] == "/evil"


# ---------------------------------------------------------------- make compose-check
FAKE_DOCKER = """#!/bin/sh
# A stand-in Docker client: `compose version` works; `compose config` notes what it found and answers $FAKE_STATUS.
case "$1 $2" in
  "compose version") exit 0 ;;
  "compose config")
    if [ -f .env ]; then cp .env "$FAKE_LOG.env"; fi
    echo "password=$POSTGRES_PASSWORD" > "$FAKE_LOG"
    exit "${FAKE_STATUS:-0}" ;;
esac
exit 2
"""


def compose_check(project, *, status=0):
    fake = project / "fake-bin"
    fake.mkdir(exist_ok=True)
    (fake / "docker").write_text(FAKE_DOCKER)
    (fake / "docker").chmod(0o755)
    log = project / "docker-config.log"
    for stale in (log, Path(f"{log}.env")):
        stale.unlink(missing_ok=True)
    environment = {key: value for key, value in os.environ.items() if key != "POSTGRES_PASSWORD"}
    environment.update(PATH=f"{fake}:{os.environ['PATH']}", FAKE_STATUS=str(status), FAKE_LOG=str(log))
    done = subprocess.run(["make", "--no-print-directory", "-o", "install", "compose-check"], cwd=project,
                          env=environment, capture_output=True, text=True, timeout=120)
    seen_env = Path(f"{log}.env")
    return done, (log.read_text() if log.exists() else None), (seen_env.read_text() if seen_env.exists() else None)


def test_make_compose_check_works_on_a_fresh_clone_and_leaves_no_env_file(tmp_path):
    for name in ("Makefile", "docker-compose.yml", ".env.example"):
        shutil.copy(ROOT / name, tmp_path / name)
    example = (ROOT / ".env.example").read_text()

    done, log, seen = compose_check(tmp_path)  # a fresh clone: no .env
    assert done.returncode == 0, done.stdout + done.stderr
    assert "docker compose config: ok" in done.stdout
    assert seen == example and log.strip() == "password=config-check"  # checked with the example standing in
    assert not (tmp_path / ".env").exists()  # ...which is gone afterwards

    done, log, seen = compose_check(tmp_path, status=1)  # a broken compose file fails the target, and still cleans up
    assert done.returncode != 0 and seen == example
    assert not (tmp_path / ".env").exists()

    (tmp_path / ".env").write_text("POSTGRES_PASSWORD=mine\n")  # an .env of one's own is checked and left alone
    done, log, seen = compose_check(tmp_path)
    assert done.returncode == 0 and seen == "POSTGRES_PASSWORD=mine\n"
    assert (tmp_path / ".env").read_text() == "POSTGRES_PASSWORD=mine\n"


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
