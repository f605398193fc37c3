"""The words for a counter's break reasons, shared by the teller and the manager."""

from __future__ import annotations

#: lobby.engine.day.BREAK_REASONS -> label in both languages
BREAK_WORDS = {
    "lunch": "午餐 lunch",
    "training": "培训 training",
    "meeting": "会议 meeting",
    "other": "其他 other",
}
