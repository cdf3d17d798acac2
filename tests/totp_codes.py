"""Time-based one-time passwords (RFC 6238), computed independently of allauth for the tests."""

import base64
import hashlib
import hmac
import struct
import time

# A code made this close to the end of its window may reach the server in the next one, where it
# is wrong (allauth allows no neighbouring window), so totp_code waits for a fresh window then.
# The test client posts a code at once; a browser on a busy machine can take seconds to type and
# send it. Few tests wait: most browser tests start signed in (browser/conftest.py, sign_in).
CLIENT_CODE_MARGIN_SECONDS = 4
BROWSER_CODE_MARGIN_SECONDS = 8


def totp_code(
    secret: str,
    at: float | None = None,
    step: int = 30,
    digits: int = 6,
    margin_seconds: float = CLIENT_CODE_MARGIN_SECONDS,
) -> str:
    """The code for the time `at`, or for now, with at least margin_seconds of its window left."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    if at is None:
        left = step - time.time() % step
        if left < margin_seconds:
            time.sleep(left + 0.05)
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)
