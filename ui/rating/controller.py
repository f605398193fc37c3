"""What the rating pad does: ask when its counter finishes a visit, journal the score, time out."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from lobby import engine
from lobby.access import Credential
from lobby.db import Database
from lobby.engine.presence import HEARTBEAT_S
from lobby.engine.rating_pad import pad_actor, pad_heartbeat, pad_started, pad_stopped
from lobby.errors import InvalidInput, LobbyError
from lobby.keyfiles import device_key
from lobby.views import EventView
from lobby.vocabulary import EventKind
from ui.common.tasks import TaskRunner

#: How long the faces wait for the customer before the pad goes back to its welcome.
ASK_TIMEOUT_MS = 30_000
#: How long "thank you" stays.
THANKS_MS = 4_000


class RatingPadController(QObject):
    """Asks the customer of one counter to rate each finished visit.

    Attributes:
        timer: Ends the question after ``timeout_ms`` (tests fire it themselves).
        heartbeat: Tells the counter's console, every :data:`HEARTBEAT_S` seconds, that
            the pad still runs; a crashed pad stops beating and shows as "status unknown".
        number: The ticket being rated, while the faces are shown.

    Signals:
        asking(str): Show the faces for this ticket number.
        thanked(int): The score was journalled; say thank you.
        welcome(): Back to the welcome screen (skipped, timed out or thanked).
        failed(str): The score could not be recorded.
    """

    asking = Signal(str)
    thanked = Signal(int)
    welcome = Signal()
    failed = Signal(str)

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        counter: int,
        timeout_ms: int = ASK_TIMEOUT_MS,
        parent: QObject | None = None,
        *,
        credential: Credential | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self.counter = counter
        self.actor = pad_actor(counter)
        key = credential or device_key(self.actor)
        if key is None:
            raise InvalidInput(
                f"this rating pad is not enrolled: a manager runs "
                f"`lobby device-enrol {self.actor} --role rating_pad --counter {counter}` "
                "on this machine"
            )
        self.credential: Credential = key
        self.number: str | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(timeout_ms)
        self.timer.timeout.connect(self.time_out)
        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.setInterval(THANKS_MS)
        self.thanks_timer.timeout.connect(self.welcome)
        self.heartbeat = QTimer(self)
        self.heartbeat.setInterval(HEARTBEAT_S * 1000)
        self.heartbeat.timeout.connect(self.beat)

    def start(self) -> None:
        """Tell the counter's console that a pad now takes the ratings, and keep beating."""
        self._journal(pad_started)
        self.heartbeat.start()

    def stop(self) -> None:
        """Tell the console the pad is gone (it asks on its own panel again)."""
        self.heartbeat.stop()
        self._journal(pad_stopped)

    def beat(self) -> None:
        """The pad still runs (off the GUI thread; a refusal is shown on the pad)."""
        key, counter, db = self.credential, self.counter, self._db

        def work() -> None:  # holds no QObject: it may end on the worker thread
            db.run(key, lambda uow: pad_heartbeat(uow, counter))

        self._runner.run_latest("heartbeat", work, lambda _: None, self._failed)

    @Slot(list)
    def on_events(self, events: list[EventView]) -> None:
        """Ask when this counter finishes a ticket."""
        for event in events:
            if event.kind == EventKind.FINISHED and event.counter == self.counter and event.ticket:
                self.ask(event.ticket)

    def ask(self, number: str) -> None:
        """Show the faces for ``number`` until rated, skipped or timed out."""
        self.number = number
        self.thanks_timer.stop()
        self.timer.start()
        self.asking.emit(number)

    def rate(self, score: int) -> None:
        """Journal the customer's score for the ticket asked about."""
        number = self.number
        if number is None:
            return
        self.timer.stop()
        self.number = None
        actor = self.credential

        def work() -> int:
            with self._db.unit_of_work(actor) as uow:
                engine.rate_visit(uow, number, score)
            return score

        self._runner.run(work, self._thanked, self._failed)

    def skip(self) -> None:
        """The customer would rather not rate."""
        self.timer.stop()
        self.number = None
        self.welcome.emit()

    def time_out(self) -> None:
        """Nobody answered in time: back to the welcome screen, nothing journalled."""
        self.number = None
        self.welcome.emit()

    def _thanked(self, score: int) -> None:
        self.thanked.emit(score)
        self.thanks_timer.start()

    def _failed(self, exc: LobbyError) -> None:
        self.failed.emit(str(exc))
        self.thanks_timer.start()

    def _journal(self, operation: object) -> None:
        with self._db.unit_of_work(self.credential) as uow:
            operation(uow, self.counter)  # type: ignore[operator]
