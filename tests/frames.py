"""Column names of the frames the analysis takes (docs/architecture.md), for hand-made tests."""

AGREEMENT_COLUMNS = [
    "organisation",
    "organisation_type",
    "partner",
    "partner_type",
    "agreement_types",
    "level",
    "status",
    "child_specific",
    "start_date",
    "end_date",
    "evaluated_on",
    "agreement_id",
    "note",
    "source_row",
]
