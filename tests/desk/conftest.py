"""A real preview server on a free local port, for the route and browser tests."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from exporter.desk.preview import Preview
from exporter.desk.server import Desk, create_app


@dataclass
class Running:
    root: Path
    port: int
    desk: Desk

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, method: str = "GET") -> tuple[int, bytes]:
        """The raw request: the path is sent as written, dot segments and all."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def running_server(root: Path) -> Iterator[Running]:
    desk = Desk(Preview(root))
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(desk), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the preview server did not start")
        time.sleep(0.05)
    try:
        yield Running(root, port, desk)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
