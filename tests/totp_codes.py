"""Time-based one-time passwords (RFC 6238), computed independently of allauth for the tests."""

import base64
import hashlib
import hmac
import struct
import time

# A code typed this close to the end of its window may reach the server in the next one, where
# it is wrong: on a busy machine a browser sign-in can take that long. Wait for a fresh window.
MARGIN_SECONDS = 8


def totp_code(secret: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    if at is None:
        left = step - time.time() % step
        if left < MARGIN_SECONDS:
            time.sleep(left + 0.05)
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)
