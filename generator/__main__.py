import os
import sys

from .editors.cli import main

try:
    sys.exit(main())
except BrokenPipeError:
    # The reader went away (`python -m generator facts | head`): stop quietly, as a
    # shell tool does, without Python's traceback or its second error on exit.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(1)
