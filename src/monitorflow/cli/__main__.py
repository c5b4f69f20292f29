"""``python -m monitorflow.cli``."""

import sys

from monitorflow.cli import main

sys.exit(main())
