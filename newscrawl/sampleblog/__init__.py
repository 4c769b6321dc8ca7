"""A bundled, Tistory-shaped sample blog served locally (demo, end-to-end tests, benchmark).

Content is our own text (``posts.py``) rendered in three real skin shapes (``skins/``):
``dkwrap`` (2017-18 default), ``hentry`` (microformats) and ``magazine`` (2024-25).
The other platforms' sample blogs are the subpackages ``blogger`` and ``wordpress``.
"""

from __future__ import annotations

from .changes import EDIT_NOTE, before_newest, edited
from .posts import POSTS, SEED_CATEGORY, SEED_TITLE, Post, generate_posts
from .site import render_site


def __getattr__(name: str) -> object:
    """``serve_in_thread`` is loaded lazily: importing ``.server`` here would make
    ``python -m newscrawl.sampleblog.server`` warn that the module was already imported."""
    if name == "serve_in_thread":
        from .server import serve_in_thread

        return serve_in_thread
    raise AttributeError(name)


__all__ = [
    "EDIT_NOTE",
    "POSTS",
    "SEED_CATEGORY",
    "SEED_TITLE",
    "Post",
    "before_newest",
    "edited",
    "generate_posts",
    "render_site",
    "serve_in_thread",
]
