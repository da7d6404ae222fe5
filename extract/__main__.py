"""`python -m extract`: the signal handlers go in before anything heavy is imported, so a Ctrl-C at
any moment, import time included, ends with one line and exit code 130 (143 for SIGTERM)."""

import os
import sys

from . import interrupts

interrupts.install()
try:
    from .cli import main

    code = main()
except interrupts.Interrupted as stop:
    sys.stderr.write("\ninterrupted: nothing was read or written\n")
    code = stop.exit_code
sys.stdout.flush()
sys.stderr.flush()
if code in (interrupts.EXIT_SIGINT, interrupts.EXIT_SIGTERM):
    os._exit(code)  # no interpreter clean-up: nothing may wait on a worker or print after the message
sys.exit(code)
