"""Run by tests/training/test_runs.py under `accelerate launch` with 2 CPU processes: the command line's training,
with the second process entering every `save_state` a second late, as a loaded machine can make it."""

import sys
import time

from accelerate import Accelerator

from curiosa.cli import main

_save_state = Accelerator.save_state


def late_save_state(self, *args, **kwargs):
    if self.process_index == 1:
        time.sleep(1.0)
    return _save_state(self, *args, **kwargs)


if __name__ == "__main__":
    Accelerator.save_state = late_save_state
    sys.exit(main(sys.argv[1:]))
