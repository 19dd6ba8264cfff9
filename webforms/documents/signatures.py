"""Signed copies: an issued PDF signed with the organisation's key (PAdES), and what a PDF's
signature says when it comes back.

Why a signature: a copy printed or sent by mail leaves the system; its number says a copy was
issued, not that *this* file is the one. A PAdES signature lets anyone check the file in a common
PDF reader, offline, against the organisation's certificate. The signature is added as an
incremental update (the bytes LibreOffice made stay as they are, a PDF/A file stays PDF/A) and is
invisible (no appearance: the pages do not change). With a timestamp authority (RFC 3161) the
signature is B-T: its time no longer rests on the server's clock.

Flask-free: the key material comes as arguments (common.signing loads it from the configuration
once per process); the self-signed default certificate is made here with ``cryptography``.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

FIELD_NAME = "Copia emitida"
# The self-signed default: long enough for records kept for years; an ECDSA P-256 key (PDF 2.0
# and PAdES name it; Acrobat Reader checks it), made in a millisecond where an RSA key takes 0.6 s.
SELF_SIGNED_YEARS = 20
# Bytes kept for the signature beyond its certificates (the signed attributes, a 4096-bit signature
# and more), and for a timestamp token with its authority's certificates.
SIGNATURE_ROOM, TIMESTAMP_ROOM = 4096, 12288


class SigningUnavailable(RuntimeError):
    """The configured key material cannot be read, or the PDF cannot be signed."""


@dataclass(frozen=True)
class SigningKey:
    """The organisation's signer, the certificates a signature must chain to (the configured
    trust anchor, else the top of the chain, else the certificate itself), and the timestamp
    authority, if any."""

    signer: signers.SimpleSigner
    anchors: tuple[asn1_x509.Certificate, ...]
    timestamper: TimeStamper | None = None
    timestamp_anchors: tuple[asn1_x509.Certificate, ...] = ()
    self_signed: bool = False

    @property
    def certificate(self) -> asn1_x509.Certificate:
        return self.signer.signing_cert


def from_pem(cert: bytes, key: bytes, passphrase: bytes | None = None, chain: bytes = b"",
             anchor: bytes = b"", **options) -> SigningKey:
    """The key of a PEM (or DER) certificate and private key, with the certificates between the
    certificate and its root (``chain``) and the trust anchor, if given."""
    try:
        certificate = next(iter(load_certs_from_pemder_data(cert)))
        private_key = load_private_key_from_pemder_data(key, passphrase)
        others = list(load_certs_from_pemder_data(chain)) if chain else []
    except (ValueError, TypeError, StopIteration) as exc:
        raise SigningUnavailable(f"the signing certificate or key cannot be read: {exc}") from exc
    signer = LoadedKeySigner(certificate, private_key,
                             SimpleCertificateStore.from_certs([certificate, *others]))
    return _signing_key(signer, others, anchor, **options)


def from_pkcs12(data: bytes, passphrase: bytes | None = None, chain: bytes = b"",
                anchor: bytes = b"", **options) -> SigningKey:
    """The key of a PKCS#12 file (its certificate, key and the certificates it carries)."""
    try:
        private_key, certificate, carried = pkcs12.load_key_and_certificates(data, passphrase)
    except (ValueError, TypeError) as exc:
        raise SigningUnavailable(f"the PKCS#12 file cannot be read: {exc}") from exc
    if private_key is None or certificate is None:
        raise SigningUnavailable("the PKCS#12 file holds no key and certificate")
    pem = serialization.Encoding.PEM
    return from_pem(certificate.public_bytes(pem), private_key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()), None,
        b"".join(item.public_bytes(pem) for item in carried) + chain, anchor, **options)


class LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses its private key again for every signature (checking an RSA
    key costs about 0.1 s, more than the whole signature); this one parses it once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loaded_key = serialization.load_der_private_key(self.signing_key.dump(), None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self.loaded_key, RSAPrivateKey):
            return self.loaded_key.sign(data, PKCS1v15(), digest)
        if mechanism == "ecdsa" and isinstance(self.loaded_key, EllipticCurvePrivateKey):
            return self.loaded_key.sign(data, ECDSA(digest))
        return super().sign_raw(data, digest_algorithm)  # the rarer kinds, as pyHanko signs them


def _signing_key(signer, chain: list, anchor: bytes, timestamp_url: str | None = None,
                 timestamp_anchor: bytes = b"", self_signed: bool = False) -> SigningKey:
    anchors = (tuple(load_certs_from_pemder_data(anchor)) if anchor
               else (chain[-1],) if chain else (signer.signing_cert,))
    return SigningKey(
        signer=signer, anchors=anchors, self_signed=self_signed,
        timestamper=HTTPTimeStamper(timestamp_url) if timestamp_url else None,
        timestamp_anchors=tuple(load_certs_from_pemder_data(timestamp_anchor))
        if timestamp_anchor else ())


PDF_VERSION = (1, 7)  # the PDF/A-2 and -3 base


class ArchivalUpdateWriter(IncrementalPdfFileWriter):
    """An incremental update that keeps the copy PDF/A (documents.archival):
    - the document's metadata (DocInfo and XMP) stay as they were: pyHanko would otherwise write
      a new XMP stream of its own, without the PDF/A identification and extension schemas (and
      DocInfo would no longer match XMP); the signature carries its own signing time;
    - the file stays PDF 1.7, which PDF/A-2 and -3 are based on: pyHanko declares PDF 2.0 for an
      ECDSA key (ISO 32002), whose extension it still declares in the catalogue."""

    def _update_meta(self):  # pyHanko's hook, run before writing the update
        return None

    def ensure_output_version(self, version):
        super().ensure_output_version(min(version, PDF_VERSION))


