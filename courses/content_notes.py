"""Which content notes a learner has already chosen to go past, kept in the session.

The session is the right home: the quick exit and logging out clear it, so a
learner who left in a hurry is warned again next time.
"""

SESSION_KEY = "circles_content_notes_seen"


def seen_ids(request) -> set[int]:
    return set(request.session.get(SESSION_KEY, []))


def pending_notes(request, *, module, step) -> list[tuple[int, str]]:
    """The (page id, note) pairs to show before this step, module's first."""
    seen = seen_ids(request)
    notes = []
    for entry in (module, step):
        if entry is not None and entry.content_note and entry.id not in seen:
            notes.append((entry.id, entry.content_note))
    return notes


def mark_seen(request, page_ids) -> None:
    request.session[SESSION_KEY] = sorted(seen_ids(request) | set(page_ids))
