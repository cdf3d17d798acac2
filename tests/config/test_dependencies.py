"""The database driver is the one psycopg2's maintainers advise for production."""

import re
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_the_locks_pin_psycopg2_built_from_source_not_the_binary_wheel(lock):
    text = (ROOT / lock).read_text()

    assert re.search(r"^psycopg2==\S+ \\$", text, re.MULTILINE)
    assert "psycopg2-binary" not in text


def test_the_installed_driver_is_psycopg2_linked_to_the_systems_libpq():
    # psycopg2-binary installs the same package directory with its own copy of libpq inside.
    assert metadata.packages_distributions()["psycopg2"] == ["psycopg2"]
    with pytest.raises(metadata.PackageNotFoundError):
        metadata.distribution("psycopg2-binary")
