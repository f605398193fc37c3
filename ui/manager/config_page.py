"""Branch configuration: every section editable, every change validated by the core.

The page only gathers what the manager typed; the core validates the whole branch
configuration, refuses a bad change with a message naming the key (nothing saved),
journals a good one and the other apps pick it up from the journal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lobby.config import BranchConfig
from lobby.routing import CATEGORY_ZH
from ui.manager.config_sections import (
    Column,
    SectionEditor,
    number_or_text,
    tiers_text,
    tiers_value,
)
from ui.manager.widgets import DataTable

WEEKDAYS = (("mon", "周一 Mon"), ("tue", "周二 Tue"), ("wed", "周三 Wed"), ("thu", "周四 Thu"),
            ("fri", "周五 Fri"), ("sat", "周六 Sat"), ("sun", "周日 Sun"))  # fmt: skip
ROLES = ("teller", "greeter", "manager")
STAFF_HELP = (
    "选中列表中的员工后停用、启用或重置密码。\n"
    "Select a member in the list to disable, enable or reset a PIN."
)
IMPORT_HELP = (
    "导入会先校验整个文件；有错则不保存任何内容。\n"
    "An import is checked as a whole; a bad file saves nothing."
)


def _optional(text: str) -> str | None:
    return text.strip() or None


class StaffPanel(QWidget):
    """Staff list; add a member, disable or enable one, reset a PIN.

    Signals:
        action(str, dict): ``add``/``disable``/``enable``/``reset_pin`` and its arguments.
    """

    action = Signal(str, dict)

    def __init__(self) -> None:
        super().__init__()
        self.table = DataTable(["工号 Code", "姓名 Name", "角色 Role", "状态 Status"])
        self.code = QLineEdit()
        self.code.setPlaceholderText("T04")
        self.name = QLineEdit()
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role, role)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText("4–12 位数字 digits")
        self.add_button = QPushButton("新增员工 Add staff")
        self.disable_button = QPushButton("停用 Disable")
        self.enable_button = QPushButton("启用 Enable")
        self.reset_button = QPushButton("重置密码 Reset PIN")
        form = QFormLayout()
        form.addRow("工号 Code", self.code)
        form.addRow("姓名 Name", self.name)
        form.addRow("角色 Role", self.role)
        form.addRow("密码 PIN", self.pin)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.disable_button, self.enable_button, self.reset_button):
            buttons.addWidget(button)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addLayout(buttons)
        side.addWidget(QLabel(STAFF_HELP))
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(side, 2)
        self.add_button.clicked.connect(self._add)
        self.disable_button.clicked.connect(lambda: self._on_selected("disable"))
        self.enable_button.clicked.connect(lambda: self._on_selected("enable"))
        self.reset_button.clicked.connect(self._reset)

    def show_staff(self, staff: list[dict[str, Any]]) -> None:
        """Show the staff list (PINs are never read back)."""
        self.table.fill(
            [
                [
                    m["code"],
                    m["name"],
                    m["role"],
                    "在岗 active" if m.get("active", True) else "停用 disabled",
                ]
                for m in staff
            ],  # fmt: skip
            keys=[m["code"] for m in staff],
        )

    def _add(self) -> None:
        self.action.emit(
            "add",
            {
                "code": self.code.text(),
                "name": self.name.text(),
                "role": self.role.currentData(),
                "pin": self.pin.text(),
            },  # fmt: skip
        )

    def _on_selected(self, kind: str) -> None:
        code = self.table.selected_key()
        if code is not None:
            self.action.emit(kind, {"code": code})

    def _reset(self) -> None:
        code = self.table.selected_key()
        if code is not None:
            self.action.emit("reset_pin", {"code": code, "pin": self.pin.text()})

    def done(self) -> None:
        """Clear the PIN (and the new member's fields) after a change went through."""
        for edit in (self.pin, self.code, self.name):
            edit.clear()


class PolicyPanel(QWidget):
    """Priority head starts, interleave, appointment grace, complaint answer days.

    Signals:
        save(dict): Keyword arguments for ``set_priority_rules``.
    """

    save = Signal(dict)

    def __init__(self) -> None:
        super().__init__()
        self.head_starts: dict[str, QDoubleSpinBox] = {}
        form = QFormLayout()
        for name, zh in CATEGORY_ZH.items():
            if name == "regular":
                continue
            box = QDoubleSpinBox()
            box.setRange(0, 240)
            box.setSuffix(" min")
            self.head_starts[name] = box
            form.addRow(f"{zh} {name} 提前量 head start", box)
        self.interleave = QSpinBox()
        self.interleave.setRange(0, 20)
        self.grace = QDoubleSpinBox()
        self.grace.setRange(0, 120)
        self.grace.setSuffix(" min")
        self.answer_days = QSpinBox()
        self.answer_days.setRange(1, 60)
        self.answer_days.setSuffix(" d")
        form.addRow("连续优先后插入普通 Regular after N priority calls", self.interleave)
        form.addRow("预约提前 Appointment grace", self.grace)
        form.addRow("投诉答复期限 Complaint answer days", self.answer_days)
        self.save_button = QPushButton("保存规则 Save rules")
        explain = QLabel(
            "每位客户的排序分 = 已等分钟 + 类别提前量；最高者先叫。\n"
            "Score = minutes waited + the class's head start; the highest goes next."
        )
        explain.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.save_button)
        layout.addStretch(1)
        self.save_button.clicked.connect(self._save)

    def show_policy(self, policy: dict[str, Any]) -> None:
        """Show the stored policy."""
        for name, box in self.head_starts.items():
            box.setValue(float(policy["head_start_min"].get(name, 0)))
        self.interleave.setValue(int(policy["interleave"]))
        self.grace.setValue(float(policy["appointment_grace_min"]))
        self.answer_days.setValue(int(policy.get("complaint_answer_days", 3)))

    def _save(self) -> None:
        self.save.emit(
            {
                "head_start_min": {n: box.value() for n, box in self.head_starts.items()},
                "interleave": self.interleave.value(),
                "appointment_grace_min": self.grace.value(),
                "complaint_answer_days": self.answer_days.value(),
            }
        )


