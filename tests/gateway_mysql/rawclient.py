"""A minimal blocking MySQL client built on our own packet functions, for protocol-level tests
that real drivers cannot express (pipelining after a failed login, hand-built packets)."""

from __future__ import annotations

import socket
import ssl
import struct

from gateway.mysql.constants import Capability
from gateway.mysql.packets import Reader

CLIENT_CAPS = (Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION | Capability.PLUGIN_AUTH
               | Capability.CONNECT_WITH_DB | Capability.LONG_PASSWORD
               | Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA | Capability.SSL)


class RawClient:
    def __init__(self, port: int, caps: int = CLIENT_CAPS):
        self.caps = caps
        self.sock: socket.socket | ssl.SSLSocket = socket.create_connection(
            ("127.0.0.1", port), timeout=30)
        self.buffer = b""
        self.seq = 0
        self.handshake = self.read()

    def _recv_exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed by the server")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def read(self) -> bytes:
        header = self._recv_exactly(4)
        self.seq = (header[3] + 1) & 0xFF
        return self._recv_exactly(int.from_bytes(header[:3], "little"))

    def packet(self, payload: bytes, seq: int | None = None) -> bytes:
        s = self.seq if seq is None else seq
        self.seq = (s + 1) & 0xFF
        return len(payload).to_bytes(3, "little") + bytes((s,)) + payload

    def send(self, *packets: bytes) -> None:
        self.sock.sendall(b"".join(packets))

    def start_tls(self) -> None:
        prefix = struct.pack("<IIB", self.caps, 1 << 24, 45) + b"\0" * 23
        self.send(self.packet(prefix))
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        self.sock = ctx.wrap_socket(self.sock)

    def login_packet(self, user: str, password: str, plugin: str = "mysql_clear_password",
                     database: str = "db") -> bytes:
        auth = password.encode() + b"\0"
        payload = (struct.pack("<IIB", self.caps, 1 << 24, 45) + b"\0" * 23
                   + user.encode() + b"\0" + bytes((len(auth),)) + auth
                   + database.encode() + b"\0" + plugin.encode() + b"\0")
        return self.packet(payload)

    def query_packet(self, sql: str) -> bytes:
        return self.packet(b"\x03" + sql.encode(), seq=0)

    def read_all_until_closed(self) -> list[bytes]:
        """Every packet the server still sends before it closes the connection."""
        packets = []
        while True:
            try:
                packets.append(self.read())
            except (ConnectionError, ssl.SSLError, OSError):
                return packets

    def close(self) -> None:
        self.sock.close()


def err_code(payload: bytes) -> int:
    assert payload[:1] == b"\xff", payload
    return Reader(payload[1:3]).uint(2)
