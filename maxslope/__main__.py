"""``python -m maxslope`` = the ``maxslope`` command."""

import sys

from maxslope.cli import main

if __name__ == "__main__":
    sys.exit(main())
