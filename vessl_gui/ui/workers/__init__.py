"""Worker objects that talk to the network on their own ``QThread``.

The worker-object pattern: a plain ``QObject`` moved to a ``QThread`` with
``moveToThread``, reporting by signals.  The poll worker is driven by queued
signals and timers on its thread's event loop; a send worker's thread blocks
on a plain queue instead (handing it a send that way costs less than a queued
signal through the thread's event dispatcher; tests/benchmarks B3).  Each
worker owns one :class:`~vessl_gui.core.client.ServeClient` (created on its
own thread) so connections are reused.  Sends and polls run on different
threads, so a hung status check never delays a send.

The workers write results into the history store themselves (it is
thread-safe) before they report them, so whatever the window shows is
already on disk.  A send worker reports each answer with one signal (one
thread hop back to the GUI thread, which then emits the public signals), and
brings the history's text index up to date (and checkpoints its log) on its
own thread when it has been idle for :data:`~vessl_gui.ui.workers.send.INDEX_SYNC_MS`
(tests/benchmarks B3).

* :mod:`.clients`: the client factory and each worker's clients, one per config;
* :mod:`.send`: :class:`SendWorker`, its queue and thread;
* :mod:`.poll`: :class:`PollWorker` (when to check: :mod:`vessl_gui.core.polling`);
* :mod:`.threads`: :class:`WorkerThreads`, which owns, wires and stops them all;
* :mod:`.leave`: how a worker gives its thread back.
"""

from __future__ import annotations

from vessl_gui.ui.workers.clients import ClientFactory, Clients, make_client
from vessl_gui.ui.workers.poll import PollWorker
from vessl_gui.ui.workers.send import SendWorker
from vessl_gui.ui.workers.threads import WorkerThreads

__all__ = ["ClientFactory", "Clients", "PollWorker", "SendWorker", "WorkerThreads", "make_client"]
