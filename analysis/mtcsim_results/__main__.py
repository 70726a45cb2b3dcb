"""python3 -m mtcsim_results ...: the same as mtcsim-report."""
import sys

from .report import main

sys.exit(main())
