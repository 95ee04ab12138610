"""The norm matrix as data: reading the default matrix that ships with the project.

Pure module (no DuckDB, no Streamlit): the analysis may use it. A matrix frame has the columns
``partner_type`` (a partner-type code or ``*``), ``agreement_type``, ``norm`` and
``child_required`` (bool), one row per requirement, in the order of the file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ketendata.settings import DEFAULT_MATRIX_PATH

MATRIX_COLUMNS = ("partner_type", "agreement_type", "norm", "child_required")

_TRUE = {"ja", "yes", "true", "waar", "1", "x"}


def matrix_from_csv_text(text: str) -> pd.DataFrame:
    """Parse a trusted matrix CSV (``partnertype,afspraaktype,norm,kind``) into a matrix frame.

    >>> text = "partnertype,afspraaktype,norm,kind\\nveilig_thuis,meldcode,4.3,ja\\n"
    >>> matrix_from_csv_text(text).to_dict("records")[0]["child_required"]
    True
    """
    reader = csv.DictReader(io.StringIO(text))
    records = [
        {
            "partner_type": row["partnertype"].strip(),
            "agreement_type": row["afspraaktype"].strip(),
            "norm": row["norm"].strip(),
            "child_required": (row.get("kind") or "").strip().casefold() in _TRUE,
        }
        for row in reader
        if row.get("partnertype")
    ]
    return pd.DataFrame.from_records(records, columns=list(MATRIX_COLUMNS))


def default_matrix(path: Path = DEFAULT_MATRIX_PATH) -> pd.DataFrame:
    """The default norm matrix (Indicator 4 and related norms) that ships with Ketenkaart."""
    return matrix_from_csv_text(path.read_text(encoding="utf-8"))
