"""History across applications, in the database: what the history rules are handed,
and what each finished check leaves behind for later ones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from sqlalchemy import delete, or_, select, tuple_
from sqlalchemy.orm import Session

from api.db import Application, HistoryKey
from validators.history import History, Key, PriorUse


def load_history(s: Session, app_id: str, keys: Sequence[Key], file_hashes: Mapping[str, str]) -> History:
    """For each of this application's keys, the applications created before it that had it.

    Only earlier ones: of two applications with the same invoice, the later one is the
    reuse, and re-checking the first must not accuse it.
    """
    this = s.get(Application, app_id)
    wanted = [(str(k.kind), k.value) for k in keys]
    uses: dict[tuple[str, str], list[PriorUse]] = defaultdict(list)
    for start in range(0, len(wanted), 200):  # bounded IN lists
        chunk = wanted[start:start + 200]
        rows = s.execute(
            select(HistoryKey.kind, HistoryKey.key, Application.id, Application.program, Application.status,
                   Application.created_at, Application.portal_id)
            .join(Application, Application.id == HistoryKey.application_id)
            .where(tuple_(HistoryKey.kind, HistoryKey.key).in_(chunk))
            .where(HistoryKey.application_id != app_id)
            .where(or_(Application.created_at < this.created_at,
                       (Application.created_at == this.created_at) & (Application.id < this.id)))
            .order_by(Application.created_at)
        ).all()
        for kind, key, other_id, program, status, created, portal_id in rows:
            if portal_id != this.portal_id:
                # The finding reaches this application's portal: it must not learn another
                # portal's application ids or their status. Clerks see the link on their pages.
                other_id, status = "", ""
            uses[(kind, key)].append(PriorUse(other_id, program, status, created.date().isoformat()))
    return History({k: tuple(v) for k, v in uses.items()}, dict(file_hashes))


def save_keys(s: Session, app_id: str, program: str, keys: Sequence[Key]) -> None:
    """This application's keys replace what an earlier check of it left."""
    s.execute(delete(HistoryKey).where(HistoryKey.application_id == app_id))
    s.add_all(HistoryKey(application_id=app_id, program=program, kind=str(k.kind), key=k.value[:200]) for k in keys)
