"""A discrete-event simulation of a branch day, on the live routing and estimate code.

* :func:`load_scenario` reads a scenario file (``resources/scenarios/*.toml``).
* :func:`model_from_history` learns a day from the branch's own recent tickets.
* :func:`simulate` runs a day; :func:`summarise` turns it into waits per service.
"""

from lobby.simulate.history import model_from_history
from lobby.simulate.model import (
    CounterPlan,
    DayModel,
    DayResult,
    Distribution,
    ServicePlan,
    SimTicket,
    draw_visits,
    simulate,
)
from lobby.simulate.scenario import SCENARIOS, Scenario, load_scenario
from lobby.simulate.summary import DaySummary, WaitFigures, percentile, summarise, wait_figures

__all__ = [
    "SCENARIOS",
    "CounterPlan",
    "DayModel",
    "DayResult",
    "DaySummary",
    "Distribution",
    "Scenario",
    "ServicePlan",
    "SimTicket",
    "WaitFigures",
    "draw_visits",
    "load_scenario",
    "model_from_history",
    "percentile",
    "simulate",
    "summarise",
    "wait_figures",
]
