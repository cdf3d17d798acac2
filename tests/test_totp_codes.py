"""The tests' own TOTP implementation agrees with the RFC."""

import base64

from .totp_codes import totp_code


def test_the_rfc_6238_example_gives_its_published_code():
    # RFC 6238 appendix B: SHA-1 secret "12345678901234567890" at 59 seconds gives 94287082.
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp_code(secret, at=59, digits=8) == "94287082"
