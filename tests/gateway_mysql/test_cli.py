"""The mariadb/mysql command-line client, run exactly as the credentials dialog shows it."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess

import pytest

from .conftest import Gateway

pytestmark = pytest.mark.skipif(shutil.which("mysql") is None,
                                reason="mariadb-client (the mysql CLI) is not installed")


class Terminal:
    """A child process on a pseudo-terminal: the CLI reads its password from the tty."""

    def __init__(self, argv: list[str]):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child
            os.execvp(argv[0], argv)
        self.output = b""

    def expect(self, token: bytes, *, limit_s: float = 30.0) -> None:
        waited = 0.0
        while token not in self.output:
            ready, _, _ = select.select([self.fd], [], [], 0.5)
            waited += 0.5
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    break
            elif waited > limit_s:
                break
        assert token in self.output, self.output.decode(errors="replace")

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode() + b"\n")

    def close(self) -> None:
        os.close(self.fd)
        os.waitpid(self.pid, 0)


def test_exact_dialog_command_interactive(gw: Gateway) -> None:
    term = Terminal(["mysql", "-h", "127.0.0.1", "-P", str(gw.port), "-u", gw.user, "-p", "db"])
    try:
        term.expect(b"password:")
        term.send(gw.password)
        term.expect(b"[db]> ")
        term.send("SELECT status, `count` FROM orders GROUP BY 1 ORDER BY 1;")
        term.expect(b"2 rows in set")
        term.send("quit")
        term.expect(b"Bye")
    finally:
        term.close()
    text = term.output.decode(errors="replace")
    assert "| completed |   333 |" in text and "| pending   |   667 |" in text


def test_batch_mode_with_password_from_the_environment(gw: Gateway) -> None:
    env = {**os.environ, "MYSQL_PWD": gw.password}
    sql = "SHOW CREATE TABLE orders; SELECT COUNT(*) FROM information_schema.columns"
    done = subprocess.run(
        ["mysql", "-h", "127.0.0.1", "-P", str(gw.port), "-u", gw.user, "db", "--batch",
         "-e", sql], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "CREATE TABLE `orders`" in done.stdout


def test_wrong_password_is_denied(gw: Gateway) -> None:
    done = subprocess.run(
        ["mysql", "-h", "127.0.0.1", "-P", str(gw.port), "-u", gw.user,
         "--password=wrong", "db", "-e", "SELECT 1"],
        capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    assert f"ERROR 1045 (28000): Access denied for user '{gw.user}'" in done.stderr
