"""A TCP proxy in front of PostgreSQL that a test can freeze: while frozen it forwards nothing in
either direction but keeps every socket open, as a network path that stopped carrying packets
looks to the client (its connects are accepted by the proxy's kernel and never answered)."""

import select
import socket
import threading

from psycopg.conninfo import conninfo_to_dict, make_conninfo


class FreezableProxy:
    def __init__(self, url: str):
        info = conninfo_to_dict(url)
        host, port = info.get("host") or "localhost", info.get("port") or "5432"
        self._target = f"{host}/.s.PGSQL.{port}" if host.startswith("/") else (host, int(port))
        self._listener = socket.create_server(("127.0.0.1", 0))
        info.pop("hostaddr", None)
        self.url = make_conninfo(**{**info, "host": "127.0.0.1", "port": str(self._listener.getsockname()[1])})
        self._running = threading.Event()  # set: forwarding; clear: frozen
        self._running.set()
        self._closed = False
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self) -> None:
        self._running.clear()

    def thaw(self) -> None:
        self._running.set()

    def close(self) -> None:
        self._closed = True
        self._running.set()
        self._listener.close()
        for sock in self._sockets:
            sock.close()

    def _connect_upstream(self) -> socket.socket:
        if isinstance(self._target, str):
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.connect(self._target)
            return upstream
        return socket.create_connection(self._target)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            # A frozen path answers nothing: the connection waits here (accepted by the kernel).
            self._running.wait()
            if self._closed:
                client.close()
                return
            upstream = self._connect_upstream()
            self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        peers = {client: upstream, upstream: client}
        try:
            while not self._closed:
                self._running.wait()
                readable, _, _ = select.select(list(peers), [], [], 0.05)
                for sock in readable:
                    if not self._running.is_set():
                        break  # frozen between select and read: leave the bytes where they are
                    data = sock.recv(1 << 16)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except (OSError, ValueError):  # ValueError: close() closed a socket under select
            return
        finally:
            client.close()
            upstream.close()
