# The portal's image: the same one runs the web server, the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=ankommen.settings.production \
    ANKOMMEN_VAR_DIR=/var/lib/ankommen

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv==0.13.8 \
    && useradd --system --home /app --uid 10001 ankommen

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project

COPY . .
RUN python manage.py compilemessages --ignore=.venv -v 0 \
    && DJANGO_SECRET_KEY=build-only-not-used-at-run-time DJANGO_ALLOWED_HOSTS=build \
       ANKOMMEN_MFA_KEYS=YnVpbGQtb25seS1ub3QtdXNlZC1hdC1ydW4tdGltZSE= \
       python manage.py collectstatic --no-input -v 0 \
    && mkdir -p /var/lib/ankommen && chown -R ankommen /var/lib/ankommen

USER ankommen
EXPOSE 8000
# Binding, workers and an access log without secret links: ankommen/operations/gunicorn_conf.py.
CMD ["gunicorn", "ankommen.wsgi", "--config", "python:ankommen.operations.gunicorn_conf"]
