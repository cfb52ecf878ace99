"""SQLite state of the embedded engine: workflows (one row each, nodes as separate rows), stored objects
(templates, cron workflows, config maps, secrets), caches and pending commands.

Nodes are written row by row, so a transition of one node of a 1,000-node workflow writes one small row, not
the whole status. Every change bumps a store-wide resource version, as Kubernetes does.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('rv', 0);
CREATE TABLE IF NOT EXISTS workflows (
    uid TEXT PRIMARY KEY,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    phase TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    rv INTEGER NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT '{}',
    UNIQUE (namespace, name)
);
CREATE INDEX IF NOT EXISTS workflows_rv ON workflows(rv);
CREATE INDEX IF NOT EXISTS workflows_phase ON workflows(phase);
CREATE TABLE IF NOT EXISTS nodes (
    wf_uid TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (wf_uid, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tombstones (
    rv INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS objects (
    kind TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    rv INTEGER NOT NULL,
    created REAL NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, namespace, name)
);
CREATE INDEX IF NOT EXISTS objects_rv ON objects(rv);
CREATE TABLE IF NOT EXISTS cache (
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (namespace, name, key)
);
CREATE TABLE IF NOT EXISTS workflow_context (
    uid TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS commands (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    wf_uid TEXT NOT NULL,
    kind TEXT NOT NULL,
    args TEXT NOT NULL
);
"""

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def dumps(obj: Any) -> str:
    """Compact JSON, as every row stores it."""
    return _dumps(obj)


