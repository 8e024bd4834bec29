"""TLS for the wire gateways: a self-signed pair made on first start, or the operator's files.

The generated certificate is its own CA (basicConstraints CA:TRUE) and names the host names it
serves, so clients can use ``sslmode=verify-full`` with ``sslrootcert=<data dir>/tls/server.crt``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from backend.core.settings import Settings


def ensure_self_signed(
    directory: Path, hosts: Sequence[str] = ("localhost", "127.0.0.1")
) -> tuple[Path, Path]:
    """``<directory>/server.crt`` and ``server.key``, generated if either is missing."""
    cert_path, key_path = directory / "server.crt", directory / "server.key"
    if cert_path.is_file() and key_path.is_file():
        return cert_path, key_path
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, hosts[0] if hosts else "localhost"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "metricsql SQL API (self-signed)"),
    ])
    alt: list[x509.GeneralName] = []
    for h in hosts:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(h)))
        except ValueError:
            alt.append(x509.DNSName(h))
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    # Write the key with owner-only permissions before anything can read it.
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def server_context(cert_path: Path, key_path: Path) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(str(cert_path), str(key_path))
    return ctx


def context_from_settings(settings: Settings) -> ssl.SSLContext:
    """The operator's TLS_CERT/TLS_KEY, else the pair generated into ``<DATA_DIR>/tls``."""
    if settings.tls_cert is not None and settings.tls_key is not None:
        return server_context(settings.tls_cert, settings.tls_key)
    hosts = list(dict.fromkeys(
        h for h in (settings.public_host, "localhost", "127.0.0.1", settings.bind_host)
        if h and h not in ("0.0.0.0", "::")
    ))
    cert, key = ensure_self_signed(settings.data_dir / "tls", hosts)
    return server_context(cert, key)
