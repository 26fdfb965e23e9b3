"""Allow ``python -m corridormap``."""

import sys

from .cli import main

sys.exit(main())
