"""What a printer reports about itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PaperState = Literal["ok", "near_end", "out"]


@dataclass(frozen=True)
class PrinterStatus:
    """A printer's health as far as its connection can tell.

    Attributes:
        online: True or False as the printer reports it; None when the connection
            cannot ask (file, image, no printer) or the printer did not answer.
        paper: The paper sensor's reading, None when unknown.
        detail: A short note for the screen, e.g. why the state is unknown.
    """

    online: bool | None
    paper: PaperState | None
    detail: str = ""

    @property
    def ready(self) -> bool:
        """Whether printing may work: nothing known is wrong."""
        return self.online is not False and self.paper != "out"

    def to_json(self) -> dict[str, bool | str | None]:
        """A JSON-ready dict."""
        return {"online": self.online, "paper": self.paper, "detail": self.detail}
