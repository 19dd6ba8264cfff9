"""What happens to a batch, told to whoever listens (a blinker signal, as records.events):
``finished`` (the job whose last document was just issued; ``issued`` how many documents it
issued), sent in the transaction that finished it.

Why a signal: features above batch (webforms.webhooks) act on a finished batch while batch
imports none of them (the import layers, docs/import-contracts.md).
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
finished = _signals.signal("batch-finished")
