"""Another blogger's blog that reposts the seed article: near-duplicate tests across blogs.

Served with ``--repost`` (and another skin, for other chrome), the blog has the seed post's
paragraphs under a new entry, framed by a line of its own before and a source line after,
as reposted news usually is; and one more post that tells the same news in other words,
which must not be taken for a copy. Both are new entries, so their ids differ from every
post of the original blog.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

from .posts import SEED_CATEGORY, SEED_TITLE, Post

REPOST_TITLE = f"[Repost] {SEED_TITLE}"
REPOST_INTRO = "Found this in the paper this morning and thought it worth keeping here."
REPOST_FOOTER = "Source: a newspaper report from April 2019."

SAME_TOPIC_TITLE = "A train to Vladivostok? What a Kim-Putin meeting could mean"
SAME_TOPIC_BODY = (
    "Word from the Kremlin is that Pyongyang's leader has been asked to come to Russia, and "
    "that the two sides are now working on a date. North Korean state media, true to form, "
    "have not mentioned a thing about it.",
    "Diplomats I spoke to point at a busy spring: a senior Russian security official went to "
    "the North Korean capital, and a top protocol aide of Kim was seen in the Far East "
    "checking hotels and railway stations.",
    "Why now? After the failed Hanoi meeting with Trump, Kim needs friends who will not ask "
    "for disarmament first. Putin gains a seat at a table that Washington and Beijing have "
    "kept to themselves.",
    "Do not expect a grand bargain. A photo opportunity in Vladivostok, some talk about "
    "labourers and a bridge over the Tumen river: that is the likely harvest of such a trip.",
)


def reposted(posts: Iterable[Post]) -> list[Post]:
    """The posts with the seed post replaced by its repost, plus the same-topic post.

    The repost gets the next free entry number and is published a week after the seed post;
    the same-topic post comes a day later. ``ValueError`` when the seed post is missing
    (generated posts have none): there would be nothing to repost.
    """
    posts = list(posts)
    seed = next((post for post in posts if post.title == SEED_TITLE), None)
    if seed is None:
        raise ValueError("--repost needs the bundled posts (the seed post is reposted)")
    number = max(post.id for post in posts) + 1
    repost = replace(
        seed,
        id=number,
        title=REPOST_TITLE,
        published=seed.published + timedelta(days=7),
        body=(REPOST_INTRO, *seed.body, REPOST_FOOTER),
        related="off",
    )
    same_topic = Post(
        id=number + 1,
        category=SEED_CATEGORY,
        title=SAME_TOPIC_TITLE,
        published=repost.published + timedelta(days=1),
        body=SAME_TOPIC_BODY,
        tags=("north korea", "russia"),
        related="off",
    )
    return [post for post in posts if post is not seed] + [repost, same_topic]
