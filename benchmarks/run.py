"""`make bench`: every benchmark of the project, figures written to docs/performance.md.

python benchmarks/run.py [--employees N] [--departments N] [--months N] [--report PATH|-]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import close_benchmark

if __name__ == "__main__":
    sys.exit(close_benchmark.main())
