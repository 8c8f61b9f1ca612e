"""``python -m coder``: the same program as the ``attune`` command."""

import sys

from coder.cli import main

if __name__ == "__main__":
    sys.exit(main())
