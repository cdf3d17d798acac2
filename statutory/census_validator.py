"""Run the DfE's open-source CIN census validator (csc-validator-be-cin) on a census file.

It lives in its own environment (.venv-cin, `make cin-validator`): it pins pandas<2 and imports
pytest. It always exits 0 and writes user_report.csv into its working folder, so it runs in a
temporary folder and its report is read back.
"""

import csv
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

RULESET = "cin2025_26"


@dataclass(frozen=True)
class ValidatorFinding:
    rule: str
    child: str
    tables: str
    columns: str
    description: str

    @property
    def is_error(self) -> bool:
        return not self.rule.endswith("Q")  # codes ending in Q are queries


def validator_python() -> Path:
    return Path(settings.BASE_DIR) / ".venv-cin" / "bin" / "python"


def validate(xml: bytes, ruleset: str = RULESET) -> list[ValidatorFinding]:
    with tempfile.TemporaryDirectory() as folder:
        census = Path(folder) / "census.xml"
        census.write_bytes(xml)
        command = [str(validator_python()), "-m", "cin_validator", "run", str(census)]
        subprocess.run(  # noqa: S603 - our own interpreter and a file we wrote
            [*command, "-r", ruleset, "-o"],
            cwd=folder,
            check=True,
            capture_output=True,
            timeout=900,
        )
        report = Path(folder) / "user_report.csv"
        if not report.exists():
            raise RuntimeError("The census validator wrote no report")
        with report.open(newline="", encoding="utf-8") as rows:
            return [
                ValidatorFinding(
                    rule=str(row.get("rule_code", "")).strip(),
                    child=row.get("LAchildID", ""),
                    tables=row.get("tables_affected", ""),
                    columns=row.get("columns_affected", ""),
                    description=row.get("rule_description", ""),
                )
                for row in csv.DictReader(rows)
            ]
