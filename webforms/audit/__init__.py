"""The audit trail: a hash-chained, keyed log of every action on a record, without its content.

``trail`` appends and verifies entries (the caller commits them with the action they describe),
``views`` is the quality office's log page and ``cli`` the ``audit`` command group.
"""
