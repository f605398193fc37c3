"""The scenario families: tuning ones and held-out ones stay apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from lobby.simulate import families
from lobby.simulate.families import (
    FAMILIES,
    SEEDS,
    WARM_UP_SEED,
    held_out_families,
    tuning_families,
    warm_calibration,
)


def test_every_family_is_either_tuning_or_held_out() -> None:
    tuning = {f.name for f in tuning_families()}
    held_out = {f.name for f in held_out_families()}
    assert tuning
    assert held_out
    assert not tuning & held_out
    assert tuning | held_out == {f.name for f in FAMILIES}
    assert families.WARM_UP_FAMILY in tuning
    assert WARM_UP_SEED not in SEEDS  # the warm-up day is none of the measured days


def test_the_warm_up_reads_no_held_out_family(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    load = families.load_scenario

    def recording(path: Path):  # type: ignore[no-untyped-def]
        read.append(path.name)
        return load(path)

    monkeypatch.setattr(families, "load_scenario", recording)
    calibration = warm_calibration()
    assert len(calibration) > 500  # a whole day's residuals
    assert read == [f"{families.WARM_UP_FAMILY}.toml"]
    assert not {f.file for f in held_out_families()} & set(read)


def test_a_warm_up_on_a_held_out_family_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(families, "WARM_UP_FAMILY", held_out_families()[0].name)
    with pytest.raises(ValueError, match="not a tuning family"):
        warm_calibration()
