"""The blog between two nightly runs: posts edited since, and posts not yet written.

Incremental-crawl tests serve the same blog twice and compare what the crawler fetched.
Both changes are pure functions from a post list to a new list, so ``render_site`` and the
skins need no notion of time: an edited post is simply a post with a longer body and a
``modified`` time, and a blog "before its K newest posts" is simply a shorter list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

from .posts import Post

#: The paragraph an edit appends: fixed text, so a test can look for it in the page.
EDIT_NOTE = "[수정] 본문을 고쳤습니다."
#: How long after its last change a post is edited. Counted from the post's own times,
#: never from the clock, so every run renders the same bytes.
EDIT_DELAY = timedelta(days=1)


def edited(posts: Iterable[Post], ids: Iterable[int]) -> list[Post]:
    """The posts with those ids edited: ``EDIT_NOTE`` appended, ``modified`` moved later.

    ``modified`` becomes one ``EDIT_DELAY`` after the post's previous modified (or published)
    time, so it is later than both, as a sitemap ``lastmod`` after a real edit would be.
    Unknown ids raise ``ValueError``: a typo would otherwise test nothing.
    """
    posts = list(posts)
    wanted = set(ids)
    missing = wanted - {p.id for p in posts}
    if missing:
        raise ValueError(f"no post with id {', '.join(map(str, sorted(missing)))}")
    return [_edit(p) if p.id in wanted else p for p in posts]


def _edit(post: Post) -> Post:
    last = post.modified or post.published
    return replace(post, body=(*post.body, EDIT_NOTE), modified=last + EDIT_DELAY)


def before_newest(posts: Iterable[Post], k: int) -> list[Post]:
    """The posts as the blog had them before its ``k`` newest (by published time) existed.

    Ties on the published time go by id, as ``Site`` orders them; the order of the rest is
    kept. Since the hidden posts are not in the list at all, every page built from it
    (listings, feeds, sitemap, related rows, widgets, their own URLs) leaves them out.
    """
    if k < 0:
        raise ValueError(f"cannot hide a negative number of posts ({k})")
    posts = list(posts)
    newest = sorted(posts, key=lambda p: (p.published, p.id), reverse=True)[:k]
    hidden = {p.id for p in newest}
    return [p for p in posts if p.id not in hidden]
