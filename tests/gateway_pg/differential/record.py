"""Record the statements real clients send, for the differential corpus.

A small TCP proxy between a client and the real PostgreSQL (``sslmode=disable``): it reads the
client's frontend messages (simple ``Query``; extended ``Parse`` + ``Bind``) and keeps each
statement's text, with text-format parameters inlined as literals. Used by ``collect.py``;
nothing in the test run depends on it.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from gateway.session import split_statements, strip_noise

SSL_REQUEST = 80877103
GSS_REQUEST = 80877104


def _read(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def _cstr(data: bytes, at: int) -> tuple[str, int]:
    end = data.index(b"\0", at)
    return data[at:end].decode(), end + 1


def _literal(value: bytes | None) -> str:
    if value is None:
        return "NULL"
    text = value.decode()
    return "'" + text.replace("'", "''") + "'"


def _from_binary(value: bytes, oid: int) -> bytes:
    """A binary parameter as text, for the types drivers send binary (else a marker)."""
    if oid == 16:
        return b"true" if value == b"\x01" else b"false"
    if oid in (20, 21, 23, 26):
        return str(int.from_bytes(value, "big", signed=oid != 26)).encode()
    if oid in (19, 25, 1043, 0):
        return value
    return b"<binary>"


def inline(query: str, params: list[bytes | None]) -> str:
    """``$n`` placeholders (outside quotes) replaced by literals."""
    out, i, n = [], 0, len(query)
    while i < n:
        c = query[i]
        if c in "'\"":
            j = i + 1
            while j < n and query[j] != c:
                j += 1
            out.append(query[i:j + 1])
            i = j + 1
        elif c == "$" and i + 1 < n and query[i + 1].isdigit():
            j = i + 1
            while j < n and query[j].isdigit():
                j += 1
            out.append(_literal(params[int(query[i + 1:j]) - 1]))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


class Recorder:
    def __init__(self) -> None:
        self.statements: list[str] = []
        self._lock = threading.Lock()

    def add(self, text: str) -> None:
        text = strip_noise(text)
        if text:
            with self._lock:
                self.statements.append(text)

    def client_to_server(self, client: socket.socket, server: socket.socket) -> None:
        prepared: dict[str, tuple[str, tuple[int, ...]]] = {}
        while True:
            (length,) = struct.unpack("!I", _read(client, 4))
            body = _read(client, length - 4)
            (code,) = struct.unpack("!I", body[:4])
            if code in (SSL_REQUEST, GSS_REQUEST):
                client.sendall(b"N")
                continue
            server.sendall(struct.pack("!I", length) + body)
            break
        while True:
            kind = _read(client, 1)
            (length,) = struct.unpack("!I", _read(client, 4))
            body = _read(client, length - 4)
            if kind == b"Q":
                for text in split_statements(body[:-1].decode()):
                    self.add(text)
            elif kind == b"P":
                name, at = _cstr(body, 0)
                query, at = _cstr(body, at)
                (ntypes,) = struct.unpack("!H", body[at:at + 2])
                prepared[name] = (query, struct.unpack(f"!{ntypes}I",
                                                       body[at + 2:at + 2 + 4 * ntypes]))
            elif kind == b"B":
                _portal, at = _cstr(body, 0)
                stmt, at = _cstr(body, at)
                (nfmt,) = struct.unpack("!H", body[at:at + 2])
                fmts = struct.unpack(f"!{nfmt}H", body[at + 2:at + 2 + 2 * nfmt])
                at += 2 + 2 * nfmt
                (nparams,) = struct.unpack("!H", body[at:at + 2])
                at += 2
                values: list[bytes | None] = []
                for k in range(nparams):
                    (size,) = struct.unpack("!i", body[at:at + 4])
                    at += 4
                    values.append(None if size < 0 else body[at:at + size])
                    at += max(size, 0)
                    fmt = fmts[0] if nfmt == 1 else (fmts[k] if nfmt else 0)
                    if fmt == 1 and values[-1] is not None:
                        types = prepared.get(stmt, ("", ()))[1]
                        values[-1] = _from_binary(values[-1], types[k] if k < len(types) else 0)
                query = prepared.get(stmt, ("", ()))[0]
                self.add(inline(query, values) if nparams else query)
            server.sendall(kind + struct.pack("!I", length) + body)


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            with suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


@contextmanager
def recording_proxy(upstream: tuple[str, int] = ("127.0.0.1", 5432)) -> Iterator[
        tuple[int, Recorder]]:
    """``(port, recorder)``: connect clients to 127.0.0.1:port with sslmode=disable."""
    recorder = Recorder()
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve(client: socket.socket) -> None:
        server = socket.create_connection(upstream)
        threading.Thread(target=_pipe, args=(server, client), daemon=True).start()
        try:
            recorder.client_to_server(client, server)
        except (EOFError, OSError, ValueError, struct.error):
            pass
        finally:
            for s in (client, server):
                with suppress(OSError):
                    s.close()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            threading.Thread(target=serve, args=(client,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield port, recorder
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()
