"""The output as an expandable tree: a lazy item model over a parsed JSON value.

Children are made only when a node is expanded, and big arrays and objects
come in pages (``canFetchMore``/``fetchMore``), so a million-item array opens
at once.  Ctrl+C copies the current node's value; "Copy path" copies its JSON
path (``choices[0].text``).
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTreeView, QWidget

from vessl_gui.core.outputs import PathPart, format_path, image_in_string, shorten
from vessl_gui.core.text import human_size

AnyIndex = QModelIndex | QPersistentModelIndex

#: Children made per fetch.
PAGE = 500
#: Characters of a string shown in the Value column.
PREVIEW_CHARS = 300
#: Containers with more items than this are copied as compact JSON (indenting is slow).
PRETTY_COPY_LIMIT = 20_000

COLUMNS = ("Key", "Value", "Type")
COL_KEY, COL_VALUE, COL_TYPE = range(3)


class Node:
    """One value in the tree; ``children`` grows as pages are fetched."""

    __slots__ = ("children", "key", "keys", "parent", "row", "value")

    def __init__(self, key: PathPart | None, value: Any, parent: Node | None, row: int) -> None:
        self.key = key
        self.value = value
        self.parent = parent
        self.row = row
        self.children: list[Node] = []
        self.keys: list[str] | None = None

    @property
    def size(self) -> int:
        """How many children it has in all (0 for scalars)."""
        return len(self.value) if isinstance(self.value, dict | list) else 0

    def path_parts(self) -> list[PathPart]:
        parts: list[PathPart] = []
        node: Node | None = self
        while node is not None and node.key is not None:
            parts.append(node.key)
            node = node.parent
        parts.reverse()
        return parts

    @property
    def path(self) -> str:
        return format_path(self.path_parts())

    def fetch(self, count: int) -> list[Node]:
        """Make the next ``count`` children (not inserted into a model: the caller does)."""
        start = len(self.children)
        stop = min(self.size, start + count)
        if isinstance(self.value, dict):
            if self.keys is None:
                self.keys = list(self.value)
            made = [
                Node(k, self.value[k], self, i)
                for i, k in zip(range(start, stop), self.keys[start:stop], strict=True)
            ]
        else:
            made = [Node(i, self.value[i], self, i) for i in range(start, stop)]
        return made


def type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        image = image_in_string(value)
        return f"{image.format.upper()} image" if image is not None else "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "null"


def preview(value: Any) -> str:
    """One line describing a value for the Value column."""
    if isinstance(value, dict):
        n = len(value)
        return f"{{{n:,} key{'s' if n != 1 else ''}}}"
    if isinstance(value, list):
        n = len(value)
        return f"[{n:,} item{'s' if n != 1 else ''}]"
    if isinstance(value, str):
        image = image_in_string(value)
        if image is not None:
            return f"{image.source}, {human_size(image.approx_bytes)} — see the picture above"
        return json.dumps(shorten(value, PREVIEW_CHARS), ensure_ascii=False)
    return json.dumps(value)


def copy_text(value: Any) -> str:
    """What Ctrl+C copies: a string as is, anything else as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list) and len(value) > PRETTY_COPY_LIMIT:
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, indent=2, ensure_ascii=False)


