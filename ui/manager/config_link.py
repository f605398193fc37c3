"""Connect the configuration page to the core's validated configuration operations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lobby import admin
from lobby.admin import ConfigChange
from lobby.config import BranchConfig
from lobby.db import UnitOfWork
from ui.manager.config_page import ConfigPage
from ui.manager.controller import ManagerController

Operation = Callable[[UnitOfWork], ConfigChange]


class ConfigLink:
    """Turns the page's requests into core operations run as the signed-in manager."""

    def __init__(self, page: ConfigPage, controller: ManagerController) -> None:
        self.page = page
        self.controller = controller
        page.services.save.connect(lambda item: self._apply(lambda u: admin.save_service(u, item)))
        page.services.retire.connect(
            lambda code: self._apply(lambda u: admin.retire_service(u, code))
        )
        page.profiles.save.connect(lambda item: self._apply(lambda u: admin.save_profile(u, item)))
        page.profiles.retire.connect(
            lambda code: self._apply(lambda u: admin.retire_profile(u, code))
        )
        page.counters.save.connect(lambda item: self._apply(lambda u: admin.save_counter(u, item)))
        page.counters.retire.connect(
            lambda number: self._apply(lambda u: admin.retire_counter(u, int(number)))
        )
        page.notices.save.connect(lambda item: self._apply(lambda u: admin.save_notice(u, item)))
        page.notices.retire.connect(lambda key: self._apply(lambda u: admin.remove_notice(u, key)))
        page.policy.save.connect(
            lambda rules: self._apply(lambda u: admin.set_priority_rules(u, **rules))
        )
        page.hours.save.connect(self._hours)
        page.staff.action.connect(self._staff)
        page.toml.import_text.connect(self._import)
        controller.config_stale.connect(self.load)

    def load(self) -> None:
        """Read the stored configuration (and its TOML) into the page."""
        if self.controller.staff is None:
            return

        def read(session: Any) -> tuple[BranchConfig, str]:
            config = admin.export_config(session)
            return config, admin.config_to_toml(config)

        self.controller.read(read, lambda result: self.page.show_config(*result))

    def _apply(self, operation: Operation, then: Callable[[], None] | None = None) -> None:
        def done(change: ConfigChange) -> None:
            if then is not None:
                then()
            self.load()

        def message(change: ConfigChange) -> None:
            done_text = "已保存 saved" if change.changed else "无变化 no change"
            text = f"{done_text}: {change.what}"
            self.controller.notice.emit(text, "info")
            done(change)

        self.controller.change(operation, message)

    def _hours(self, hours: dict[str, str | None]) -> None:
        value = hours if any(hours.values()) else None
        self._apply(lambda u: admin.set_hours(u, value))

    def _staff(self, kind: str, args: dict[str, Any]) -> None:
        code = str(args.get("code", ""))
        operations: dict[str, Operation] = {
            "add": lambda u: admin.add_staff(
                u, code, str(args.get("name", "")), str(args.get("role", "")), str(args["pin"])
            ),
            "disable": lambda u: admin.disable_staff(u, code),
            "enable": lambda u: admin.enable_staff(u, code),
            "reset_pin": lambda u: admin.reset_pin(u, code, str(args.get("pin", ""))),
        }
        self._apply(operations[kind], self.page.staff.done)

    def _import(self, text: str, source: str) -> None:
        if not text:
            self.controller.notice.emit(f"无法读取 cannot read {source}", "error")
            return
        self._apply(lambda u: admin.import_toml(u, text, source))