class HoursPanel(QWidget):
    """Opening hours per weekday as ``HH:MM-HH:MM`` (empty: closed).

    Signals:
        save(dict): Weekday -> hours text or None.
    """

    save = Signal(dict)

    def __init__(self) -> None:
        super().__init__()
        self.days: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label in WEEKDAYS:
            edit = QLineEdit()
            edit.setPlaceholderText("09:00-17:00 (空 = 休息 empty = closed)")
            self.days[key] = edit
            form.addRow(label, edit)
        self.save_button = QPushButton("保存营业时间 Save hours")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.save_button)
        layout.addStretch(1)
        self.save_button.clicked.connect(
            lambda: self.save.emit({k: _optional(e.text()) for k, e in self.days.items()})
        )

    def show_hours(self, hours: dict[str, str | None] | None) -> None:
        """Show the stored hours."""
        for key, edit in self.days.items():
            edit.setText((hours or {}).get(key) or "")


class TomlPanel(QWidget):
    """The whole configuration as TOML: look, export to a file, import a file.

    Signals:
        import_text(str, str): TOML text and where it came from.
    """

    import_text = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.export_button = QPushButton("导出 TOML Export")
        self.import_button = QPushButton("导入 TOML Import")
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(IMPORT_HELP), 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.text, 1)
        self.export_button.clicked.connect(self._export)
        self.import_button.clicked.connect(self._import)

    def export(self, path: Path) -> Path:
        """Write the shown TOML to ``path``."""
        path.write_text(self.text.toPlainText(), encoding="utf-8")
        return path

    def import_file(self, path: Path) -> None:
        """Read ``path`` and ask for it to be imported."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.import_text.emit("", f"{path}: {exc}")
            return
        self.import_text.emit(text, path.name)

    def _export(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "导出 Export", "branch.toml", "*.toml")
        if chosen:
            self.export(Path(chosen))

    def _import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "导入 Import", "", "*.toml")
        if chosen:
            self.import_file(Path(chosen))


class ConfigPage(QWidget):
    """All configuration sections in tabs."""

    def __init__(self) -> None:
        super().__init__()
        self.config: BranchConfig | None = None
        self.services = SectionEditor(
            "业务 Services",
            "code",
            [Column("code", "代码 Code"), Column("prefix", "前缀 Prefix"),
             Column("name_zh", "中文名 Name (zh)"), Column("name_en", "英文名 Name (en)"),
             Column("target_wait_min", "目标等候 Target wait (min)", read=number_or_text),
             Column("mean_service_min", "平均办理 Mean service (min)", read=number_or_text),
             Column("description_zh", "说明 Description (zh)"),
             Column("description_en", "说明 Description (en)")],
        )  # fmt: skip
        self.profiles = SectionEditor(
            "工作方案 Work profiles (tiers: 先办 first | 其次 then)",
            "code",
            [Column("code", "代码 Code"), Column("name", "名称 Name"),
             Column("tiers", "业务层级 Tiers", show=tiers_text, read=tiers_value)],
        )  # fmt: skip
        self.counters = SectionEditor(
            "窗口 Counters",
            "number",
            [Column("number", "号 No.", read=number_or_text),
             Column("name_zh", "中文名 Name (zh)"), Column("name_en", "英文名 Name (en)"),
             Column("profile", "工作方案 Profile")],
        )  # fmt: skip
        self.notices = SectionEditor(
            "公告 Notices (shown on the display and the greeter)",
            "key",
            [Column("key", "代码 Key"), Column("zh", "中文 Chinese"), Column("en", "English"),
             Column("starts", "开始 Starts (ISO)", read=_optional),
             Column("ends", "结束 Ends (ISO)", read=_optional)],
        )  # fmt: skip
        self.staff = StaffPanel()
        self.policy = PolicyPanel()
        self.hours = HoursPanel()
        self.toml = TomlPanel()
        self.tabs = QTabWidget()
        for widget, label in (
            (self.services, "业务 Services"),
            (self.profiles, "工作方案 Profiles"),
            (self.counters, "窗口 Counters"),
            (self.staff, "员工 Staff"),
            (self.policy, "优先规则 Priority rules"),
            (self.notices, "公告 Notices"),
            (self.hours, "营业时间 Hours"),
            (self.toml, "导入导出 TOML"),
        ):
            self.tabs.addTab(widget, label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def show_config(self, config: BranchConfig, toml_text: str) -> None:
        """Show the stored configuration in every section."""
        self.config = config
        data = config.model_dump(mode="json")
        self.services.show_items(data["services"])
        self.profiles.show_items(data["profiles"])
        self.counters.show_items(data["counters"])
        self.notices.show_items(data["notices"])
        self.staff.show_staff(data["staff"])
        self.policy.show_policy(data["policy"])
        self.hours.show_hours(data["hours"])
        self.toml.text.setPlainText(toml_text)
