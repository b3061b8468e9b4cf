"""Worker threads whose failures reach the caller."""

from __future__ import annotations

import threading


def run_threads(target, count: int, stop=None) -> None:
    """Run target(0) .. target(count - 1) in threads and wait for all of them. The first
    exception raised in any of them is raised here again (a thread that dies silently would
    leave its share of the work undone, and the caller would carry on with a partial plan);
    `stop()` is called at once, to tell the other threads to end."""
    errors: list[BaseException] = []

    def guarded(index: int) -> None:
        try:
            target(index)
        except BaseException as error:  # raised again below
            errors.append(error)
            if stop is not None:
                stop()

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
