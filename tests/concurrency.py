"""Running actions at the same moment, as two coordinators or a crowd of volunteers would."""

import threading
from collections.abc import Callable

from django.db import connection


def all_at_once(actions: list[Callable[[], object]]) -> list[Exception]:
    """Run the actions in threads released together; each thread uses its own connection.
    Returns the errors they raised."""
    barrier = threading.Barrier(len(actions))
    errors = []

    def run(action):
        try:
            barrier.wait()
            action()
        except Exception as error:  # collected and asserted by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
