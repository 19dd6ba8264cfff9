"""A small RFC 3161 timestamp authority for the tests, in a process of its own: an HTTP server on
``127.0.0.1:PORT`` answering ``application/timestamp-query`` with pyHanko's DummyTimeStamper,
signed by a TSA certificate under a root it makes at start and writes (PEM) to ROOT_FILE before
it listens. The product reaches it through its own HTTP timestamp client, as a real authority.

    python -m tests.timestamp_authority PORT ROOT_FILE
"""
from __future__ import annotations

import datetime as dt
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper

MAX_QUERY = 64 * 1024


def certificate(subject: str, key, issuer: str, issuer_key, authority: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=authority, path_length=None), critical=True))
    if not authority:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def stamper(root_file: Path) -> DummyTimeStamper:
    """A timestamper whose certificate chains to a new root, written to ``root_file``."""
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = certificate("Test TSA root", root_key, "Test TSA root", root_key, True)
    tsa = certificate("Test TSA", tsa_key, "Test TSA root", root_key, False)
    der = serialization.Encoding.DER
    root_file.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa.public_bytes(der)),
        tsa_key=keys.PrivateKeyInfo.load(tsa_key.private_bytes(
            der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        certs_to_embed=[asn1_x509.Certificate.load(root.public_bytes(der))])


def handler(timestamper: DummyTimeStamper) -> type[BaseHTTPRequestHandler]:
    class Answer(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            if self.headers.get("Content-Type") != "application/timestamp-query" or not (
                    0 < length <= MAX_QUERY):
                self.send_error(400)
                return
            query = tsp.TimeStampReq.load(self.rfile.read(length))
            answer = timestamper.request_tsa_response(query).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format, *args):  # noqa: A002
            sys.stderr.write("timestamp request\n")
    return Answer


if __name__ == "__main__":
    port, root_file = int(sys.argv[1]), Path(sys.argv[2])
    server = ThreadingHTTPServer(("127.0.0.1", port), handler(stamper(root_file)))
    server.serve_forever()
