"""The window's features beyond the single request: follow ids made elsewhere, batches
from a file, and comparing two rows.  Each is a controller of its own package; this
builds them with what they use (never the window itself)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtWidgets import QMainWindow

from vessl_gui.core.models import ClientConfig
from vessl_gui.ui.batch.controller import BatchController
from vessl_gui.ui.compare.controller import CompareController
from vessl_gui.ui.composer import Composer
from vessl_gui.ui.history.follow import FollowController
from vessl_gui.ui.history.model import HistoryModel
from vessl_gui.ui.services.controller import ServicesController
from vessl_gui.ui.window.context import AppContext
from vessl_gui.ui.window.selection import SelectionController
from vessl_gui.ui.window.status import StatusBarLine
from vessl_gui.ui.window.tokens import TokenController

if TYPE_CHECKING:
    from vessl_gui.ui.workers import WorkerThreads


class Features(NamedTuple):
    follow: FollowController
    batches: BatchController
    compare: CompareController


def build_features(
    window: QMainWindow,
    ctx: AppContext,
    model: HistoryModel,
    composer: Composer,
    status: StatusBarLine,
    tokens: TokenController,
    services: ServicesController,
    selection: SelectionController,
    *,
    workers: Callable[[], WorkerThreads],
    client_config: Callable[[str], ClientConfig],
) -> Features:
    def select_row_id(row_id: int) -> None:
        row = model.row_of(row_id)
        if row is not None:
            selection.select_row(row)

    follow = FollowController(
        window,
        ctx.store,
        model,
        status,
        tokens,
        services=lambda: [(p.name, p.base_url) for p in services.store.profiles()],
        base_url=composer.base_url_edit.text,
        select=select_row_id,
        workers=workers,
        client_config=client_config,
        parent=window,
    )
    batches = BatchController(
        window,
        ctx.store,
        model,
        composer,
        status,
        tokens,
        services.variables,
        variables_of=services.variables.of,
        workers=workers,
        client_config=client_config,
        parent=window,
    )
    compare = CompareController(
        window, ctx.store, status, selected=selection.selected_summaries, parent=window
    )
    return Features(follow, batches, compare)
