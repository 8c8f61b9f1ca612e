"""Start Attune: ``python main.py [PROJECT.attune]`` (the same program as ``attune``)."""

import sys

from coder.cli import main

if __name__ == "__main__":
    sys.exit(main())
