from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from lobby.config import SAMPLE_BRANCH, load_branch_config
from lobby.errors import ConfigError

SAMPLE_TEXT = SAMPLE_BRANCH.read_text(encoding="utf-8")


def edited(old: str, new: str) -> str:
    assert SAMPLE_TEXT.count(old) == 1, f"the sample no longer holds {old!r} exactly once"
    return SAMPLE_TEXT.replace(old, new)


def without_services() -> str:
    start = SAMPLE_TEXT.index("[[services]]")
    end = SAMPLE_TEXT.index("[[profiles]]")
    return SAMPLE_TEXT[:start] + SAMPLE_TEXT[end:]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "branch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_branch_loads() -> None:
    config = load_branch_config(SAMPLE_BRANCH)
    assert config.branch.code == "SH-0101"
    assert config.branch.timezone == "Asia/Shanghai"
    assert len(config.services) == 8
    assert sorted(s.prefix for s in config.services) == [*"ABCDEFG", "V"]
    assert len(config.counters) == 8
    assert sorted(c.number for c in config.counters) == list(range(1, 9))
    assert {s.role for s in config.staff} == {"greeter", "teller", "manager"}
    assert config.policy.routing().interleave == 3


def test_edited_copy_of_the_sample_still_loads(tmp_path: Path) -> None:
    # the bad files below differ from this one by the one edit each test names
    config = load_branch_config(write(tmp_path, SAMPLE_TEXT))
    assert config == load_branch_config(SAMPLE_BRANCH)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError, match="no such file") as caught:
        load_branch_config(path)
    assert str(path) in str(caught.value)


def test_invalid_toml(tmp_path: Path) -> None:
    text = edited('code = "SH-0101"', 'code = "SH-0101')
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match="not valid TOML") as caught:
        load_branch_config(path)
    assert str(path) in str(caught.value)
    assert "line 5," in str(caught.value)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param(
            edited('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"'),
            ["branch.timezone", "Mars/Olympus"],
            id="unknown-time-zone",
        ),
        pytest.param(
            edited('prefix = "B"', 'prefix = "A"'),
            ["duplicate ticket prefix", "'A'"],
            id="duplicate-prefix",
        ),
        pytest.param(
            edited("number = 2\n", "number = 1\n"),
            ["duplicate counter number 1"],
            id="duplicate-counter-number",
        ),
        pytest.param(
            edited(
                'tiers = [["cash", "enquiry"], ["account"]]',
                'tiers = [["cash", "enquiry"], ["mortgage"]]',
            ),
            ["profile 'cash'", "unknown service 'mortgage'"],
            id="profile-names-unknown-service",
        ),
        pytest.param(
            edited('profile = "vip"', 'profile = "platinum"'),
            ["counter 8", "unknown profile 'platinum'"],
            id="counter-names-unknown-profile",
        ),
        pytest.param(
            edited('pin = "2468"', 'pin = "12a4"'),
            ["staff.0.pin"],
            id="bad-pin",
        ),
        pytest.param(
            'colour = "blue"\n' + SAMPLE_TEXT,
            ["colour", "Extra inputs are not permitted"],
            id="unknown-top-level-key",
        ),
        pytest.param(
            without_services(),
            ["services", "Field required"],
            id="missing-services",
        ),
    ],
)
def test_bad_branch_file_names_the_file_and_the_problem(
    tmp_path: Path, text: str, names: list[str]
) -> None:
    tomllib.loads(text)  # each bad file is valid TOML: the content is what is wrong
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_branch_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    for name in names:
        assert name in message


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("royalty = 5", "unknown priority class 'royalty'"),
        ("elderly = -3", "must not be negative"),
    ],
)
def test_bad_head_start_is_refused(tmp_path: Path, snippet: str, message: str) -> None:
    text = (
        SAMPLE_BRANCH.read_text(encoding="utf-8")
        .replace("[policy.head_start_min]\n", f"[policy.head_start_min]\n{snippet}\n")
        .replace("elderly = 40\n", "", 1 if snippet.startswith("elderly") else 0)
    )
    path = tmp_path / "branch.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as raised:
        load_branch_config(path)
    assert str(path) in str(raised.value)
    assert "policy.head_start_min" in str(raised.value)
