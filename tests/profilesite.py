"""A tiny blog in a markup no built-in parser knows, served on 127.0.0.1 for profile tests.

"Lakeside Journal": topic listings `/topics/<slug>/` paged by a "older" link (`?p=N`), three
posts a page, page 2 repeating the last post of page 1 (a post published between two
fetches shifts the list); a "Most read" sidebar and a topic cloud that link posts of other
topics; posts at `/notes/<id>-<slug>.html` whose dates are naive local times
(`03.07.2021 14:05`, Europe/Berlin) on both sides of a DST change; `/fixtures/<name>.html`
serves the generic golden pages (posts of unknown platforms). The server runs in a thread
of the test process; it binds port 0, so its URL is known once it is constructed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from newscrawl.sampleblog.server import serving

ZONE = ZoneInfo("Europe/Berlin")
FIXTURES = Path(__file__).parent / "fixtures" / "generic"
PAGE_SIZE = 3


@dataclass(frozen=True)
class Note:
    id: int
    slug: str
    title: str
    topic: str
    local: datetime  # naive wall time in Europe/Berlin, as the page prints it

    @property
    def path(self) -> str:
        return f"/notes/{self.id}-{self.slug}.html"

    @property
    def instant(self) -> str:
        return self.local.replace(tzinfo=ZONE).isoformat(timespec="seconds")


NOTES = [
    Note(17, "ice-out", "The Day the Ice Went Out", "seasons", datetime(2024, 3, 30, 7, 45)),
    Note(16, "first-swim", "First Swim of the Year", "seasons", datetime(2023, 6, 11, 18, 0)),
    Note(15, "herons", "Herons on the North Shore", "birds", datetime(2023, 5, 2, 6, 20)),
    Note(14, "fog", "Fog Until Noon", "seasons", datetime(2022, 10, 30, 2, 30)),
    Note(13, "leaves", "When the Leaves Turn", "seasons", datetime(2022, 10, 9, 16, 10)),
    Note(12, "grebes", "Grebes Dancing", "birds", datetime(2022, 4, 21, 5, 55)),
    Note(11, "thaw", "Thaw Water", "seasons", datetime(2022, 3, 27, 3, 15)),
    Note(10, "snowline", "Snow Line on the Ridge", "seasons", datetime(2021, 12, 1, 12, 0)),
    Note(9, "august", "August Evenings", "seasons", datetime(2021, 8, 14, 21, 30)),
]
TOPIC = "seasons"


def in_topic(topic: str) -> list[Note]:
    return [note for note in NOTES if note.topic == topic]


def _chrome(title: str, main: str) -> str:
    """Page frame: header, main column, sidebar widgets that link other topics' notes."""
    most_read = "".join(
        f'<li><a href="{note.path}">{note.title}</a></li>'
        for note in NOTES
        if note.topic == "birds"
    )
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<meta name="generator" content="LakePress 0.3"></head><body>
<div class="masthead"><a href="/">Lakeside Journal</a></div>
<div class="columns"><div class="column-main">{main}</div>
<div class="column-side"><div class="box"><b>Most read</b><ul>{most_read}</ul></div>
<div class="box"><b>Topics</b><a href="/topics/seasons/">seasons</a>
<a href="/topics/birds/">birds</a></div>
</div></div></body></html>"""


def listing_page(topic: str, page: int) -> str:
    notes = in_topic(topic)
    start = (page - 1) * PAGE_SIZE - (1 if page > 1 else 0)  # page 2+ repeats one note
    shown = notes[max(start, 0) : start + PAGE_SIZE] if start < len(notes) else []
    cards = "".join(
        f'<div class="card"><a class="card-link" href="{note.path}">{note.title}</a>'
        f'<span class="when">{note.local:%d.%m.%Y}</span></div>'
        for note in shown
    )
    older = (
        f'<a class="older" href="?p={page + 1}">older notes</a>'
        if start + PAGE_SIZE < len(notes)
        else ""
    )
    return _chrome(f"{topic} – Lakeside Journal", f'<div class="cards">{cards}</div>{older}')


def note_page(note: Note) -> str:
    others = [other for other in in_topic(note.topic) if other is not note][:2]
    rows = "".join(
        f'<tr><td class="t"><a href="{other.path}">{other.title}</a></td>'
        f'<td class="d">{other.local:%d.%m.%Y}</td></tr>'
        for other in others
    )
    main = f"""<div class="note"><div class="note-head"><span class="note-title">{note.title}</span>
<span class="stamp">{note.local:%d.%m.%Y %H:%M}</span> <span class="topic">{note.topic}</span></div>
<div class="note-text"><p>Notes from the lake, number {note.id}: {note.title.lower()}.</p>
<p>The water was still and the far shore looked closer than it is; it always does before rain.</p>
<div class="share-row">share</div></div>
<table class="more-notes">{rows}</table></div>"""
    return _chrome(f"{note.title} – Lakeside Journal", main)


PROFILE = """
[profile]
name = "lakepress"
timezone = "Europe/Berlin"
language = "en"
detect = "meta[name=generator][content^='LakePress']"

[urls]
post = '^/notes/(?P<id>\\d+)-[a-z-]+\\.html$'
category = '^/topics/[a-z-]+/$'

[listing]
links = "div.cards a.card-link"
next = "a.older"

[article]
title = ".note-head .note-title"
body = "div.note-text"
remove = [".share-row"]
date = ".note-head .stamp"
date_format = "%d.%m.%Y %H:%M"
category = ".note-head .topic"

[related]
row = "table.more-notes tr"
title = "td.t a"
link = "td.t a::attr(href)"
date = "td.d"
date_format = "%d.%m.%Y"
"""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        body = self._page(parts.path, parse_qs(parts.query))
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write((body or "not found").encode("utf-8"))

    def _page(self, path: str, query: dict[str, list[str]]) -> str | None:
        if path == "/robots.txt":
            return None
        if path.startswith("/fixtures/"):  # pages of unknown platforms, for the blog spider
            page = FIXTURES / path.removeprefix("/fixtures/")
            return page.read_text("utf-8") if page.is_file() else None
        if path.startswith("/topics/") and path.endswith("/"):
            return listing_page(path.split("/")[2], int(query.get("p", ["1"])[0]))
        for note in NOTES:
            if note.path == path:
                return note_page(note)
        return None

    def log_message(self, *_args: object) -> None:
        """Quiet: the crawl's own log says what was fetched."""


@contextmanager
def profile_site() -> Iterator[str]:
    """Serve the site on 127.0.0.1:<free port>; yield its base URL without a trailing slash."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    with serving(server):
        yield f"http://127.0.0.1:{server.server_address[1]}"
