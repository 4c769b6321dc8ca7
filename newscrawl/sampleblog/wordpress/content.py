"""The sample WordPress blog's content: plain data, our own text, fully deterministic.

The `news` category has a child `korea`; its walk holds 100 posts (filed under `news`, under
`korea`, or both), exactly two full REST pages, so the walk also meets the API's 400 past the
last page. `travel` and `tech` share one post. Dates are in the site's zone (+09:00).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

SITE_NAME = "Harbour Notes"
SITE_ZONE = timezone(timedelta(hours=9))
AUTHORS = ("Mina Park", "Joon Lee")
TAGS = ("Harbour", "Food & Drink", "Rain", "Trains", "Night")
TOPICS = (
    "the ferry timetable changes again",
    "a market that opens before dawn",
    "why the old lighthouse still matters",
    "notes from a rainy weekend",
    "the night bus nobody talks about",
    "what the tide tables don't say",
)


@dataclass(frozen=True)
class Category:
    id: int
    slug: str
    name: str
    parent: int = 0


CATEGORIES = (
    Category(2, "news", "News"),
    Category(3, "korea", "Korea", parent=2),
    Category(4, "travel", "Travel"),
    Category(5, "tech", "Tech"),
)
BY_ID = {category.id: category for category in CATEGORIES}


@dataclass(frozen=True)
class Post:
    id: int
    slug: str
    title: str
    categories: tuple[int, ...]  # category ids, in the order WordPress lists them (by name)
    tags: tuple[str, ...]
    author: str
    published: datetime
    modified: datetime
    paragraphs: tuple[str, ...]
    image: bool
    comments: int
    related: bool


def category_path_slugs(category: Category) -> list[str]:
    """`["news", "korea"]` for Korea: the slugs its link spells."""
    chain = [category.slug]
    while category.parent:
        category = BY_ID[category.parent]
        chain.insert(0, category.slug)
    return chain


def _filing(number: int) -> tuple[int, ...]:
    """Categories of post `number` (1-based): 55 news, 25 korea, 20 both, 12 travel, 8 tech."""
    if number <= 55:
        return (2,)
    if number <= 80:
        return (3,)
    if number <= 100:
        return (3, 2)  # by name: Korea, News
    if number == 101:
        return (5, 4)  # Tech, Travel
    return (4,) if number <= 112 else (5,)


_VOCABULARY = (
    "harbour tide ferry market lantern bridge pier gull rope crane fog signal window "
    "bakery ticket platform rain umbrella cobble alley mural tram bell kettle lamp dock "
    "warehouse fisher net salt pepper noodle broth stall vendor coin map compass sunrise "
    "dusk shadow engine whistle timetable captain deck cabin wave breeze island lighthouse "
    "keeper stair garden moss stone temple monk drum festival parade lantern kite river "
    "bank heron reed"
)
WORDS = _VOCABULARY.split()


def _prose(number: int, paragraph: int) -> str:
    """Thirty words of our own, different for every post and paragraph (a seeded shuffle):
    sample posts must not look like reposts of each other to the near-duplicate check."""
    rng = random.Random(number * 10 + paragraph)
    words = [rng.choice(WORDS) for _ in range(30)]
    return " ".join(words).capitalize() + "."


def _post(number: int) -> Post:
    categories = _filing(number)
    topic = TOPICS[number % len(TOPICS)]
    name = BY_ID[categories[-1]].name
    published = datetime(2021, 1, 4, 8, 30, tzinfo=SITE_ZONE) + timedelta(hours=17 * number)
    slug = "서울-산책" if number == 7 else f"note-{number}-{topic.split()[1]}"
    paragraphs = (
        f"{name} note {number} starts where the last one stopped: {topic}.",
        _prose(number, 1) + " Between two ferries & one coffee, that is what stayed.",
        _prose(number, 2),
    )
    return Post(
        id=100 + number,
        slug=slug,
        title=f"{name} note {number}: {topic}",
        categories=categories,
        tags=tuple(TAGS[(number + k) % len(TAGS)] for k in range(number % 3)),
        author=AUTHORS[number % 2],
        published=published,
        modified=published + timedelta(days=2 if number % 3 == 0 else 0),
        paragraphs=paragraphs,
        image=number % 2 == 0,
        comments=number % 7,
        related=number % 4 != 0,
    )


POSTS = tuple(_post(number) for number in range(1, 121))


def in_categories(post: Post, ids: set[int]) -> bool:
    return bool(ids.intersection(post.categories))


def with_descendants(category_id: int) -> set[int]:
    found = {category_id}
    for category in CATEGORIES:
        if category.parent in found:
            found.add(category.id)
    return found


def newest_first(posts: tuple[Post, ...] | list[Post]) -> list[Post]:
    return sorted(posts, key=lambda post: post.published, reverse=True)


def related_to(post: Post) -> list[Post]:
    """Up to three other posts of the post's first category, nearest ids first."""
    if not post.related:
        return []
    same = [
        other for other in POSTS if other.id != post.id and post.categories[0] in other.categories
    ]
    return sorted(same, key=lambda other: (abs(other.id - post.id), other.id))[:3]