class Store:
    """Rows of the engine's state in `<state_dir>/state.db` (WAL mode; readers never block the writer)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        conn = self.conn()
        conn.executescript(_SCHEMA)

    # -- connections -----------------------------------------------------------------------------------
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (autocommit; use `transaction()` for atomic groups)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def checkpoint(self) -> None:
        """Copy committed pages from the write-ahead log into the database without blocking writers."""
        self.conn().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def close_thread(self) -> None:
        """Close this thread's connection (a thread that ends)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            return
        self._local.conn = None
        with self._lock:
            if conn in self._all:
                self._all.remove(conn)
        try:
            conn.close()
        except sqlite3.Error:
            pass

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()

    class _Tx:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def __enter__(self) -> sqlite3.Connection:
            self.conn.execute("BEGIN IMMEDIATE")
            return self.conn

        def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
            if exc_type is None:
                self.conn.execute("COMMIT")
            else:
                self.conn.execute("ROLLBACK")

    def transaction(self) -> _Tx:
        """`with store.transaction() as conn:` runs the block atomically (write lock taken at the start)."""
        return Store._Tx(self.conn())

    @staticmethod
    def next_rv(conn: sqlite3.Connection) -> int:
        """Bump and return the store-wide resource version (inside a transaction)."""
        row = conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'rv' RETURNING value").fetchone()
        return int(row[0])

    def current_rv(self) -> int:
        """The latest resource version handed out."""
        row = self.conn().execute("SELECT value FROM meta WHERE key = 'rv'").fetchone()
        return int(row[0])

    def data_version(self) -> int:
        """SQLite's data_version: changes when another connection commits."""
        return int(self.conn().execute("PRAGMA data_version").fetchone()[0])

    # -- workflows -------------------------------------------------------------------------------------
    @staticmethod
    def split_workflow(wf: dict[str, Any]) -> tuple[str, str, list[tuple[str, str]]]:
        """(body JSON without status, status JSON without nodes, [(node id, node JSON)])."""
        status = dict(wf.get("status") or {})
        nodes = status.pop("nodes", None) or {}
        body = {k: v for k, v in wf.items() if k != "status"}
        return dumps(body), dumps(status), [(nid, dumps(n)) for nid, n in nodes.items()]

    def insert_workflow(self, conn: sqlite3.Connection, wf: dict[str, Any]) -> int:
        """Insert a new workflow row (inside a transaction); returns its resource version."""
        meta = wf["metadata"]
        rv = self.next_rv(conn)
        meta["resourceVersion"] = str(rv)
        body, status, nodes = self.split_workflow(wf)
        conn.execute(
            "INSERT INTO workflows(uid, namespace, name, phase, created, rv, labels, body, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                meta["uid"],
                meta["namespace"],
                meta["name"],
                (wf.get("status") or {}).get("phase") or "",
                time.time(),
                rv,
                dumps(meta.get("labels") or {}),
                body,
                status,
            ),
        )
        if nodes:
            conn.executemany(
                "INSERT OR REPLACE INTO nodes(wf_uid, id, body) VALUES (?, ?, ?)",
                [(meta["uid"], nid, n) for nid, n in nodes],
            )
        return rv

    def replace_workflow(self, conn: sqlite3.Connection, wf: dict[str, Any], *, nodes: bool = True) -> int:
        """Rewrite a workflow row wholesale (body, status, and nodes when `nodes`); returns the new rv."""
        meta = wf["metadata"]
        rv = self.next_rv(conn)
        meta["resourceVersion"] = str(rv)
        body, status, node_rows = self.split_workflow(wf)
        conn.execute(
            "UPDATE workflows SET phase = ?, rv = ?, labels = ?, body = ?, status = ? WHERE uid = ?",
            (
                (wf.get("status") or {}).get("phase") or "",
                rv,
                dumps(meta.get("labels") or {}),
                body,
                status,
                meta["uid"],
            ),
        )
        if nodes:
            conn.execute("DELETE FROM nodes WHERE wf_uid = ?", (meta["uid"],))
            conn.executemany(
                "INSERT INTO nodes(wf_uid, id, body) VALUES (?, ?, ?)", [(meta["uid"], nid, n) for nid, n in node_rows]
            )
        return rv

    def write_status(
        self,
        conn: sqlite3.Connection,
        uid: str,
        wf: dict[str, Any],
        node_rows: Iterable[tuple[str, str]],
        *,
        body: bool = False,
    ) -> int:
        """Persist a workflow's status (without nodes) and the given changed node rows; returns the new rv, or -1
        when the workflow no longer exists."""
        rv = self.next_rv(conn)
        wf["metadata"]["resourceVersion"] = str(rv)
        status = {k: v for k, v in (wf.get("status") or {}).items() if k != "nodes"}
        if body:
            body_json = dumps({k: v for k, v in wf.items() if k != "status"})
            cur = conn.execute(
                "UPDATE workflows SET phase = ?, rv = ?, status = ?, body = ?, labels = ? WHERE uid = ?",
                (
                    status.get("phase") or "",
                    rv,
                    dumps(status),
                    body_json,
                    dumps(wf["metadata"].get("labels") or {}),
                    uid,
                ),
            )
        else:
            cur = conn.execute(
                "UPDATE workflows SET phase = ?, rv = ?, status = ? WHERE uid = ?",
                (status.get("phase") or "", rv, dumps(status), uid),
            )
        if cur.rowcount == 0:
            return -1  # the workflow was deleted meanwhile (by another process)
        conn.executemany(
            "INSERT OR REPLACE INTO nodes(wf_uid, id, body) VALUES (?, ?, ?)", [(uid, nid, b) for nid, b in node_rows]
        )
        return rv

    @staticmethod
    def _assemble(row: sqlite3.Row | tuple[Any, ...], nodes: dict[str, Any] | None) -> dict[str, Any]:
        body = json.loads(row[0])
        status = json.loads(row[1])
        body["metadata"]["resourceVersion"] = str(row[2])
        if nodes is not None:
            status["nodes"] = nodes
        body["status"] = status
        return body

    def _nodes(self, conn: sqlite3.Connection, uid: str) -> dict[str, Any]:
        rows = conn.execute("SELECT id, body FROM nodes WHERE wf_uid = ?", (uid,)).fetchall()
        return {nid: json.loads(b) for nid, b in rows}

    def get_workflow(self, namespace: str, name: str, *, with_nodes: bool = True) -> dict[str, Any] | None:
        """The stored workflow (nodes included unless `with_nodes` is false), or None."""
        conn = self.conn()
        conn.execute("BEGIN")
        try:
            row = conn.execute(
                "SELECT body, status, rv, uid FROM workflows WHERE namespace = ? AND name = ?", (namespace, name)
            ).fetchone()
            if row is None:
                return None
            nodes = self._nodes(conn, row[3]) if with_nodes else None
        finally:
            conn.execute("COMMIT")
        wf = self._assemble(row, nodes)
        if nodes is not None and not nodes:
            wf["status"].pop("nodes", None)
        return wf

    def get_workflow_by_uid(self, uid: str, *, with_nodes: bool = True) -> dict[str, Any] | None:
        """The stored workflow with this uid, or None."""
        conn = self.conn()
        conn.execute("BEGIN")
        try:
            row = conn.execute("SELECT body, status, rv, uid FROM workflows WHERE uid = ?", (uid,)).fetchone()
            if row is None:
                return None
            nodes = self._nodes(conn, uid) if with_nodes else None
        finally:
            conn.execute("COMMIT")
        wf = self._assemble(row, nodes)
        if nodes is not None and not nodes:
            wf["status"].pop("nodes", None)
        return wf

    def put_context(self, conn: sqlite3.Connection, uid: str, data: dict[str, Any]) -> None:
        """Record where a workflow was created (code directories, nesting), which the status does not hold."""
        conn.execute("INSERT OR REPLACE INTO workflow_context(uid, data) VALUES (?, ?)", (uid, dumps(data)))

    def get_context(self, uid: str) -> dict[str, Any]:
        """What `put_context` recorded for a workflow (empty when nothing was)."""
        row = self.conn().execute("SELECT data FROM workflow_context WHERE uid = ?", (uid,)).fetchone()
        return {} if row is None else dict(json.loads(row[0]))

    def workflow_uid(self, namespace: str, name: str) -> str | None:
        """The uid of a stored workflow, or None."""
        row = (
            self.conn()
            .execute("SELECT uid FROM workflows WHERE namespace = ? AND name = ?", (namespace, name))
            .fetchone()
        )
        return None if row is None else str(row[0])

    def workflow_phase(self, uid: str) -> tuple[str, int] | None:
        """(phase, rv) of a workflow, cheaply, or None when it is gone."""
        row = self.conn().execute("SELECT phase, rv FROM workflows WHERE uid = ?", (uid,)).fetchone()
        return None if row is None else (str(row[0]), int(row[1]))

    def list_workflow_rows(
        self, namespace: str | None, *, min_rv: int | None = None
    ) -> list[tuple[str, str, str, str, int, str, str]]:
        """(uid, namespace, name, labels, rv, body, status) rows, newest first."""
        sql = "SELECT uid, namespace, name, labels, rv, body, status FROM workflows"
        where: list[str] = []
        args: list[Any] = []
        if namespace:
            where.append("namespace = ?")
            args.append(namespace)
        if min_rv is not None:
            where.append("rv > ?")
            args.append(min_rv)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created DESC, name"
        return self.conn().execute(sql, args).fetchall()

    def workflow_nodes(self, uid: str) -> dict[str, Any]:
        """Every node of a workflow, by id."""
        return self._nodes(self.conn(), uid)

    def active_workflow_uids(self) -> list[str]:
        """Uids of workflows that are not completed (phase '', Pending or Running), oldest first."""
        rows = (
            self.conn()
            .execute("SELECT uid FROM workflows WHERE phase IN ('', 'Pending', 'Running') ORDER BY created")
            .fetchall()
        )
        return [str(r[0]) for r in rows]

    def delete_workflow(self, conn: sqlite3.Connection, uid: str) -> None:
        """Remove a workflow and its nodes, leaving a tombstone for watchers (inside a transaction)."""
        row = conn.execute("SELECT namespace, name, body, status FROM workflows WHERE uid = ?", (uid,)).fetchone()
        if row is None:
            return
        rv = self.next_rv(conn)
        body = json.loads(row[2])
        body["status"] = json.loads(row[3])
        body["metadata"]["resourceVersion"] = str(rv)
        conn.execute(
            "INSERT INTO tombstones(rv, kind, namespace, name, body) VALUES (?, 'Workflow', ?, ?, ?)",
            (rv, row[0], row[1], dumps(body)),
        )
        conn.execute("DELETE FROM nodes WHERE wf_uid = ?", (uid,))
        conn.execute("DELETE FROM workflows WHERE uid = ?", (uid,))
        conn.execute("DELETE FROM commands WHERE wf_uid = ?", (uid,))
        conn.execute("DELETE FROM workflow_context WHERE uid = ?", (uid,))

    def tombstones_since(self, rv: int, kind: str = "Workflow") -> list[tuple[int, str, str, str]]:
        """(rv, namespace, name, body) of objects deleted after `rv`."""
        return (
            self.conn()
            .execute("SELECT rv, namespace, name, body FROM tombstones WHERE rv > ? AND kind = ? ORDER BY rv", (rv, kind))
            .fetchall()
        )

    # -- other objects ---------------------------------------------------------------------------------
    def put_object(self, conn: sqlite3.Connection, kind: str, namespace: str, name: str, obj: dict[str, Any]) -> int:
        """Insert or replace a stored object (inside a transaction); sets and returns its resource version."""
        rv = self.next_rv(conn)
        obj.setdefault("metadata", {})["resourceVersion"] = str(rv)
        conn.execute(
            "INSERT INTO objects(kind, namespace, name, rv, created, body) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(kind, namespace, name) DO UPDATE SET rv = excluded.rv, body = excluded.body",
            (kind, namespace, name, rv, time.time(), dumps(obj)),
        )
        return rv

    def modify_object(
        self, kind: str, namespace: str, name: str, change: Any
    ) -> dict[str, Any] | None:
        """Read-modify-write one object atomically: `change(obj)` edits it in place; returns it (None if gone)."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT body FROM objects WHERE kind = ? AND namespace = ? AND name = ?", (kind, namespace, name)
            ).fetchone()
            if row is None:
                return None
            obj: dict[str, Any] = json.loads(row[0])
            change(obj)
            self.put_object(conn, kind, namespace, name, obj)
        return obj

    def get_object(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        """A stored object, or None."""
        row = (
            self.conn()
            .execute(
                "SELECT body, rv FROM objects WHERE kind = ? AND namespace = ? AND name = ?", (kind, namespace, name)
            )
            .fetchone()
        )
        if row is None:
            return None
        obj: dict[str, Any] = json.loads(row[0])
        obj.setdefault("metadata", {})["resourceVersion"] = str(row[1])
        return obj

    def list_objects(self, kind: str, namespace: str | None) -> list[dict[str, Any]]:
        """Stored objects of a kind (in a namespace, or all), sorted by name."""
        if namespace is None:
            rows = self.conn().execute("SELECT body, rv FROM objects WHERE kind = ? ORDER BY name", (kind,)).fetchall()
        else:
            rows = (
                self.conn()
                .execute(
                    "SELECT body, rv FROM objects WHERE kind = ? AND namespace = ? ORDER BY name", (kind, namespace)
                )
                .fetchall()
            )
        out = []
        for body, rv in rows:
            obj = json.loads(body)
            obj.setdefault("metadata", {})["resourceVersion"] = str(rv)
            out.append(obj)
        return out

    def delete_object(self, conn: sqlite3.Connection, kind: str, namespace: str, name: str) -> bool:
        """Delete a stored object; False when it did not exist."""
        cur = conn.execute("DELETE FROM objects WHERE kind = ? AND namespace = ? AND name = ?", (kind, namespace, name))
        return cur.rowcount > 0

    # -- memoization caches ----------------------------------------------------------------------------
    def cache_get(self, namespace: str, name: str, key: str) -> tuple[str, float] | None:
        """(value JSON, created time) of a cache entry, or None."""
        row = (
            self.conn()
            .execute("SELECT value, created FROM cache WHERE namespace = ? AND name = ? AND key = ?", (namespace, name, key))
            .fetchone()
        )
        return None if row is None else (str(row[0]), float(row[1]))

    def cache_put(self, conn: sqlite3.Connection, namespace: str, name: str, key: str, value: str) -> None:
        """Store a cache entry (inside a transaction)."""
        conn.execute(
            "INSERT OR REPLACE INTO cache(namespace, name, key, value, created) VALUES (?, ?, ?, ?, ?)",
            (namespace, name, key, value, time.time()),
        )

    # -- commands from other processes -----------------------------------------------------------------
    def add_command(self, wf_uid: str, kind: str, args: dict[str, Any]) -> None:
        """Queue a command (suspend, resume, stop, ...) for whichever process runs the workflow."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO commands(wf_uid, kind, args) VALUES (?, ?, ?)", (wf_uid, kind, dumps(args)))

    def take_commands(self) -> list[tuple[str, str, dict[str, Any]]]:
        """Remove and return every queued command as (wf uid, kind, args)."""
        conn = self.conn()
        rows = conn.execute("SELECT id FROM commands LIMIT 1").fetchall()
        if not rows:
            return []
        with self.transaction() as tx:
            rows = tx.execute("SELECT id, wf_uid, kind, args FROM commands ORDER BY id").fetchall()
            tx.execute("DELETE FROM commands WHERE id <= ?", (rows[-1][0],))
        return [(str(r[1]), str(r[2]), json.loads(r[3])) for r in rows]

    def iter_rows(self, sql: str, args: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        """Run a read query on this thread's connection."""
        yield from self.conn().execute(sql, args)
