from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lobby.errors import InvalidTransition, LobbyError
from lobby.states import ALLOWED_MOVES, Action, TicketState, next_state

FINAL = {
    TicketState.DONE,
    TicketState.NO_SHOW,
    TicketState.TRANSFERRED,
    TicketState.CANCELLED,
    TicketState.EXPIRED,
}
REFUSED = [
    (state, action)
    for state in TicketState
    for action in Action
    if action not in ALLOWED_MOVES[state]
]
ALLOWED = [
    (state, action, target)
    for state, moves in ALLOWED_MOVES.items()
    for action, target in moves.items()
]


def test_every_state_has_a_row_and_every_move_leads_to_a_known_state() -> None:
    assert set(ALLOWED_MOVES) == set(TicketState)
    for _, _, target in ALLOWED:
        assert isinstance(target, TicketState)


def test_final_states_have_no_moves_but_a_no_show_can_be_called_back() -> None:
    assert {state for state in TicketState if state.is_final} == FINAL
    for state in FINAL - {TicketState.NO_SHOW}:
        assert ALLOWED_MOVES[state] == {}
    assert ALLOWED_MOVES[TicketState.NO_SHOW] == {Action.RECALL_MISSED: TicketState.CALLED}


def test_only_called_and_serving_tickets_hold_a_counter() -> None:
    assert {state for state in TicketState if state.is_open} == {
        TicketState.CALLED,
        TicketState.SERVING,
    }


@pytest.mark.parametrize(("state", "action", "target"), ALLOWED)
def test_allowed_move(state: TicketState, action: Action, target: TicketState) -> None:
    assert next_state("A001", state, action) is target


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_refused_move_explains_itself(state: TicketState, action: Action) -> None:
    with pytest.raises(InvalidTransition) as caught:
        next_state("B042", state, action)
    message = str(caught.value)
    assert isinstance(caught.value, LobbyError)
    assert "B042" in message
    assert "\n" not in message
    for machine_text in ("Traceback", "Error", "TicketState.", "Action.", "<", "{"):
        assert machine_text not in message


@settings(deadline=None)
@given(st.lists(st.sampled_from(Action), max_size=30))
def test_random_action_sequences_stay_in_the_table_and_final_is_final(
    actions: list[Action],
) -> None:
    state = TicketState.WAITING
    for action in actions:
        missed_recall = state is TicketState.NO_SHOW and action is Action.RECALL_MISSED
        if (state.is_final and not missed_recall) or action not in ALLOWED_MOVES[state]:
            with pytest.raises(InvalidTransition):
                next_state("C007", state, action)
            continue
        state = next_state("C007", state, action)
        assert state in ALLOWED_MOVES
    if state.is_final:
        for action in Action:
            if state is TicketState.NO_SHOW and action is Action.RECALL_MISSED:
                assert next_state("C007", state, action) is TicketState.CALLED
                continue
            with pytest.raises(InvalidTransition):
                next_state("C007", state, action)
