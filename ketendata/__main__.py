"""``python -m ketendata``: see :mod:`ketendata.cli`."""

import sys

from ketendata.cli import main

if __name__ == "__main__":
    sys.exit(main())
