"""``python -m proofs_checks`` = ``maxslope verify``."""

import sys

from maxslope.cli import main

if __name__ == "__main__":
    sys.exit(main(["verify", *sys.argv[1:]]))
