"""Least-privilege PostgreSQL roles for a branch database.

Two roles: an owner that runs the migrations (``lobby init``) and owns every table, and
an app role the apps and commands connect as, which may read and write rows but not
change the schema, and may only append to the journal (no UPDATE or DELETE on
``event``). Connect over TLS with the server's certificate checked::

    postgresql+psycopg://lobby_app:PASSWORD@db.branch.lan/lobby?sslmode=verify-full&sslrootcert=/etc/lobby/ca.crt

Run :func:`least_privilege_sql` as a superuser once, on the empty database; the default
privileges it sets also cover tables that later migrations add.
"""

from __future__ import annotations

from psycopg import sql


def least_privilege_sql(database: str, owner: str, app: str) -> list[sql.Composable]:
    """The statements that set up ``owner`` and ``app`` on ``database`` (roles must exist).

    Args:
        database: The branch database.
        owner: The role that runs migrations and owns the schema's tables.
        app: The role the apps connect as: rows only, the journal append-only.
    """
    db, own, use = sql.Identifier(database), sql.Identifier(owner), sql.Identifier(app)
    return [
        sql.SQL("ALTER DATABASE {} OWNER TO {}").format(db, own),
        sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(db),
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(db, use),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("ALTER SCHEMA public OWNER TO {}").format(own),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(use),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
        ).format(own, use),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
            "GRANT USAGE, SELECT ON SEQUENCES TO {}"
        ).format(own, use),
    ]


def journal_append_only_sql(app: str) -> list[sql.Composable]:
    """After each migration: the app role may read and append journal rows, nothing more."""
    use = sql.Identifier(app)
    return [sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON event FROM {}").format(use)]
