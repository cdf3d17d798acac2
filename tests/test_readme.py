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
