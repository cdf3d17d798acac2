"""The README starts with the two commands and documents every environment variable."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_starts_with_exactly_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1)
    assert first_block.strip().splitlines() == ["make demo", "make test"]
    assert readme.index("```sh") < readme.index("##")


def test_every_environment_variable_the_settings_read_is_in_the_configuration_table():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings_source))
    assert len(names) > 10
    table = (ROOT / "README.md").read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = sorted(name for name in names if f"`{name}`" not in table)
    assert missing == []


def test_every_file_and_folder_the_readme_names_exists():
    """After code moves, the README still points at real places (a `path/` or `path/file.py`
    whose first folder is one of the project's)."""
    import re

    readme = (ROOT / "README.md").read_text()
    # var/ holds what runs leave behind (ignored by git): a README path there may not exist yet.
    folders = {path.name for path in ROOT.iterdir() if path.is_dir()} - {"var"}
    named = {
        path
        for path in re.findall(r"`([\w.-]+(?:/[\w.*-]+)+/?)(?::[^`]*)?`", readme)
        if path.split("/")[0] in folders
    }
    assert len(named) > 40  # the walk found the README's paths
    assert sorted(path for path in named if not any(ROOT.glob(path.rstrip("/")))) == []
