# The production image (README: "Production: the compose stack"): web, worker, scheduler and migrate all run it.
# Stage 1 builds wheels (compilers live only here); stage 2 installs them, without the test-only packages, and runs
# as a user that cannot write the code. No secret is baked in: settings come from the environment at run time.

FROM python:3.11-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY requirements.in requirements.lock ./
# What production needs: requirements.in up to its "# tests" section, at the versions requirements.lock pins. pytest,
# Playwright, localstripe, time-machine... and whatever only they pull in are never built nor installed.
RUN sed '/^# tests/,$d' requirements.in > requirements-prod.in \
    && pip wheel --wheel-dir /wheels -r requirements-prod.in -c requirements.lock

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/ocop ocop
WORKDIR /app
COPY --from=builder /wheels /wheels
COPY --from=builder /build/requirements-prod.in /build/requirements.lock /tmp/requirements/
RUN pip install --no-index --find-links /wheels -r /tmp/requirements/requirements-prod.in \
        -c /tmp/requirements/requirements.lock \
    && rm -rf /wheels /tmp/requirements
COPY . .
# Static files collected, compressed and fingerprinted once, here (WhiteNoise serves them); translations compiled.
# The key below exists only for this step (production settings refuse to load without one); it is not a secret.
RUN DJANGO_SECRET_KEY="build-only-collectstatic-$(python -c 'print("x" * 50)')" \
        sh -c 'python manage.py collectstatic --noinput --verbosity 0 && python manage.py compile_translations' \
    && mkdir -p var/media var/cache \
    && chown -R ocop:ocop var/media var/cache
USER ocop
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-m", "shop.tasks.probe", "web"]
# X-Forwarded-Proto is taken only from private addresses (the proxy's network; GUNICORN_FORWARDED_ALLOW_IPS to
# narrow it), never from anyone ("*"); and no request header may set the WSGI SCRIPT_NAME or PATH_INFO (an empty
# --forwarder-headers: gunicorn's default honours both from a trusted peer). `exec`: gunicorn gets the stop signal.
CMD ["sh", "-c", "exec gunicorn config.wsgi:application --bind 0.0.0.0:8000 --workers 3 --threads 2 --forwarded-allow-ips \"${GUNICORN_FORWARDED_ALLOW_IPS:-127.0.0.1,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16}\" --forwarder-headers="]
