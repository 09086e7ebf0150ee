"""A job whose caller dropped it must still report, and collecting garbage while workers emit
must not crash the process (a full test run once died in gc while the health worker ran)."""

from __future__ import annotations

import gc
import threading

from partnerdesk.ui import workers


def test_dropped_jobs_still_report_while_garbage_is_collected(qtbot):
    got: list[int] = []
    release = threading.Event()

    def job_for(i: int):
        def work(_t, _r) -> int:
            release.wait(5)
            return i
        return work

    for i in range(60):
        workers.start(job_for(i), on_done=got.append)  # nobody keeps the job
        gc.collect()
    release.set()
    for _ in range(20):
        gc.collect()
    assert workers.settle(10_000)
    assert sorted(got) == list(range(60))
    assert workers.running() == 0


def test_a_failure_and_a_cancel_are_delivered_and_let_go(qtbot):
    outcome: list[str] = []

    def broken(_t, _r):
        raise ValueError("no such vendor")

    def stopped(token, _r):
        token.cancel()
        token.check()

    workers.start(broken, on_failed=outcome.append)
    workers.start(stopped, on_cancelled=lambda: outcome.append("cancelled"))
    gc.collect()
    assert workers.settle(10_000)
    assert sorted(outcome) == ["Something went wrong: ValueError: no such vendor", "cancelled"]
    assert workers.running() == 0


def test_a_failure_is_said_in_the_windows_words(qtbot):
    """Every window shows a job's failure as the job reports it: the services' sentences name
    the command line's flags, which the window has no use for (the brief once showed them)."""
    from partnerdesk.domain.errors import InvalidInput

    said: list[str] = []

    def damaged(_t, _r):
        raise InvalidInput("The search index is out of step; 'partnerdesk check --repair' "
                           "rebuilds it.")

    workers.start(damaged, on_failed=said.append)
    assert workers.settle(10_000)
    assert said == ["The search index is out of step; Help ▸ Check journal can rebuild it."]
