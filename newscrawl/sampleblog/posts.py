"""The sample blog's content: plain data, our own text.

Posts are written once here and rendered in every skin, so the crawler's tests can compare
what it extracts with what we wrote. Ids are given in publication order (as Tistory does),
so a post's id says nothing the date does not; a few posts carry an ``/entry/<slug>`` alias.
The seed category (``게시판/더 나은 미래를 위해``) is shaped so that the seed post's
related-posts block lists exactly the five posts of ``shared/seed``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")

#: Category path (``/``-joined, as in Tistory URLs) → numeric Tistory category id.
CATEGORIES: dict[str, int] = {
    "게시판": 310100,
    "게시판/더 나은 미래를 위해": 310101,
    "여행": 310200,
    "개발": 310300,
    "개발/파이썬": 310301,
}

SEED_CATEGORY = "게시판/더 나은 미래를 위해"
SEED_TITLE = "Kim Jong-un likely to visit Russia soon"
AUTHOR = "미래지기"


@dataclass(frozen=True)
class Post:
    """One blog post; ``published``/``modified`` are KST-aware datetimes.

    ``related`` says how the "다른 글" block appears: ``full`` (rows incl. the current post
    as ``a.current``), ``others`` (rows without the current post) or ``off`` (no block).
    """

    id: int
    category: str
    title: str
    published: datetime
    body: tuple[str, ...]
    tags: tuple[str, ...] = ()
    comments: int = 0
    slug: str | None = None
    modified: datetime | None = None
    related: str = "full"
    author: str = AUTHOR


SEED_BODY = (
    "Reports from Moscow this week suggest that North Korean leader Kim Jong-un could travel "
    "to Russia before long. The Kremlin says an invitation has been passed on and that only "
    "the dates remain open; Pyongyang, as usual, has said nothing in public.",
    "Observers in Seoul read the recent trips of Kim's closest aide to Moscow and Vladivostok "
    "as preparation for such a visit, and a Russian cabinet minister has just spent several "
    "days in Pyongyang talking about closer ties between the two governments.",
    "The likely motive is leverage. Since the summit with Washington in Hanoi ended without a "
    "deal, talks on the nuclear programme have stalled, and being seen with Moscow as well as "
    "Beijing may give the North more room to bargain.",
    "If the trip happens, analysts expect Kim to go by train, as he did to Vietnam. Whether it "
    "brings the nuclear talks any closer to a result is another question; my guess is that it "
    "mostly changes who sits at the table, not what is on it.",
)

# (category, "YYYY-MM-DD HH:MM", title, comments, tags, lede, slug, modified days, related)
_ROWS: list[tuple[str, str, str, int, tuple[str, ...], str, str | None, int, str | None]] = [
    ("게시판", "2016-05-13 10:02", "게시판 이용 안내", 2, ("공지",),
     "이 게시판은 동네 소식과 생각을 나누려고 만든 공간입니다.", None, 0, None),
    ("여행", "2016-08-09 15:20", "장마철 제주 여행기", 4, ("제주", "여름"),
     "비 예보를 무시하고 떠난 제주는 생각보다 훨씬 푸르렀다.", None, 0, None),
    (SEED_CATEGORY, "2016-12-20 09:12", "Why a neighbourhood library still matters", 1,
     ("library", "community"), "Our local library lends more than books these days.",
     None, 0, None),
    ("개발/파이썬", "2017-02-03 23:41", "파이썬 가상환경 정리", 6, ("python", "venv"),
     "프로젝트마다 패키지 버전이 꼬여서 가상환경을 제대로 정리해 보았다.",
     "python-venv-basics", 0, None),
    ("여행", "2017-04-22 17:05", "경의선 숲길 하루 산책", 0, ("서울", "산책"),
     "기찻길이 있던 자리가 긴 공원이 되었다는 이야기를 듣고 걸어 보았다.", None, 0, None),
    (SEED_CATEGORY, "2017-09-05 22:41", "Notes from a town hall on bus routes", 3,
     ("transport",), "Forty residents came to argue about two bus lines on a Tuesday night.",
     None, 0, None),
    ("개발/파이썬", "2017-10-30 08:14", "requests로 첫 크롤러 만들기", 9, ("python", "crawler"),
     "처음 만든 크롤러는 열 줄짜리였지만 배운 것은 많았다.", None, 0, None),
    ("개발/파이썬", "2018-03-12 12:30", "lxml과 XPath 기초", 2, ("python", "xpath"),
     "HTML에서 원하는 부분만 골라내는 데에는 XPath만 한 것이 없다.", None, 0, None),
    (SEED_CATEGORY, "2018-06-19 14:03", "Recycling rules, explained once more", 5,
     ("recycling",), "The district changed the recycling calendar again, so here it is.",
     None, 0, None),
    ("여행", "2018-10-13 11:11", "남한산성 가을 산책", 1, ("산책", "가을"),
     "성곽을 따라 한 바퀴 도는 데 세 시간쯤 걸렸다.", None, 0, None),
    (SEED_CATEGORY, "2018-11-02 08:55", "What a four-day school week would change", 7,
     ("education",), "A proposal for shorter school weeks reached our district council.",
     None, 0, None),
    (SEED_CATEGORY, "2019-03-14 19:20", "Volunteer census for the river clean-up", 2,
     ("volunteering",), "We counted who turned up to clear the riverbank and why.", None, 0, None),
    (SEED_CATEGORY, "2019-03-21 11:47", "Small shops and the card-fee debate", 4,
     ("economy",), "Shop owners on our street explained what card fees cost them.", None, 0, None),
    (SEED_CATEGORY, "2019-03-27 16:30", "Fine dust season: a reading list", 1,
     ("air",), "Five things worth reading before the next grey week.", None, 0, None),
    (SEED_CATEGORY, "2019-03-29 07:58", "Parents ask for safer school crossings", 3,
     ("safety",), "A petition about two crossings near the primary school.", None, 0, None),
    (SEED_CATEGORY, "2019-04-02 13:15",
     "Human rights watchdog recognizes third gender in official document", 0, ("rights",),
     "A short note on what the new document category does and does not change.", None, 0, None),
    (SEED_CATEGORY, "2019-04-03 18:06", "Bullfighting - tradition or animal abuse?", 0,
     ("animals",), "Regional bullfights are back in the news, and opinions are split.",
     None, 0, None),
    (SEED_CATEGORY, "2019-04-04 21:40",
     "Main opposition, leftist parties win seat apiece in parliamentary by-elections", 0,
     ("politics",), "Two by-elections, two winners, and little change in the assembly.",
     None, 0, None),
    (SEED_CATEGORY, "2019-04-06 09:33",
     "Korea reviewing whether to declare blaze-hit areas as special disaster", 0,
     ("wildfire",), "After the fires on the east coast, relief depends on one declaration.",
     None, 0, None),
    (SEED_CATEGORY, "2019-04-07 20:12", "Wakeup call", 0, ("opinion",),
     "The fires of last week should change how we plan for dry springs.", None, 0, None),
    (SEED_CATEGORY, "2019-04-08 10:27", SEED_TITLE, 0, ("north korea", "russia"),
     "", None, 0, "others"),
    ("개발/파이썬", "2019-05-20 21:03", "asyncio 이벤트 루프 이해하기", 5, ("python", "asyncio"),
     "await가 실제로 무엇을 기다리는지 알고 나니 코드가 덜 무서워졌다.", None, 0, None),
    ("여행", "2019-07-28 22:48", "부산 광안리 야경", 3, ("부산", "야경"),
     "다리 불빛이 바다에 비치는 시간에 맞춰 해변에 나갔다.", None, 2, None),
    ("게시판", "2020-01-15 12:00", "2020년 게시판 개편 공지", 1, ("공지",),
     "올해부터 게시판 카테고리를 조금 바꾸려고 합니다.", None, 1, "off"),
    ("여행", "2020-02-10 14:26", "강릉 커피거리 탐방", 2, ("강릉", "커피"),
     "바다를 보며 마시는 커피 한 잔을 위해 강릉에 갔다.", None, 0, None),
    ("개발/파이썬", "2020-08-08 09:09", "dataclass로 설정 객체 만들기", 4, ("python",),
     "딕셔너리로 넘기던 설정을 dataclass로 바꾸니 실수가 줄었다.", None, 0, None),
    ("개발/파이썬", "2021-02-27 16:44", "pytest fixture 활용법", 3, ("python", "pytest"),
     "테스트마다 반복되던 준비 코드를 fixture로 옮겼다.", "pytest-fixtures", 0, None),
    ("여행", "2021-05-03 10:10", "통영 케이블카와 섬 여행", 0, ("통영", "섬"),
     "케이블카에서 내려다본 한려수도는 사진보다 넓었다.", None, 0, None),
    ("개발/파이썬", "2021-12-05 20:20", "타입 힌트와 mypy 도입기", 8, ("python", "mypy"),
     "작은 프로젝트에도 타입 검사를 붙여 보니 버그 두 개를 찾았다.", None, 0, None),
    ("개발/파이썬", "2022-04-08 15:17", "Scrapy 미들웨어 작성하기", 6, ("python", "scrapy"),
     "요청마다 헤더를 바꾸는 미들웨어를 직접 만들어 보았다.", "scrapy-middleware", 3, None),
    ("여행", "2022-09-17 08:35", "한적한 전주 한옥마을", 2, ("전주", "한옥"),
     "평일 아침 일찍 가면 골목이 조용하다.", None, 0, None),
    ("여행", "2023-03-18 10:58", "자전거로 돌아본 경주 벚꽃길", 5, ("경주", "벚꽃"),
     "보문호를 따라 자전거를 타니 꽃잎이 바람처럼 날렸다.", None, 0, None),
    ("개발/파이썬", "2023-06-30 13:37", "zoneinfo로 시간대 다루기", 2, ("python", "timezone"),
     "서버 시간과 한국 시간이 어긋나는 문제를 zoneinfo로 정리했다.",
     "zoneinfo-timezones", 0, None),
    ("여행", "2023-11-04 17:50", "늦가을 속초", 1, ("속초", "가을"),
     "설악산 단풍이 끝날 무렵 속초 시장을 걸었다.", None, 0, None),
    ("개발/파이썬", "2024-02-14 11:25", "ruff로 린트 통일하기", 3, ("python", "ruff"),
     "여러 도구를 ruff 하나로 바꾸니 설정 파일이 짧아졌다.", None, 5, None),
    ("여행", "2024-06-22 05:40", "새벽의 순천만 습지", 2, ("순천", "습지"),
     "해 뜨기 전 갈대밭은 소리마저 조용했다.", None, 0, None),
    ("여행", "2025-01-11 07:15", "정선 가는 겨울 기차", 4, ("정선", "기차"),
     "눈 덮인 산 사이로 느린 기차가 달렸다.", "정선-겨울-기차", 0, None),
    ("개발/파이썬", "2025-03-02 19:05", "파이썬 3.13 새 기능 훑어보기", 7, ("python",),
     "새 인터프리터의 바뀐 점 가운데 당장 쓸 만한 것만 골랐다.", None, 0, None),
]  # fmt: skip

_FILLER = {
    "게시판": (
        "궁금한 점은 댓글로 남겨 주시면 천천히 답하겠습니다.",
        "작은 이야기라도 모이면 동네가 조금씩 달라진다고 믿습니다.",
    ),
    "여행": (
        "사진으로는 다 담기지 않아서 글로 조금 더 적어 둔다.",
        "다음에는 계절을 바꿔서 다시 와 보고 싶다.",
        "교통편과 걸린 시간은 아래에 따로 정리해 두었다.",
    ),
    "개발": (
        "예제 코드는 최소한으로 줄였고, 실제 프로젝트에서는 예외 처리를 더 넣었다.",
        "버전에 따라 동작이 다를 수 있으니 공식 문서를 함께 확인하자.",
        "다음 글에서는 이 내용을 테스트와 함께 정리해 볼 생각이다.",
    ),
    "en": (
        "I wrote this down mostly to keep track of what was said, and who said it.",
        "Comments are open; corrections are welcome, arguments even more so.",
        "More on this once the council publishes its minutes.",
    ),
}


def _build() -> list[Post]:
    posts = []
    for i, row in enumerate(_ROWS, start=1):
        category, when, title, comments, tags, lede, slug, mod_days, related = row
        # The seed post keeps the exact minute of the original page (10:27:00).
        published = datetime.strptime(when, "%Y-%m-%d %H:%M").replace(
            second=0 if title == SEED_TITLE else (i * 7) % 60, tzinfo=KST
        )
        body: tuple[str, ...] = SEED_BODY
        if title != SEED_TITLE:
            pool = _FILLER["en" if title.isascii() else category.split("/")[0]]
            body = (lede, pool[i % len(pool)], pool[(i + 1) % len(pool)])
        modified = published + timedelta(days=mod_days, minutes=13) if mod_days else None
        if related is None:
            related = (
                "off" if published.year < 2017 else "others" if published.year >= 2023 else "full"
            )
        posts.append(
            Post(i, category, title, published, body, tags, comments, slug, modified, related)
        )
    return posts


POSTS: tuple[Post, ...] = tuple(_build())

_WORDS = ("river", "bridge", "market", "morning", "station", "garden", "library", "council",
          "school", "harbour", "winter", "summer", "lantern", "street", "window", "letter",
          "bicycle", "mountain", "island", "village", "coffee", "rain")  # fmt: skip


# Body words are made of these 2,646 syllables (consonant-vowel, with or without a closing
# consonant), so two generated posts share no more 5-character shingles than two real
# articles do: with a 22-word list every post was a near-duplicate of every other.
_SYLLABLES = tuple(
    onset + vowel + coda
    for onset in "bcdfghjklmnpqrstvwxyz"
    for vowel in "aeiouy"
    for coda in ("", *"bcdfghjklmnprstvwxyz")
)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3)))


def generate_posts(n: int, seed: int = 0, body_chars: int = 1200) -> list[Post]:
    """Make ``n`` synthetic posts (deterministic for a given ``seed``) for benchmarks.

    Text is random made-up words, so it is ours and its shingles vary like prose;
    ``body_chars`` sets the approximate size of each body, one paragraph per ~400 chars.
    """
    cats = list(CATEGORIES)
    start = datetime(2016, 1, 1, 9, 0, tzinfo=KST)
    posts = []
    for i in range(1, n + 1):
        rng = random.Random(seed * 1_000_003 + i)  # per post: body size leaves titles alone
        title = " ".join(rng.choice(_WORDS) for _ in range(4)).title()
        when = start + timedelta(hours=7 * i, minutes=rng.randrange(60), seconds=i % 60)
        tag, comments = rng.choice(_WORDS), rng.randrange(5)
        paragraphs = []
        for _ in range(max(1, body_chars // 400)):
            words = [_word(rng) for _ in range(44)]  # ~400 characters, as before
            paragraphs.append(" ".join(words).capitalize() + ".")
        posts.append(
            Post(
                id=i,
                category=cats[i % len(cats)],
                title=f"{title} {i}",
                published=when,
                body=tuple(paragraphs),
                tags=(tag,),
                comments=comments,
                related="off" if i % 7 == 0 else "full",
            )
        )
    return posts
