"""The tests' own TOTP implementation agrees with the RFC."""

import base64
import time

import time_machine

from tests.totp_codes import totp_code


def test_the_rfc_6238_example_gives_its_published_code():
    # RFC 6238 appendix B: SHA-1 secret "12345678901234567890" at 59 seconds gives 94287082.
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp_code(secret, at=59, digits=8) == "94287082"


def test_a_code_asked_for_late_in_its_window_is_the_next_windows_so_it_is_not_stale_when_sent():
    secret = base64.b32encode(b"12345678901234567890").decode()
    next_window = 30 * 60_000_000  # a window boundary, in seconds since the epoch
    with time_machine.travel(next_window - 1, tick=True):  # one second of the old window left
        code = totp_code(secret, margin_seconds=3)
        assert time.time() >= next_window
    assert code == totp_code(secret, at=next_window)
    assert code != totp_code(secret, at=next_window - 1)
