"""Branch administration for the manager: configuration changes, export and import.

Usage::

    with db.unit_of_work("M01") as uow:          # the actor must be an active manager
        admin.disable_staff(uow, "T03")
    with db.read() as session:
        text = admin.export_toml(session)
"""

from typing import TYPE_CHECKING

from lobby.lazy import lazy_exports

if TYPE_CHECKING:
    from lobby.admin.changes import (
        CONFIG_EVENT_KINDS,
        ConfigChange,
        add_staff,
        change_config,
        describe_changes,
        disable_staff,
        enable_staff,
        import_config,
        import_toml,
        remove_notice,
        reset_pin,
        retire_counter,
        retire_profile,
        retire_service,
        save_counter,
        save_notice,
        save_profile,
        save_service,
        set_hours,
        set_priority_rules,
        update_staff,
    )
    from lobby.admin.export import config_to_toml, export_config, export_toml
    from lobby.admin.notices import DayHours, NoticeView, current_notices, is_open, opening_hours
    from lobby.admin.people import StaffMemberView, list_staff
else:  # imported on first use (lobby/lazy.py)
    __getattr__ = lazy_exports(
        __name__,
        {
            "changes": (
                "CONFIG_EVENT_KINDS",
                "ConfigChange",
                "add_staff",
                "change_config",
                "describe_changes",
                "disable_staff",
                "enable_staff",
                "import_config",
                "import_toml",
                "remove_notice",
                "reset_pin",
                "retire_counter",
                "retire_profile",
                "retire_service",
                "save_counter",
                "save_notice",
                "save_profile",
                "save_service",
                "set_hours",
                "set_priority_rules",
                "update_staff",
            ),
            "export": (
                "config_to_toml",
                "export_config",
                "export_toml",
            ),
            "notices": (
                "DayHours",
                "NoticeView",
                "current_notices",
                "is_open",
                "opening_hours",
            ),
            "people": (
                "StaffMemberView",
                "list_staff",
            ),
        },
    )

__all__ = [
    "CONFIG_EVENT_KINDS",
    "ConfigChange",
    "DayHours",
    "NoticeView",
    "StaffMemberView",
    "add_staff",
    "change_config",
    "config_to_toml",
    "current_notices",
    "describe_changes",
    "disable_staff",
    "enable_staff",
    "export_config",
    "export_toml",
    "import_config",
    "import_toml",
    "is_open",
    "list_staff",
    "opening_hours",
    "remove_notice",
    "reset_pin",
    "retire_counter",
    "retire_profile",
    "retire_service",
    "save_counter",
    "save_notice",
    "save_profile",
    "save_service",
    "set_hours",
    "set_priority_rules",
    "update_staff",
]
