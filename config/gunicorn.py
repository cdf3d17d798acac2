"""Gunicorn settings (gunicorn --config config/gunicorn.py): an access log that records neither
query strings (child search terms) nor secrets in paths (questionnaire and password links)."""

from gunicorn.glogging import Logger

from config.secret_paths import loggable_path

accesslog = "-"
# The request line is rebuilt from the method, the cut path and the protocol: never %(r)s or
# %(q)s, which hold the raw URI and the query string.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(f)s" "%(a)s"'


class AccessLogWithoutSecrets(Logger):
    """Gunicorn's logger with the URL-bearing atoms cut, so no format can leak them."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = loggable_path(environ.get("PATH_INFO") or "")
        atoms.update(
            r=f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}",
            U=path,
            q="",
            # Browsers send the page's URL (a questionnaire link) as the referrer of its assets.
            f=loggable_path(environ.get("HTTP_REFERER") or "-"),
        )
        # Raw headers and environ variables ({referer}i, {raw_uri}e, {location}o ...) go: the
        # wrapper logs "-" for any atom that is missing.
        return {key: value for key, value in atoms.items() if not key.startswith("{")}


logger_class = AccessLogWithoutSecrets
