"""The worker processes that convert Markdown (parallel.py) and draw cards (cards.py)
on the cores the build's own process leaves idle."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

from . import internals


def how_many(option: int | None) -> int:
    """The `workers` option; unset, one per core but the build's own."""
    return max(1, (os.cpu_count() or 1) - 1) if option is None else max(0, option)


def _start_method() -> multiprocessing.context.BaseContext:
    """Fork on Linux: a worker starts at once with MkDocs imported, where a spawned one
    would spend half a second importing it again. Only while this process runs one thread
    (not in `mkdocs serve`): forking with threads can deadlock. Elsewhere fork is unsafe
    (macOS) or absent."""
    fork = sys.platform == "linux" and threading.active_count() == 1
    return multiprocessing.get_context("fork" if fork else "spawn")


class Workers:
    """The pool, started on first use, and stopped without making the build wait."""

    def __init__(self, count: int = 1) -> None:
        self.count = count
        self.pool: ProcessPoolExecutor | None = None
        self.stopping: threading.Thread | None = None  # waits for the workers to exit

    @property
    def started(self) -> bool:
        return self.pool is not None

    def get(self) -> ProcessPoolExecutor:
        if self.pool is None:
            # A spawned worker under ProperDocs first makes `import mkdocs` import it, as
            # the build did, before it unpickles anything that imports MkDocs.
            engine = {"initializer": importlib.import_module, "initargs": ("properdocs.replacement",)} \
                if internals.engine() == "properdocs" else {}
            self.pool = ProcessPoolExecutor(max_workers=self.count, mp_context=_start_method(), **engine)
        return self.pool

    def stop(self, *, wait: bool = True) -> None:
        """Cancel what the workers have not started, and let them exit; with `wait`, wait
        until they have (also for workers an earlier call left winding down)."""
        if self.pool is not None:
            pool, self.pool = self.pool, None
            self.stopping = threading.Thread(target=pool.shutdown, kwargs={"cancel_futures": True})
            self.stopping.start()
        if wait and self.stopping is not None:
            self.stopping.join()
            self.stopping = None
