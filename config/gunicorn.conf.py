"""gunicorn's settings for the web service (docker-compose.yml, Dockerfile):
`gunicorn config.wsgi:application --config config/gunicorn.conf.py`.

The access log has the path without its query string (%(U)s, not the request line %(r)s):
search terms are names of clients, and filters say what is being looked for. No referer
(%(f)s) either, as it carries the previous page's query. Secret links (calendar feed,
resume, password reset) are masked in both logs (config.logsafety). Before serving,
Django's system checks run, so production refuses to start with a published key
(accounts.E001) as `manage.py check` does."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
logger_class = "config.logsafety.SafeGunicornLogger"


def on_starting(server):
    """Django's checks in the master, before any worker: an error stops gunicorn here."""
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    django.setup()
    call_command("check")
    from django.db import connections

    connections.close_all()  # nothing the master opened is shared with the forked workers
