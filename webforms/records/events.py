"""What happens to an issued record, told to whoever listens (blinker signals, Flask's own), in
the transaction that did it: ``issued`` (a first issue or a new revision: ``values`` the content
issued, ``user`` who issued) and ``withdrawn`` (annulled: its number taken back). ``carrying``
asks for the follow-up rows a new record takes (a receiver answers ``(row group, text field,
rows)``, or None when it does not follow that form). ``purged`` tells which records' content
retention emptied (``record_ids``), ``key_rotated`` that the data key changed: what was copied
from them is emptied, or sealed and keyed again, in the same transaction.

Why signals: features above records (the action tracker, webforms.actions) keep what they read
from issued records in step with them, in the same transaction as the number, the record and its
audit entry, while records imports none of them (the import layers, docs/import-contracts.md).
A receiver that fails rolls the issue back, like any other failure while issuing.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
issued = _signals.signal("record-issued")
withdrawn = _signals.signal("record-withdrawn")
carrying = _signals.signal("rows-carried-forward")
purged = _signals.signal("records-purged")
key_rotated = _signals.signal("data-key-rotated")
