"""The backup container: named parts, each encrypted in authenticated chunks, for a passphrase
and/or a public key (docs/backups.md describes the bytes).

Why this shape: a backup holds the database and the keys that unseal it, so nothing in it may be
readable without the passphrase or the private key, and a damaged file must say *which* part is
damaged (the database, a key file, the manifest) rather than only "corrupt".

- A random 256-bit content key encrypts everything (AES-256-GCM). The plaintext header carries
  that key wrapped once per recipient: for a passphrase, under a key derived with scrypt; for an
  X25519 public key, under a key derived (HKDF-SHA256) from an ephemeral key exchange. Either one
  opens the backup.
- Each part is cut into chunks of at most :data:`CHUNK` bytes. A chunk's frame says which part it
  belongs to, its index and whether it is the part's last; the frame and the header's hash are the
  chunk's associated data, so a chunk moved, dropped, replayed or altered fails to decrypt, and
  the failure names its part. The last part is always the manifest, which lists every part.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from flask_babel import lazy_gettext as _l

MAGIC = b"WFBACKUP"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024
MANIFEST = "manifest.json"
# scrypt's cost: about 0.1 s and 32 MiB per try on a small server (RFC 7914's interactive level
# doubled); stored in the header, so it can grow without breaking older backups.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1
FRAME = struct.Struct(">HIBI")  # part index, chunk index, last chunk (0/1), ciphertext length
HKDF_INFO = b"webforms-backup x25519 v1"


class BackupError(Exception):
    """The backup cannot be opened or a part of it is damaged: ``part`` names which."""

    def __init__(self, part: str, message: str):
        super().__init__(f"{part}: {message}")
        self.part, self.message = part, message


@dataclass(frozen=True)
class Keys:
    """What encrypts (passphrase and/or public key) or opens (passphrase or private key) a backup;
    keys are 32 raw bytes in URL-safe base64."""

    passphrase: str | None = None
    public_key: str | None = None
    private_key: str | None = None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode())


def new_key_pair() -> tuple[str, str]:
    """A new X25519 key pair for backups: (private, public), base64."""
    private = X25519PrivateKey.generate()
    return _b64(private.private_bytes_raw()), _b64(private.public_key().public_bytes_raw())


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())


def _hkdf(shared: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=HKDF_INFO).derive(shared)


def _wrap(wrapping_key: bytes, content_key: bytes, label: bytes) -> dict:
    nonce = os.urandom(12)
    return {"nonce": _b64(nonce), "key": _b64(AESGCM(wrapping_key).encrypt(nonce, content_key,
                                                                           label))}


def recipients(keys: Keys, content_key: bytes) -> list[dict]:
    """The header's stanzas: the content key wrapped for each way of opening the backup."""
    stanzas = []
    if keys.passphrase:
        salt = os.urandom(16)
        wrapping = _scrypt(keys.passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        stanzas.append({"type": "scrypt", "salt": _b64(salt), "n": SCRYPT_N, "r": SCRYPT_R,
                        "p": SCRYPT_P, **_wrap(wrapping, content_key, b"scrypt")})
    if keys.public_key:
        recipient = X25519PublicKey.from_public_bytes(_unb64(keys.public_key))
        ephemeral = X25519PrivateKey.generate()
        ephemeral_public = ephemeral.public_key().public_bytes_raw()
        wrapping = _hkdf(ephemeral.exchange(recipient), ephemeral_public + _unb64(keys.public_key))
        stanzas.append({"type": "x25519", "ephemeral": _b64(ephemeral_public),
                        **_wrap(wrapping, content_key, b"x25519")})
    if not stanzas:
        raise BackupError("header", _l(
            "sin frase de paso ni clave pública: una copia nunca se escribe sin cifrar"))
    return stanzas


def _unwrap(stanza: dict, keys: Keys) -> bytes | None:
    if stanza["type"] == "scrypt" and keys.passphrase:
        wrapping = _scrypt(keys.passphrase, _unb64(stanza["salt"]), stanza["n"], stanza["r"],
                           stanza["p"])
    elif stanza["type"] == "x25519" and keys.private_key:
        private = X25519PrivateKey.from_private_bytes(_unb64(keys.private_key))
        ephemeral = _unb64(stanza["ephemeral"])
        wrapping = _hkdf(private.exchange(X25519PublicKey.from_public_bytes(ephemeral)),
                         ephemeral + private.public_key().public_bytes_raw())
    else:
        return None
    try:
        return AESGCM(wrapping).decrypt(_unb64(stanza["nonce"]), _unb64(stanza["key"]),
                                        stanza["type"].encode())
    except InvalidTag:
        return None


class Writer:
    """Writes a container to ``stream``: :meth:`add` each part, then :meth:`close` with the
    manifest (which receives the parts' names, sizes and SHA-256)."""

    def __init__(self, stream: BinaryIO, keys: Keys):
        self._stream, self._content_key = stream, AESGCM.generate_key(bit_length=256)
        header = json.dumps({"format": FORMAT_VERSION, "cipher": "AES-256-GCM", "chunk": CHUNK,
                             "recipients": recipients(keys, self._content_key)}).encode()
        self._header_hash = hashlib.sha256(header).digest()
        stream.write(MAGIC + struct.pack(">I", len(header)) + header)
        self._aead, self.parts = AESGCM(self._content_key), []

    def add(self, name: str, source: BinaryIO) -> dict:
        """Encrypt ``source`` (read to its end) as the next part."""
        index, digest, size = len(self.parts), hashlib.sha256(), 0
        self._write_chunk(index, 0, False, name.encode())  # chunk 0: the part's name
        chunk, number = source.read(CHUNK), 1
        while True:
            following = source.read(CHUNK) if chunk else b""
            digest.update(chunk)
            size += len(chunk)
            self._write_chunk(index, number, not following, chunk)
            if not following:
                break
            chunk, number = following, number + 1
        part = {"name": name, "size": size, "sha256": digest.hexdigest()}
        self.parts.append(part)
        return part

    def _write_chunk(self, index: int, number: int, last: bool, data: bytes) -> None:
        nonce = os.urandom(12)
        ciphertext = self._aead.encrypt(nonce, data, self._associated(index, number, last))
        self._stream.write(FRAME.pack(index, number, int(last), len(nonce + ciphertext))
                           + nonce + ciphertext)

    def _associated(self, index: int, number: int, last: bool) -> bytes:
        return self._header_hash + FRAME.pack(index, number, int(last), 0)

    def close(self, manifest: dict) -> dict:
        manifest = {**manifest, "parts": list(self.parts)}
        self._write_chunk(len(self.parts), 0, False, MANIFEST.encode())
        self._write_chunk(len(self.parts), 1, True, json.dumps(
            manifest, ensure_ascii=False, sort_keys=True).encode())
        self._stream.flush()
        return manifest


@dataclass
class Chunk:
    part: str
    last: bool
    data: bytes


class Reader:
    """Reads a container: :meth:`chunks` yields every decrypted chunk of content in order, with
    its part's name; a chunk that fails to decrypt raises :class:`BackupError` naming its part
    (by the name its first chunk gave, or by its position when that one is the damaged one)."""

    def __init__(self, stream: BinaryIO, keys: Keys):
        self._stream = stream
        if stream.read(len(MAGIC)) != MAGIC:
            raise BackupError("header", _l("no es una copia de seguridad de formularios-gc"))
        header = self._header(stream)
        self._header_hash = hashlib.sha256(header).digest()
        content_key = self._content_key(json.loads(header), keys)
        self._aead = AESGCM(content_key)

    @staticmethod
    def _header(stream: BinaryIO) -> bytes:
        raw = stream.read(4)
        if len(raw) < 4:
            raise BackupError("header", _l("está dañada"))
        header = stream.read(struct.unpack(">I", raw)[0])
        try:
            if json.loads(header)["format"] != FORMAT_VERSION:
                raise BackupError("header", _l("tiene un formato que esta versión no lee"))
        except (ValueError, KeyError) as error:
            raise BackupError("header", _l("está dañada")) from error
        return header

    @staticmethod
    def _content_key(header: dict, keys: Keys) -> bytes:
        for stanza in header.get("recipients", ()):
            try:
                content_key = _unwrap(stanza, keys)
            except (KeyError, ValueError, TypeError) as error:
                raise BackupError("header", _l("está dañada")) from error
            if content_key is not None:
                return content_key
        raise BackupError("header", _l("la frase de paso o la clave privada no abre esta copia"))

    def chunks(self) -> Iterator[Chunk]:
        expected, name = (0, 0), "part 1"
        while head := self._stream.read(FRAME.size):
            body = self._stream.read(FRAME.unpack(head)[3]) if len(head) == FRAME.size else b""
            index, number, last, data = self._open(head, body, expected, name)
            if number == 0:
                name = data.decode(errors="replace")
            else:
                yield Chunk(name, bool(last), data)
            expected = (index + 1, 0) if last else (index, number + 1)
            if last:
                name = f"part {index + 2}"

    def _open(self, head: bytes, body: bytes, expected: tuple[int, int], name: str):
        if len(head) < FRAME.size:
            raise BackupError(name, _l("el archivo termina a la mitad"))
        index, number, last, length = FRAME.unpack(head)
        if (index, number) != expected or len(body) != length or length < 12:
            raise BackupError(name, _l("está dañada, incompleta o fuera de orden"))
        try:
            data = self._aead.decrypt(body[:12], body[12:], self._header_hash + FRAME.pack(
                index, number, last, 0))
        except InvalidTag as error:
            raise BackupError(name, _l("está dañada (su autenticación falla)")) from error
        return index, number, last, data
