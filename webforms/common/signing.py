"""The organisation's signing key, read from the configuration once per process (documents.
signatures signs and checks with it; docs/signed-pdf.md).

Configured: a PKCS#12 file (``WEBFORMS_SIGNING_PKCS12`` + ``WEBFORMS_SIGNING_PASSPHRASE``) or a
PEM pair (``WEBFORMS_SIGNING_CERT`` + ``WEBFORMS_SIGNING_KEY``), with the certificates up to the
root (``WEBFORMS_SIGNING_CHAIN``) and the trust anchor a copy must chain to
(``WEBFORMS_SIGNING_TRUST``); a timestamp authority (``WEBFORMS_SIGNING_TIMESTAMP_URL``, its root
in ``WEBFORMS_SIGNING_TIMESTAMP_TRUST``). Not configured: a self-signed certificate of the
organisation is generated once in ``instance/signing/`` (the key readable by this user alone) and
/verificar says the copies are signed with it.

Why once per process: reading a key and its certificates costs more than a signature (and an
RSA key's check about 0.1 s); the settings do not change while a process runs. A new key is
taken by restarting the servers and the job consumers.
"""
from __future__ import annotations

import functools
from pathlib import Path

from flask import current_app

from webforms.clock import now
from webforms.common.catalogue import catalogue_for_pages
from webforms.documents import signatures
from webforms.documents.signatures import SigningKey, SigningUnavailable
from webforms.storage.files import publish_once

REASON_PREFIX = "Copia emitida "
SIGNING_FOLDER = "signing"
CERTIFICATE_FILE, KEY_FILE = "certificate.pem", "key.pem"
FILE_SETTINGS = ("SIGNING_PKCS12", "SIGNING_CERT", "SIGNING_KEY", "SIGNING_CHAIN", "SIGNING_TRUST",
                 "SIGNING_TIMESTAMP_TRUST")


def signing_key() -> SigningKey:
    """The organisation's key, as the configuration says (loaded once per process)."""
    config = current_app.config
    files = tuple(config.get(name) or "" for name in FILE_SETTINGS)
    folder = Path(config.get("INSTANCE_DIR") or current_app.instance_path) / SIGNING_FOLDER
    organisation = config.get("ORG_NAME") or catalogue_for_pages().organization
    return loaded(files, config.get("SIGNING_PASSPHRASE") or "",
                  config.get("SIGNING_TIMESTAMP_URL") or "", str(folder), organisation)


def uses_self_signed_default(config) -> bool:
    """Whether no key is configured: the organisation signs with the generated certificate."""
    return not any(config.get(name) for name in ("SIGNING_PKCS12", "SIGNING_CERT", "SIGNING_KEY"))


def reason(number: str, revision: int) -> str:
    """The signature's reason: which copy it is, as its footer and /verificar name it."""
    return f"{REASON_PREFIX}{number} rev. {revision}"


def sign_issued(pdf: bytes, number: str, revision: int) -> bytes:
    """The PDF of the copy ``number`` rev. ``revision`` signed by the organisation."""
    return signatures.sign(pdf, signing_key(), reason(number, revision))


@functools.lru_cache(maxsize=4)
def loaded(files: tuple[str, ...], passphrase: str, timestamp_url: str, folder: str,
           organisation: str) -> SigningKey:
    pkcs12, cert, key, chain, trust, timestamp_trust = (read(path) for path in files)
    options = {"passphrase": passphrase.encode() or None, "chain": chain, "anchor": trust,
               "timestamp_url": timestamp_url or None, "timestamp_anchor": timestamp_trust}
    if pkcs12:
        return signatures.from_pkcs12(pkcs12, **options)
    if cert or key:
        if not (cert and key):
            raise SigningUnavailable("WEBFORMS_SIGNING_CERT and WEBFORMS_SIGNING_KEY go together")
        return signatures.from_pem(cert, key, **options)
    cert, key = self_signed_files(Path(folder), organisation)
    return signatures.from_pem(cert, key, **{**options, "passphrase": None}, self_signed=True)


def read(path: str) -> bytes:
    if not path:
        return b""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SigningUnavailable(f"{path} cannot be read: {exc.strerror}") from exc


def self_signed_files(folder: Path, organisation: str) -> tuple[bytes, bytes]:
    """The default certificate and key (PEM), generated once: the key is published first (a file
    only this user reads), then a certificate made from the key that won, so two processes
    starting together end up with one pair."""
    key_file, cert_file = folder / KEY_FILE, folder / CERTIFICATE_FILE
    if not key_file.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        publish_once(key_file, signatures.private_key_pem().decode())
    key = key_file.read_bytes()
    if not cert_file.exists():
        publish_once(cert_file, signatures.self_signed_certificate(key, organisation, now())
                     .decode())
    return cert_file.read_bytes(), key
