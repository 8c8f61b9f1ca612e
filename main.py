"""Start Attune: ``python main.py [PROJECT.attune]`` (the same program as ``attune``)."""

import sys

from ui.launch import main

if __name__ == "__main__":
    sys.exit(main())