def sign(pdf: bytes, key: SigningKey, reason: str) -> bytes:
    """``pdf`` signed by ``key`` (PAdES B-B, B-T with the key's timestamp authority), invisibly,
    as an incremental update: the result begins with ``pdf`` byte for byte."""
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, reason=reason, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES)
    try:
        writer = ArchivalUpdateWriter(io.BytesIO(pdf))
        signed = finished(signers.async_sign_pdf, writer, metadata, signer=key.signer,
                          timestamper=key.timestamper, bytes_reserved=reserved(key))
    except (SigningError, ValueError, OSError) as exc:
        raise SigningUnavailable(f"the PDF could not be signed: {exc}") from exc
    return signed.getvalue()


def finished(work, *args, **kwargs):
    """pyHanko's asynchronous ``work`` (signing or validating, with its timestamp client) run to
    its end: in this thread, or in a thread of its own where an event loop already runs in this
    one (an ASGI server; Playwright's synchronous API in the tests), since asyncio.run() refuses
    to start inside a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work(*args, **kwargs))
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(lambda: asyncio.run(work(*args, **kwargs))).result()


def reserved(key: SigningKey) -> int:
    """Room for the signature, known beforehand (pyHanko would otherwise sign twice to measure
    it): the certificates it carries, the signature itself, and a timestamp token's own; in hex
    digits, two a byte, as the file holds them."""
    certificates = sum(len(item.dump()) for item in key.signer.cert_registry)
    return 2 * (certificates + SIGNATURE_ROOM + (TIMESTAMP_ROOM if key.timestamper else 0))


# --- the self-signed default ---------------------------------------------------------------------
def private_key_pem() -> bytes:
    """A new ECDSA P-256 private key (PKCS#8 PEM, unencrypted: the file holding it, readable by
    this user alone, is the protection)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def self_signed_certificate(key_pem: bytes, organisation: str, now: dt.datetime) -> bytes:
    """A self-signed certificate (PEM) of ``organisation`` for signing documents with the key."""
    key = serialization.load_pem_private_key(key_pem, password=None)
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
                      x509.NameAttribute(NameOID.COMMON_NAME, organisation[:64])])
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * SELF_SIGNED_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_cert_sign=True, crl_sign=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256()))
    return certificate.public_bytes(serialization.Encoding.PEM)


# --- a signature read back -----------------------------------------------------------------------
@dataclass(frozen=True)
class SignatureCheck:
    """What the first signature of a PDF says. ``unchanged``: the signature is sound and covers
    the whole file (not one byte changed or added since); ``trusted``: its certificate chains to
    one of the anchors; ``ours``: both, and signed with the organisation's certificate (or one
    of the same name under the same anchor: a renewed certificate)."""

    signed: bool
    unchanged: bool = False
    trusted: bool = False
    ours: bool = False
    signer: str = ""
    signed_at: dt.datetime | None = None
    timestamp: dt.datetime | None = None  # the timestamp authority's time, when sound
    timestamp_trusted: bool = False
    reason: str = ""
    problem: str = ""  # why the file could not be read as a signed PDF


def check(pdf: bytes, key: SigningKey) -> SignatureCheck:
    """The check of the first signature of ``pdf`` against the organisation's ``key``. Never
    raises on a bad file: an unreadable PDF is a check that found no signature, with the
    problem named."""
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception as exc:  # any malformed file: the parser's errors are of many kinds
        return SignatureCheck(signed=False, problem=f"unreadable PDF: {type(exc).__name__}")
    if not signatures:
        return SignatureCheck(signed=False)
    embedded = signatures[0]
    try:
        status = finished(
            async_validate_pdf_signature, embedded,
            ValidationContext(trust_roots=key.anchors, allow_fetching=False),
            ValidationContext(trust_roots=key.anchors + key.timestamp_anchors,
                              allow_fetching=False), skip_diff=True)
    except Exception as exc:  # a broken signature is an invalid one, whatever broke in it
        return SignatureCheck(signed=True, reason=_reason(embedded),
                              problem=f"invalid signature: {type(exc).__name__}")
    return _checked(embedded, status, key)


def _checked(embedded, status, key: SigningKey) -> SignatureCheck:
    unchanged = bool(status.intact and status.valid
                     and status.coverage == SignatureCoverageLevel.ENTIRE_FILE)
    stamp = status.timestamp_validity
    stamped = stamp is not None and stamp.intact and stamp.valid
    certificate = status.signing_cert
    ours = unchanged and status.trusted and (
        certificate.dump() == key.certificate.dump()
        or certificate.subject == key.certificate.subject)
    return SignatureCheck(
        signed=True, unchanged=unchanged, trusted=bool(status.trusted), ours=ours,
        signer=certificate.subject.human_friendly,
        signed_at=status.signer_reported_dt or embedded.self_reported_timestamp,
        timestamp=stamp.timestamp if stamped else None,
        timestamp_trusted=bool(stamped and stamp.trusted), reason=_reason(embedded))


def _reason(embedded) -> str:
    reason = embedded.sig_object.get("/Reason")
    return str(reason)[:200] if reason is not None else ""
