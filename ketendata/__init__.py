"""Ketenkaart's data side: DuckDB, importers, validation, demo data, the command line."""

import os

__all__ = []  # the package offers its modules, no names of its own

# openpyxl reads and writes workbooks with lxml when lxml is installed (python-pptx, pinned for
# the meeting deck, brings it along). Its lxml path reads a workbook differently from the
# standard-library path the importers are built and tested on (a carriage return in a cell, a
# formula's cached value), so Ketenkaart always uses the standard-library path. Set before
# openpyxl is first imported; an explicit OPENPYXL_LXML in the environment still wins.
os.environ.setdefault("OPENPYXL_LXML", "False")
