"""The web container's health check: `python -m config.healthcheck [URL]` exits 0 only when the
health page answers 200.

It asks as the proxy in front of us does, so production's security applies to it unchanged: the
Host is the first of DJANGO_ALLOWED_HOSTS (the container's own address is not allowed) and the
request says it came over HTTPS (else SECURE_SSL_REDIRECT answers a redirect). http.client, not
urllib, so that a redirect is a failure rather than followed, and no HTTP_PROXY is used.
"""

import http.client
import sys
from urllib.parse import urlsplit

from config.env import env_list

DEFAULT_URL = "http://127.0.0.1:8000/health/"
TIMEOUT_SECONDS = 5


def host_to_ask_for() -> str:
    """A name that the first entry of DJANGO_ALLOWED_HOSTS lets in."""
    allowed = env_list("DJANGO_ALLOWED_HOSTS", [])
    if not allowed or allowed[0] == "*":
        return "localhost"
    # ".example.org" allows example.org and every name under it.
    return allowed[0].lstrip(".")


def check(url: str = DEFAULT_URL) -> bool:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port or 80, timeout=TIMEOUT_SECONDS
    )
    try:
        connection.request(
            "GET",
            parts.path or "/",
            headers={"Host": host_to_ask_for(), "X-Forwarded-Proto": "https"},
        )
        response = connection.getresponse()
        # The page names only which of the database and broker answer: safe to keep in
        # `docker inspect`, and it says what is wrong.
        body = response.read(200).decode("utf-8", "replace")
    except OSError as error:
        print(f"health check: no answer ({error})", file=sys.stderr)
        return False
    finally:
        connection.close()
    if response.status != 200:
        print(f"health check: {response.status} {body}", file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    sys.exit(0 if check(*sys.argv[1:2]) else 1)
