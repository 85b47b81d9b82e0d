"""The real task worker, made to pause inside an import so that a test can look at it or kill it.

Usage: pausing_worker.py STAGE READY_FILE GO_FILE. When the import reports progress whose stage
starts with STAGE, this touches READY_FILE and waits until GO_FILE exists.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from plans.import_progress import ImportProgress  # noqa: E402

pause_at, ready, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
report = ImportProgress.__call__


def report_then_pause(self, stage, done, total):
    report(self, stage, done, total)
    if stage.startswith(pause_at) and not ready.exists():
        ready.touch()
        while not go.exists():
            time.sleep(0.05)


ImportProgress.__call__ = report_then_pause
call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--verbosity", "0")
