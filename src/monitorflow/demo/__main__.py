"""``python -m monitorflow.demo`` (what ``make demo`` runs)."""

import sys

from monitorflow.demo.run import main

sys.exit(main())
