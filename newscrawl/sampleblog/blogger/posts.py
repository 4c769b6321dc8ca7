"""The Blogger sample blog's content: plain data, our own text.

Ten posts under three labels, one of them with a space ("Bread Baking", `%20` in URLs) and one
post carrying two labels, so a label walk must take a post listed under another label too
and leave every other post alone. Times carry the blog's offset (-05:00), as Blogger's
`abbr.published[title]` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

BLOG_ID = "4815162342000000001"
BLOG_TITLE = "Backyard Notebook"
AUTHOR = "Wren Okafor"
ZONE = timezone(timedelta(hours=-5))
LABELS = ("Garden", "Bread Baking", "Trails")


@dataclass(frozen=True)
class BloggerPost:
    """One post; `labels` in the order Blogger prints them (alphabetical)."""

    post_id: str
    slug: str
    published: datetime
    title: str
    labels: tuple[str, ...]
    paragraphs: tuple[str, ...]
    comments: int

    @property
    def path(self) -> str:
        return f"/{self.published:%Y/%m}/{self.slug}.html"


def _post(
    number: int, when: str, slug: str, title: str, labels: str, *paragraphs: str
) -> BloggerPost:
    published = datetime.fromisoformat(when).replace(tzinfo=ZONE)
    return BloggerPost(
        post_id=f"90210{number:014d}",
        slug=slug,
        published=published,
        title=title,
        labels=tuple(sorted(labels.split(","))),
        paragraphs=paragraphs,
        comments=number % 3,
    )


POSTS: tuple[BloggerPost, ...] = (
    _post(
        1,
        "2024-01-06 09:10",
        "seed-catalogue-season",
        "Seed catalogue season",
        "Garden",
        "The catalogues arrived in one soggy bundle and I read them all before lunch.",
        "This year the rule is simple: nothing that needs staking taller than me.",
    ),
    _post(
        2,
        "2024-01-20 17:45",
        "starter-from-scratch",
        "A starter from scratch",
        "Bread Baking",
        "Flour, water and patience: day one smells of nothing, day four smells of apples.",
        "I feed it at breakfast and again before the evening news.",
    ),
    _post(
        3,
        "2024-02-03 07:30",
        "frozen-creek-loop",
        "The frozen creek loop",
        "Trails",
        "The creek was solid enough to hear water moving underneath the ice.",
        "Crampons were overkill; a walking pole was not.",
    ),
    _post(
        4,
        "2024-02-17 12:00",
        "pruning-the-old-apple",
        "Pruning the old apple",
        "Garden",
        "Three cuts in, the tree already looked like it could breathe again.",
        "Water sprouts went to the compost; the big limb stays until next winter.",
    ),
    _post(
        5,
        "2024-03-02 08:15",
        "rye-and-caraway",
        "Rye and caraway",
        "Bread Baking",
        "A dense loaf that improves on day two, if it lasts that long.",
        "The caraway goes in at the last fold so the seeds stay whole.",
    ),
    _post(
        6,
        "2024-03-16 14:20",
        "trail-to-the-allotment",
        "The trail to the allotment",
        "Garden,Trails",
        "The long way to the allotment follows the old rail bed past the reed beds.",
        "Forty minutes on foot, and the broad beans were up when I got there.",
    ),
    _post(
        7,
        "2024-03-30 10:05",
        "broad-beans-up",
        "Broad beans are up",
        "Garden",
        "Every bean I pushed into cold soil in November has come through.",
        "The mice found only the ones at the end of the row, which I call a fair tax.",
    ),
    _post(
        8,
        "2024-04-13 06:50",
        "ridge-at-dawn",
        "The ridge at dawn",
        "Trails",
        "Left at five, reached the ridge as the fog lifted off the valley.",
        "Two hawks and one very surprised hare.",
    ),
    _post(
        9,
        "2024-04-27 19:30",
        "focaccia-for-a-crowd",
        "Focaccia for a crowd",
        "Bread Baking",
        "One tray, twelve people, and rosemary from the pot by the door.",
        "The dimples matter: they hold the oil where you want it.",
    ),
    _post(
        10,
        "2024-05-11 11:40",
        "first-tomatoes-out",
        "First tomatoes out",
        "Garden",
        "The tomatoes moved outside after the last cold night of the forecast.",
        "Basil between the plants, string ready for when they start to lean.",
    ),
)


def posts_labelled(label: str | None) -> list[BloggerPost]:
    """Posts of `label` (every post for `None`), newest first, as Blogger lists them."""
    chosen = [post for post in POSTS if label is None or label in post.labels]
    return sorted(chosen, key=lambda post: post.published, reverse=True)
