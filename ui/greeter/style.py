"""The greeter's look: touch-sized controls, in normal or large text.

Sizes live in the style sheet (it overrides fonts set on widgets); large-text mode
re-applies the sheet with every size scaled. Controls are never below
:data:`TOUCH_PX` in either direction.
"""

from __future__ import annotations

#: Smallest touch target, in pixels, in both directions.
TOUCH_PX = 64
NORMAL, LARGE = 1.0, 1.3

_SHEET = """
QWidget#greeter {{ background: #f3f6fa; }}
QWidget#greeter QWidget {{ font-size: {body}px; }}
QWidget#greeter QPushButton {{
    min-height: {touch}px; min-width: {touch}px; padding: 4px 18px; border-radius: 12px;
    font-size: {button}px; font-weight: bold; background: #1f5fa8; color: white;
    border: 2px solid #1f5fa8;
}}
QWidget#greeter QPushButton:pressed {{ background: #174a84; }}
QWidget#greeter QPushButton:disabled {{
    background: #a8b4c2; border-color: #a8b4c2; color: #eef1f4;
}}
QWidget#greeter QPushButton[kind="secondary"] {{ background: white; color: #1f5fa8; }}
QWidget#greeter QPushButton[kind="secondary"]:disabled {{ color: #a8b4c2; border-color: #c8d0da; }}
QWidget#greeter QPushButton[kind="chip"] {{
    background: white; color: #1d2733; border: 2px solid #9aa7b5; font-weight: normal;
}}
QWidget#greeter QPushButton[kind="chip"]:checked {{
    background: #1f5fa8; color: white; border-color: #1f5fa8; font-weight: bold;
}}
QWidget#greeter QPushButton[kind="key"] {{
    background: white; color: #1d2733; border: 2px solid #c8d0da; font-size: {title}px;
}}
QWidget#greeter QPushButton[kind="header"] {{
    background: transparent; color: white; border: 2px solid #8fb3de; font-size: {body}px;
}}
QWidget#greeter QPushButton[kind="header"]:checked {{ background: #ffd166; color: #1d2733; }}
QWidget#greeter QPushButton#tile {{
    background: white; border: 2px solid #cfd8e3; border-radius: 16px; padding: 10px;
    text-align: left;
}}
QWidget#greeter QPushButton#tile:pressed {{ background: #e3edf9; border-color: #1f5fa8; }}
QWidget#greeter QPushButton#printerBadge {{
    border-radius: {touch_half}px; font-size: {body}px; padding: 4px 16px;
}}
QWidget#greeter QPushButton#printerBadge[health="ready"] {{
    background: #d6f5dd; color: #0d4a1f; border-color: #d6f5dd;
}}
QWidget#greeter QPushButton#printerBadge[health="paper_low"] {{
    background: #ffe08a; color: #5a3d00; border-color: #ffe08a;
}}
QWidget#greeter QPushButton#printerBadge[health="paper_out"],
QWidget#greeter QPushButton#printerBadge[health="cover_open"],
QWidget#greeter QPushButton#printerBadge[health="offline"],
QWidget#greeter QPushButton#printerBadge[health="unreachable"] {{
    background: #b3261e; color: white; border-color: #ffffff;
}}
QWidget#greeter QPushButton#printerBadge[health="unknown"],
QWidget#greeter QPushButton#printerBadge[health="checking"] {{
    background: #e4e8ee; color: #39485a; border-color: #e4e8ee;
}}
QWidget#greeter QLineEdit, QWidget#greeter QPlainTextEdit {{
    min-height: {touch}px; font-size: {input}px; padding: 2px 10px; background: white;
    border: 2px solid #9aa7b5; border-radius: 10px;
}}
QWidget#greeter QLineEdit:focus, QWidget#greeter QPlainTextEdit:focus {{
    border-color: #1f5fa8;
}}
QWidget#greeter QLineEdit#appointmentScan {{ font-size: {title}px; letter-spacing: 2px; }}
QWidget#greeter QLineEdit[valid="false"] {{ border-color: #b3261e; }}
QWidget#greeter QWidget#header {{ background: #1f5fa8; }}
QWidget#greeter QWidget#header QLabel {{ color: white; }}
QWidget#greeter QLabel#branchName {{ font-size: {section}px; font-weight: bold; }}
QWidget#greeter QWidget#header QLabel#headerStaff {{ font-size: {small}px; color: #dbe7f5; }}
QWidget#greeter QLabel#pageTitle {{ font-size: {title}px; font-weight: bold; color: #1d2733; }}
QWidget#greeter QLabel#section {{ font-size: {section}px; font-weight: bold; color: #1d2733; }}
QWidget#greeter QLabel#hint {{ color: #4a5868; }}
QWidget#greeter QLabel#small {{ font-size: {small}px; color: #4a5868; }}
QWidget#greeter QLabel#tileName {{ font-size: {tile}px; font-weight: bold; color: #1d2733; }}
QWidget#greeter QLabel#tileNameEn {{ font-size: {small}px; color: #4a5868; }}
QWidget#greeter QLabel#tileText {{ font-size: {small}px; color: #1d2733; }}
QWidget#greeter QLabel#tileQueue {{ font-size: {section}px; font-weight: bold; color: #1f5fa8; }}
QWidget#greeter QLabel#tileBadge {{
    font-size: {small}px; color: #5a3d00; background: #ffe08a; border-radius: 6px;
    padding: 2px 8px;
}}
QWidget#greeter QLabel#bigNumber {{ font-size: {number}px; font-weight: bold; color: #b3261e; }}
QWidget#greeter QLabel#bigReference {{
    font-size: {reference}px; font-weight: bold; color: #1f5fa8;
}}
QWidget#greeter QLabel#serviceName {{ font-size: {section}px; font-weight: bold; }}
QWidget#greeter QLabel#waitInfo {{ font-size: {wait}px; color: #1d2733; }}
QWidget#greeter QLabel#printState {{ font-size: {body}px; }}
QWidget#greeter QLabel#suggestion {{
    font-size: {title}px; font-weight: bold; color: #0d4a1f; background: #d6f5dd;
    border-radius: 16px; padding: 24px;
}}
QWidget#greeter QLabel#error {{
    color: #b3261e; font-size: {body}px; font-weight: bold;
}}
QWidget#greeter QLabel#ok {{ color: #0d4a1f; font-size: {body}px; }}
QWidget#greeter QLabel#warning {{
    color: #5a3d00; background: #fff1c2; border-radius: 10px; padding: 10px;
}}
QWidget#greeter QLabel#printState[level="info"] {{
    color: #0d4a1f; background: #d6f5dd; border-radius: 10px;
}}
QWidget#greeter QLabel#printState[level="busy"] {{
    color: #39485a; background: #e4e8ee; border-radius: 10px;
}}
QWidget#greeter QLabel#printState[level="error"] {{
    color: white; background: #b3261e; border-radius: 10px; font-weight: bold;
}}
QWidget#greeter QScrollArea {{ border: none; background: transparent; }}
QWidget#greeter QScrollBar:vertical {{ width: 20px; }}
QWidget#greeter QWidget#page {{ background: transparent; }}
"""

#: Pixel sizes at normal scale.
BASE_PX = {
    "body": 18,
    "small": 16,
    "button": 20,
    "input": 22,
    "section": 22,
    "tile": 24,
    "title": 30,
    "wait": 28,
    "number": 150,
    "reference": 56,
}


def greeter_style(scale: float = NORMAL) -> str:
    """The style sheet of the greeter window at ``scale`` (1.0 normal, 1.3 large text)."""
    sizes = {name: round(px * scale) for name, px in BASE_PX.items()}
    touch = max(TOUCH_PX, round(TOUCH_PX * scale))
    return _SHEET.format(touch=touch, touch_half=touch // 2, **sizes)
