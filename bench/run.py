#!/usr/bin/env python
"""The performance benchmark (see bench/README.md): the entry point of the bench package.

python bench/run.py --size S|L --db sqlite|postgres [--repeat 20]"""

import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, Python puts bench/ itself first on the path: put the project there
    # instead, so that `bench`, `config` and `tracker` are the project's packages.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    from bench.cli import main

    main()
