"""`python -m scripts.devstack`, which is what `make run` runs."""

import sys

from scripts.devstack.cli import main

sys.exit(main())
