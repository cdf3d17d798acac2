"""The project's own Python packages, found on disk (so a new package is never left out of the
tests that read the source)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = sorted(
    path.name
    for path in ROOT.iterdir()
    if (path / "__init__.py").is_file() and path.name != "tests"
)
# What runs in production: everything but the demo and benchmark generators.
PRODUCT_PACKAGES = [name for name in PACKAGES if name != "demo"]


def source_files(packages=PRODUCT_PACKAGES) -> list[Path]:
    """Every module of the packages, migrations aside."""
    return sorted(
        path
        for package in packages
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )
