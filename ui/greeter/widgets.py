"""Touch-sized building blocks shared by the greeter's pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from lobby.errors import InvalidInput
from lobby.phone import mask_phone, normalize_phone


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.updateGeometry()  # padding and fonts from the new rule change the size hint
    widget.update()


def button(kind: str | None = None, icon: QIcon | None = None, name: str = "") -> QPushButton:
    """A push button of a style ``kind`` (None: primary, ``secondary``, ``chip``, ...)."""
    widget = QPushButton()
    if kind:
        widget.setProperty("kind", kind)
    if icon is not None:
        widget.setIcon(icon)
    if name:
        widget.setObjectName(name)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a tap must not pull focus from a field
    return widget


def label(name: str = "", *, wrap: bool = True, center: bool = False) -> QLabel:
    """A label with a style name, wrapping by default."""
    widget = QLabel()
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    if center:
        widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return widget


class ElidedLabel(QLabel):
    """One line that ends in "…" when it does not fit, instead of pushing its neighbours."""

    def __init__(self, name: str = "") -> None:
        super().__init__()
        if name:
            self.setObjectName(name)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        """Show ``text``, shortened to the width."""
        self._full = text
        self.setToolTip(text)
        self._fit()

    def full_text(self) -> str:
        """The text before shortening."""
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        """Shorten again for the new width."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, self.width()))


class AdaptiveBox(QBoxLayout):
    """Side by side in landscape, one above the other in portrait."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QBoxLayout.Direction.LeftToRight, parent)

    def set_portrait(self, portrait: bool) -> None:
        """Stack the parts when the screen is taller than wide."""
        self.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )


def scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area that scrolls only when it must (large text)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    content.setObjectName("page")
    area.setWidget(content)
    area.viewport().setAutoFillBackground(False)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return area


class ChipGroup(QWidget):
    """Checkable touch chips in a grid: one choice (exclusive) or several.

    Signals:
        changed(): The selection changed.
    """

    changed = Signal()

    def __init__(self, keys: Sequence[str], *, exclusive: bool, columns: int = 3) -> None:
        super().__init__()
        self._columns = columns
        self._group = QButtonGroup(self)
        self._group.setExclusive(exclusive)
        self.chips: dict[str, QPushButton] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(10)
        for key in keys:
            chip = button("chip", name=f"chip_{key}")
            chip.setCheckable(True)
            chip.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self._group.addButton(chip)
            self.chips[key] = chip
        self._group.buttonToggled.connect(lambda *_: self.changed.emit())
        self._place()

    def set_columns(self, columns: int) -> None:
        """Lay the chips out in ``columns`` columns."""
        if columns != self._columns:
            self._columns = columns
            self._place()

    def _place(self) -> None:
        for index, chip in enumerate(self.chips.values()):
            self._grid.addWidget(chip, index // self._columns, index % self._columns)

    def set_texts(self, texts: Mapping[str, str]) -> None:
        """Label each chip."""
        for key, chip in self.chips.items():
            chip.setText(texts.get(key, key))

    def selected(self) -> list[str]:
        """The keys of the checked chips, in their order."""
        return [key for key, chip in self.chips.items() if chip.isChecked()]

    def current(self) -> str | None:
        """The one checked key (exclusive groups)."""
        chosen = self.selected()
        return chosen[0] if chosen else None

    def select(self, keys: Sequence[str]) -> None:
        """Check exactly ``keys``."""
        exclusive = self._group.exclusive()
        self._group.setExclusive(False)
        for key, chip in self.chips.items():
            chip.setChecked(key in keys)
        self._group.setExclusive(exclusive)
        self.changed.emit()


class PhoneField(QWidget):
    """A phone number typed in, checked with ``normalize_phone``, shown back masked.

    The result line under the field says what is wrong, or shows the number as it
    will be stored and shown to staff (``138****5678``).
    """

    def __init__(self) -> None:
        super().__init__()
        self.edit = QLineEdit()
        self.edit.setObjectName("phone")
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.edit.setMaxLength(20)
        self.result = label("small")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit)
        layout.addWidget(self.result)
        self.edit.textEdited.connect(lambda _text: self._show(final=False))
        self.edit.editingFinished.connect(lambda: self._show(final=True))

    def clear(self) -> None:
        """Empty the field and its result line."""
        self.edit.clear()
        self._mark(None, "")

    def value(self) -> str | None:
        """The number in E.164 form, None when empty.

        Raises:
            InvalidInput: The number is not valid (the message is shown too).
        """
        self._show(final=True)
        text = self.edit.text().strip()
        return normalize_phone(text) if text else None

    def retranslate(self) -> None:
        """Re-say the result line."""
        if self.result.text():
            self._show(final=True)

    def _show(self, *, final: bool) -> None:
        text = self.edit.text().strip()
        if not text:
            self._mark(None, "")
            return
        try:
            stored = normalize_phone(text)
        except InvalidInput:
            if final:
                self._mark(False, self.tr("手机号码无效，请核对后重新输入"))
            else:
                self._mark(None, "")
            return
        self._mark(True, self.tr("✔ 将记录为 {masked}").format(masked=mask_phone(stored)))

    def _mark(self, valid: bool | None, text: str) -> None:
        self.result.setText(text)
        self.result.setObjectName("error" if valid is False else "ok" if valid else "small")
        self.edit.setProperty("valid", "false" if valid is False else "true")
        repolish(self.edit)
        repolish(self.result)
