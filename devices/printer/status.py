"""What a printer reports about itself, told apart the way a greeter needs it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PaperState = Literal["ok", "near_end", "out"]

#: Every state a printer can be shown in, from the best to the worst known.
#:
#: * ``ready``: it answered and nothing is wrong;
#: * ``paper_near_end``: it prints, the roll is nearly used up;
#: * ``unknown``: it did not answer the status query in time, answered something
#:   that is not a status byte, or the line cannot ask (a device file, ``status=off``);
#:   jobs are still sent;
#: * ``cover_open``, ``offline`` (it says so), ``paper_out``: it answered and cannot print;
#: * ``unreachable``: no connection at all (refused, no route, no answer to connect).
PrinterState = Literal[
    "ready", "paper_near_end", "unknown", "cover_open", "offline", "paper_out", "unreachable"
]


@dataclass(frozen=True)
class PrinterStatus:
    """A printer's health as far as its connection can tell.

    Attributes:
        state: One of :data:`PrinterState`.
        detail: A short note for whoever fixes it: why unknown, why unreachable.
    """

    state: PrinterState
    detail: str = ""

    @property
    def online(self) -> bool | None:
        """True when it answered and can print, False when it cannot, None when unknown."""
        if self.state == "unknown":
            return None
        return self.state in ("ready", "paper_near_end")

    @property
    def paper(self) -> PaperState | None:
        """The paper sensor's reading, None when the printer did not tell."""
        return {"ready": "ok", "paper_near_end": "near_end", "paper_out": "out"}.get(  # type: ignore[return-value]
            self.state
        )

    @property
    def ready(self) -> bool:
        """Whether printing may work: nothing known is wrong."""
        return self.state in ("ready", "paper_near_end", "unknown")

    def to_json(self) -> dict[str, bool | str | None]:
        """A JSON-ready dict."""
        return {
            "state": self.state,
            "online": self.online,
            "paper": self.paper,
            "detail": self.detail,
        }
