"""Read models: what each screen and command shows, read in one short transaction.

Each module holds the read of one screen or part of one (the hall display's
:mod:`~lobby.queries.board`, the teller's :mod:`~lobby.queries.counter_view`, the
greeter's :mod:`~lobby.queries.service_list`, the manager's :mod:`~lobby.queries.floor`,
the one queue record of :mod:`~lobby.queries.queues`, a complaint's
:mod:`~lobby.queries.receipts`, the branch heading of :mod:`~lobby.queries.branch`,
every ticket as its customer's phone shows it in :mod:`~lobby.queries.ticket_status`).
Every function takes a session and returns frozen dataclasses; no ORM object leaves.
"""
