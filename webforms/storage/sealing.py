"""Content kept sealed: authenticated encryption (Fernet, from ``cryptography``) of what people
typed, so a copy of the database or of a backup reveals nothing of a record.

The key comes from configuration (``WEBFORMS_DATA_KEY``; for the local default a key generated
once in ``instance/``). Each use derives its own Fernet key from it (``purpose``), so a sealed
record can never be opened as, say, a kept submission. Former keys (``WEBFORMS_OLD_DATA_KEYS``, or
``instance/data_key.old`` during a local rotation) still open what they sealed, until
``flask --app wsgi records rotate-key`` has sealed everything again under the current key.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

__all__ = ["InvalidToken", "SealedText", "Sealer", "person_digest", "seal_text", "sealer"]

# Names people gave their files and the documents of a batch (a person's name in each).
NAMES_SEALED_AS = "names"


def fernet_for(secret: str, purpose: str) -> Fernet:
    digest = hashlib.sha256(f"{purpose}:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class Sealer:
    """Seals JSON-able values with the first key; opens with any of them."""

    def __init__(self, secrets: list[str], purpose: str):
        self._keys = MultiFernet([fernet_for(secret, purpose) for secret in secrets])

    def seal(self, value) -> bytes:
        return self._keys.encrypt(json.dumps(value, ensure_ascii=False).encode())

    def open(self, token: bytes, ttl: int | None = None):
        """The value sealed in ``token``; raises InvalidToken when it was altered, sealed with an
        unknown key, or (with ``ttl``) is older than ``ttl`` seconds."""
        if ttl is None:
            return json.loads(self._keys.decrypt(token))
        return json.loads(self._keys.decrypt(token, ttl=ttl))

    def seal_bytes(self, data: bytes) -> bytes:
        """Seals bytes as they are (a document, a spreadsheet): no JSON around them."""
        return self._keys.encrypt(data)

    def open_bytes(self, token: bytes) -> bytes:
        return self._keys.decrypt(token)

    def reseal(self, token: bytes) -> bytes:
        """The same content sealed again with the current key."""
        return self._keys.rotate(token)


def sealer(purpose: str) -> Sealer:
    """The installation's sealer for ``purpose`` (the current key, then the former ones)."""
    config = current_app.config
    return _sealer_for((config["DATA_KEY"], *config.get("OLD_DATA_KEYS", ())), purpose)


@functools.lru_cache(maxsize=128)
def _sealer_for(secrets: tuple[str, ...], purpose: str) -> Sealer:
    """One sealer per keys and purpose, made once: deriving its Fernet keys on every use cost
    more than sealing a record (a Fernet is stateless, so one serves every thread). A rotation
    changes the keys, so it gets sealers of its own."""
    return Sealer(list(secrets), purpose)


def person_digest(name: str | None) -> str | None:
    """A keyed hash of a person's name (spaces and letter case aside), so that records about
    the same person are found, and matched with the team's roster, without reading any name: the
    worker of an individual supervision (records.saved.subject_digest) and a roster worker
    (accounts.roster) hash the same way. None for an empty name."""
    normalized = " ".join((name or "").casefold().split())
    if not normalized:
        return None
    return hmac.new(current_app.config["DATA_KEY"].encode(), f"subject:{normalized}".encode(),
                    hashlib.sha256).hexdigest()


def seal_text(value: str | None, purpose: str = NAMES_SEALED_AS) -> bytes | None:
    """``value`` sealed for a column of :class:`SealedText` (None stays None)."""
    return None if value is None else sealer(purpose).seal(value)


class SealedText:
    """A model's text attribute kept sealed in its binary column ``column``: set and read as text,
    stored sealed. A value sealed with a key since retired reads as an empty text."""

    def __init__(self, column: str, purpose: str = NAMES_SEALED_AS):
        self.column, self.purpose = column, purpose

    def __get__(self, row, owner=None):
        if row is None:
            return self
        token = getattr(row, self.column)
        if token is None:
            return None
        try:
            return sealer(self.purpose).open(token)
        except InvalidToken:
            return ""

    def __set__(self, row, value: str | None) -> None:
        setattr(row, self.column, seal_text(value, self.purpose))
