"""Read a press conference's transcript: its answered questions in the order they were
answered, who asked each (and who else asked it: the merged duplicates) and who answered for
the brand. Whoever may watch the conference may read it, during the conference (what is
answered so far) and after."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.services.watch_press_conference import Shown, Watcher, show_press_conference

Transcript = Shown


async def read_press_transcript(uow: UnitOfWork, *, watcher: Watcher,
                                conference_id: int) -> Transcript:
    return await show_press_conference(uow, watcher=watcher, conference_id=conference_id,
                                       answered_only=True)