class JsonTreeModel(QAbstractItemModel):
    """A JSON value as a tree: one top row for the whole output, children fetched lazily."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = Node(None, [], None, 0)  # invisible; its one child is the output

    def set_value(self, value: Any, *, present: bool = True) -> None:
        """Show ``value`` (``present=False``: show nothing)."""
        self.beginResetModel()
        self._root = Node(None, [value] if present else [], None, 0)
        self._root.children = [Node(None, value, self._root, 0)] if present else []
        self.endResetModel()

    def top_index(self) -> QModelIndex:
        return self.index(0, 0) if self._root.children else QModelIndex()

    def node(self, index: AnyIndex) -> Node | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        return node if isinstance(node, Node) else None

    def find(self, parts: list[PathPart]) -> QModelIndex:
        """The index at a path, fetching pages on the way; invalid if not there."""
        index = self.top_index()
        for part in parts:
            node = self.node(index)
            if node is None or not isinstance(node.value, dict | list):
                return QModelIndex()
            if isinstance(node.value, dict):
                if not isinstance(part, str) or part not in node.value:
                    return QModelIndex()
                if node.keys is None:
                    self.fetchMore(index)
                assert node.keys is not None
                row = node.keys.index(part)
            else:
                if not isinstance(part, int) or not 0 <= part < len(node.value):
                    return QModelIndex()
                row = part
            while len(node.children) <= row:
                self.fetchMore(index)
            index = self.index(row, 0, index)
        return index

    # -- Qt model API -----------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        owner = self.node(parent) if parent.isValid() else self._root
        if owner is None or not 0 <= column < len(COLUMNS):
            return QModelIndex()
        if not 0 <= row < len(owner.children):
            return QModelIndex()
        return self.createIndex(row, column, owner.children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = self.node(index)
        if node is None or node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        owner = self.node(parent) if parent.isValid() else self._root
        return len(owner.children) if owner is not None else 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        if not parent.isValid():
            return bool(self._root.children)
        node = self.node(parent)
        return parent.column() == 0 and node is not None and node.size > 0

    def canFetchMore(self, parent: AnyIndex) -> bool:
        node = self.node(parent)
        return node is not None and parent.column() == 0 and len(node.children) < node.size

    def fetchMore(self, parent: AnyIndex) -> None:
        node = self.node(parent)
        if node is None or parent.column() != 0 or len(node.children) >= node.size:
            return
        made = node.fetch(PAGE)
        first = len(node.children)
        self.beginInsertRows(parent, first, first + len(made) - 1)
        node.children.extend(made)
        self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == COL_KEY:
                if node.parent is self._root:
                    return "output"
                return f"[{node.key}]" if isinstance(node.key, int) else str(node.key)
            if col == COL_VALUE:
                return preview(node.value)
            return type_name(node.value)
        if role == Qt.ItemDataRole.ToolTipRole:
            path = node.path or "the whole output"
            return f"{path}\nCtrl+C copies the value; right-click to copy the path"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class JsonTreeView(QTreeView):
    """The tree of the output.

    Signals:
        copy_requested(str what, str text): Copy value (Ctrl+C) or Copy path was used.
    """

    copy_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outputTree")
        self.setAccessibleName("Output as a tree")
        self.tree_model = JsonTreeModel(self)
        self.setModel(self.tree_model)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.header().setSectionResizeMode(COL_KEY, QHeaderView.ResizeMode.Interactive)
        self.header().resizeSection(COL_KEY, 170)
        self.header().resizeSection(COL_VALUE, 260)
        self.header().setStretchLastSection(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

        self.copy_value_action = QAction("Copy value", self)
        self.copy_value_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_value_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_value_action.triggered.connect(self.copy_value)
        self.copy_path_action = QAction("Copy path", self)
        self.copy_path_action.triggered.connect(self.copy_path)
        self.addAction(self.copy_value_action)
        self.addAction(self.copy_path_action)

    def show_value(self, value: Any, *, present: bool = True) -> None:
        self.tree_model.set_value(value, present=present)
        top = self.tree_model.top_index()
        if top.isValid():
            self.expand(top)
            self.setCurrentIndex(top)

    def current_node(self) -> Node | None:
        return self.tree_model.node(self.currentIndex())

    @Slot()
    def copy_value(self) -> None:
        node = self.current_node()
        if node is not None:
            what = f"value of {node.path}" if node.path else "output"
            self.copy_requested.emit(what, copy_text(node.value))

    @Slot()
    def copy_path(self) -> None:
        node = self.current_node()
        if node is not None and node.path:
            self.copy_requested.emit("path", node.path)

    def context_menu(self, pos: QPoint) -> QMenu | None:
        """The menu for the node at ``pos`` (which becomes current), or None."""
        index = self.indexAt(pos)
        if index.isValid():
            self.setCurrentIndex(index)
        node = self.current_node()
        if node is None:
            return None
        self.copy_path_action.setEnabled(bool(node.path))
        menu = QMenu(self)
        menu.addAction(self.copy_value_action)
        menu.addAction(self.copy_path_action)
        return menu

    @Slot(QPoint)
    def _menu(self, pos: QPoint) -> None:
        menu = self.context_menu(pos)
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(pos))
            menu.deleteLater()
