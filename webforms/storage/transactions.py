"""One place commits: the request, the command, the task. Services add and flush; whoever called
them commits once, at its end, so what an action changed, the number it took and its audit entry
are kept together, or not at all.

- A request commits after its view answered (:func:`commit_request`), whatever the answer: a
  404 after a refused id keeps the refusal's audit entry, a 503 after a failed issue keeps the
  draft its page was saved in (the service that failed rolled its own work back first). A
  request that raised an exception (a 500) rolls everything back. This hook is registered first,
  right after the database, so it runs after every other ``after_request`` function and what
  they record is in the same commit.
- A command-line command, and any other work in an application context of its own, commits when
  its context ends without an exception (:func:`commit_context`; ``sys.exit`` is an ending, not
  an error). A background task commits the same way (jobs.tasks commits before it ends the job);
  a batch commits each group of rows (batch.service).
"""
from __future__ import annotations

from flask import g, got_request_exception

from webforms.storage.database import db


def commit_request(response):
    """Commit the request's transaction, or roll it back when the view raised an exception."""
    g.request_settled = True  # its context's end has nothing left to commit (commit_context)
    if g.get("request_failed"):
        db.session.rollback()
    else:
        commit_last()
    return response


def commit_last() -> None:
    """Commit the session's transaction, the last thing it does: what was read stays readable
    (a streamed answer, the signed-in user) rather than expired, as no later read could refresh
    it from this session."""
    session = db.session()
    session.expire_on_commit = False
    session.commit()


def mark_failed(_sender, **_extra) -> None:
    g.request_failed = True


def commit_context(error: BaseException | None) -> None:
    """Commit what an application context left pending (a command's work), unless it ended in
    an exception: then it is rolled back. A request's context was settled by its answer."""
    if g.get("request_settled"):
        return
    if error is None or isinstance(error, SystemExit):
        commit_last()
    else:
        db.session.rollback()


def init_app(app) -> None:
    app.after_request(commit_request)
    got_request_exception.connect(mark_failed, app)
    app.teardown_appcontext(commit_context)
