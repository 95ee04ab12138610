"""``python -m analysis report``: the command the spec names (``formats.md``).

Only the entry point lives here; the command line itself is
:func:`ketendata.analysis_cli.analysis_main`, so that the analysis package never touches the
database. The import-direction test allows this file, and only this one, to import
``ketendata``.
"""

import sys

from ketendata.analysis_cli import analysis_main

if __name__ == "__main__":
    sys.exit(analysis_main())
