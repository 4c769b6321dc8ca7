"""What a faulty path does instead of serving its page: one small class per misbehaviour.

Each fault gets the request's handler (to write status, headers and raw bytes itself) and the
page the sample blog would have served (so a slow or broken answer is still *that* page,
sent badly). `times=N` makes a fault transient: the first N requests misbehave, later ones
get the real page, as with a server that recovers.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newscrawl.faultserver.server import FaultHandler

Headers = tuple[tuple[str, str], ...]
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Page:
    """What the healthy blog answers for a request."""

    status: int
    content_type: str
    body: bytes


@dataclass
class Fault:
    """Base: misbehave on the first `times` requests (every request when `None`)."""

    times: int | None = field(default=None, kw_only=True)
    hits: int = field(default=0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def respond(self, handler: FaultHandler, page: Page) -> None:
        with self._lock:
            self.hits += 1
            active = self.times is None or self.hits <= self.times
        if active:
            self.misbehave(handler, page)
        else:
            handler.send(page.status, page.body, page.content_type)

    def misbehave(self, handler: FaultHandler, page: Page) -> None:
        raise NotImplementedError


@dataclass
class Status(Fault):
    """An HTTP error status (500, 503 with `Retry-After`, 429…) with a small error page."""

    code: int = 500
    headers: Headers = ()

    def misbehave(self, handler: FaultHandler, page: Page) -> None:
        body = f"<html><body><h1>{self.code}</h1></body></html>".encode()
        handler.send(self.code, body, HTML, self.headers)


@dataclass
class Body(Fault):
    """Other bytes than the page: a bomb, binary noise, another encoding, a fake page."""

    body: bytes = b""
    content_type: str = HTML
    headers: Headers = ()
    code: int = 200

    def misbehave(self, handler: FaultHandler, page: Page) -> None:
        handler.send(self.code, self.body, self.content_type, self.headers)


@dataclass
class Generated(Fault):
    """A body made per request from its target and the real page (endless fresh pages)."""

    make: Callable[[str, Page], bytes] = lambda target, page: page.body
    content_type: str = HTML

    def misbehave(self, handler: FaultHandler, page: Page) -> None:
        handler.send(200, self.make(handler.target, page), self.content_type)


@dataclass
class Redirect(Fault):
    """A redirect; `to` is a URL or a function of the request target (for endless chains)."""

    to: str | Callable[[str], str] = "/"
    code: int = 302

    def misbehave(self, handler: FaultHandler, page: Page) -> None:
        location = self.to(handler.target) if callable(self.to) else self.to
        handler.send(self.code, b"", HTML, (("Location", location),))


@dataclass
class Hang(Fault):
    """Read the request, never answer (until the server stops)."""

    def misbehave(self, handler: FaultHandler, page: Page) -> None:
        handler.close_connection = True
        handler.server.stopping.wait()


@dataclass
class Drip(Fault):
    """Headers at once, then the body one byte every `interval` seconds."""

    interval: float = 1.0

    def misbehave(self, handler: FaultHandler, page: Page) -> None:
        handler.close_connection = True
        handler.send_head(page.status, page.content_type, len(page.body))
        for offset in range(len(page.body)):
            if not handler.write(page.body[offset : offset + 1]):
                return
            if handler.server.stopping.wait(self.interval):
                return


@dataclass
class ResetMidBody(Fault):
    """Send part of the body, then reset the connection (RST, not a clean close)."""

    fraction: float = 0.5

    def misbehave(self, handler: FaultHandler, page: Page) -> None:
        handler.close_connection = True
        handler.send_head(page.status, page.content_type, len(page.body))
        handler.write(page.body[: int(len(page.body) * self.fraction)])
        connection = handler.connection
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.wfile.close()
        handler.rfile.close()
        connection.close()  # the last reference: linger 0 makes the kernel send RST


@dataclass
class ShortBody(Fault):
    """Promise the whole body in `Content-Length`, send part of it, close cleanly."""

    fraction: float = 0.5

    def misbehave(self, handler: FaultHandler, page: Page) -> None:
        handler.close_connection = True
        handler.send_head(page.status, page.content_type, len(page.body))
        handler.write(page.body[: int(len(page.body) * self.fraction)])


@dataclass
class Stream(Fault):
    """A huge page, generated as it is sent (never held in memory), with or without length."""

    size: int = 50 * 1024 * 1024
    announce_length: bool = True
    chunk: bytes = b"<p>" + b"x" * 65530 + b"</p>\n"

    def misbehave(self, handler: FaultHandler, page: Page) -> None:
        handler.close_connection = True
        handler.send_head(200, HTML, self.size if self.announce_length else None)
        sent = 0
        while sent < self.size:
            piece = self.chunk[: self.size - sent]
            if not handler.write(piece):
                return
            sent += len(piece)
