"""Log lines never carry a secret link or what someone searched for: request paths are
logged without their query string (names typed in a search), and the secret part of a
calendar feed, resume or password-reset URL is masked. Used by Django's LOGGING (settings)
and by gunicorn (config/gunicorn.conf.py); no Django import, so gunicorn's master can load it."""

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

# The secret part of each URL that works without signing in; keep these beside the URLs
# (cases/urls.py calendar, intake/urls.py resume, Django's password_reset_confirm).
SECRET_IN_PATH = [
    (re.compile(r"(/cases/calendar/)[^/\s?#\"']+(\.ics)"), r"\1[token]\2"),
    (re.compile(r"(/intake/resume/)[^/\s?#\"']+"), r"\1[token]"),
    # The client's secure link; its other pages (prepare/questions/, ...) have short names.
    (re.compile(r"(/intake/prepare/)[A-Za-z0-9_-]{16,}"), r"\1[token]"),
    (re.compile(r"(/staff/reset/[^/\s?#\"']+/)[^/\s?#\"']+"), r"\1[token]"),
]
# A query string after a path: a search term (a client's name) or a filter.
QUERY_AFTER_PATH = re.compile(r"(/[^\s?#\"']*)\?[^\s#\"']*")


def mask(text: str) -> str:
    for pattern, replacement in SECRET_IN_PATH:
        text = pattern.sub(replacement, text)
    return QUERY_AFTER_PATH.sub(r"\1?[query]", text)


class MaskSecrets(logging.Filter):
    """Rewrites the record itself (message and traceback), so every handler after it, and
    anything that keeps records (a mail or error-report handler), sees only the masked
    text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format is logged as it is, not lost
            return True
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True


class SafeGunicornLogger(GunicornLogger):
    """gunicorn's logger with MaskSecrets on its error and access logs."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, MaskSecrets) for f in log.filters):
                log.addFilter(MaskSecrets())
