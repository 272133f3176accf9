"""Real HTTP clients that misbehave on a real socket: one that asks for a download and then
reads nothing (its receive buffer shrunk to a few KB, so the server's sends really block), and
one that vanishes mid-body (a reset, as a closed laptop or a killed browser leaves it)."""

import socket
import struct
import time

import psycopg


class StalledClient:
    """Sends `GET path` and reads nothing until read_all()."""

    def __init__(self, port: int, path: str, receive_buffer: int = 4096):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)  # before connect: the window
        self.sock.connect(("127.0.0.1", port))
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())

    def read_some(self, size: int) -> bytes:
        self.sock.settimeout(30)
        return self.sock.recv(size)

    def read_all(self, timeout_s: float = 30) -> bytes:
        """Everything until the server closes the connection."""
        self.sock.settimeout(timeout_s)
        parts = []
        while chunk := self.sock.recv(1 << 16):
            parts.append(chunk)
        return b"".join(parts)

    def vanish(self) -> None:
        """Close with a reset (SO_LINGER 0), mid-body."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def close(self) -> None:
        self.sock.close()


def complete_chunked_body(response: bytes) -> bool:
    """True when a chunked HTTP response ends with its last (zero-length) chunk."""
    return response.endswith(b"\r\n0\r\n\r\n")


def api_sessions(url: str, application_name: str = "cobranza-api") -> list[str]:
    """The states of the API's database sessions now (pg_stat_activity)."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("select state from pg_stat_activity where application_name = %s and pid <> "
                            "pg_backend_pid() and datname = current_database()", (application_name,)).fetchall()
    return sorted(state or "" for (state,) in rows)


def seconds_until(predicate, timeout_s: float) -> float | None:
    """Seconds until predicate() is true (polled every 10 ms), None if it never is."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.01)
    return None
