# One image for web (gunicorn), worker (celery worker) and beat (celery beat).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Unprivileged user the containers run as; code and static files stay root-owned.
RUN groupadd --system app \
 && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

# Pinned requirements first, so code changes do not invalidate this layer.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected at build time. The values below are dummies that
# exist only for this RUN (production.py reads them without defaults); nothing
# connects to the database or broker here, and none of them end up in the image.
RUN DJANGO_SETTINGS_MODULE=config.settings.production \
    DJANGO_SECRET_KEY=build-only-not-a-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build:build@localhost:5432/build \
    CELERY_BROKER_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

# Upload directory (a named volume in docker-compose.yml); a fresh named volume
# copies this ownership, so the app user can write to it.
RUN mkdir -p /data/uploads && chown -R app:app /data

USER app

EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--config", "config/gunicorn.conf.py"]
