"""The related-posts block: one test per markup variant, plus invariants over real pages.

Snippets are written here in the shapes the corpus shows (see shared/corpus/NOTES.md), with
our own titles; the real pages are only read from ../shared and checked by invariants.
"""

from __future__ import annotations

import re
from pathlib import Path

import parsel
import pytest
from seed_rows import SEED_ROWS

from newscrawl.items import RelatedPost
from newscrawl.platforms.tistory.related import RELATED_BLOCK, parse_related, related_category

BASE = "https://sample.tistory.com/200"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "tistory"

ENC_A = "%EC%97%AC%ED%96%89%20%EA%B8%B0%EB%A1%9D"  # "여행 기록"
ENC_B = "%EB%B0%94%EB%8B%A4"  # "바다"


def block(
    rows: str,
    heading: str = "'<a href=\"/category/notes\">notes</a>' 카테고리의 다른 글",
    colour: str = "gray",
    tbody: bool = True,
) -> parsel.Selector:
    """A page holding one related block in Tistory's rendering."""
    body = f"<tbody>{rows}</tbody>" if tbody else rows
    return parsel.Selector(
        text=f"""<html><body><div class="tt_article_useless_p_margin"><p>text</p>
        <div class="another_category another_category_color_{colour}">
        <h4>{heading}</h4><table>{body}</table></div></div></body></html>"""
    )


def row(
    href: str, title: str, count: int | None = 0, day: str = "2021.03.05", cls: str = ""
) -> str:
    """One `<tr>` as Tistory writes it."""
    klass = f' class="{cls}"' if cls else ""
    span = f"&nbsp;&nbsp;<span>({count})</span>" if count is not None else ""
    return f'<tr><th><a href="{href}"{klass}>{title}</a>{span}</th><td>{day}</td></tr>'


TWO_ROWS = row("/12", "Morning tide") + row("/11", "Evening harbour", day="2021.03.01")
EXPECTED_TWO = [
    RelatedPost("Morning tide", "https://sample.tistory.com/12", 0, "2021-03-05"),
    RelatedPost("Evening harbour", "https://sample.tistory.com/11", 0, "2021-03-01"),
]


def test_with_tbody() -> None:
    assert parse_related(block(TWO_ROWS, tbody=True), BASE) == EXPECTED_TWO


def test_without_tbody() -> None:
    assert parse_related(block(TWO_ROWS, tbody=False), BASE) == EXPECTED_TWO


def test_one_category_level() -> None:
    root = block(TWO_ROWS, heading="'<a href=\"/category/notes\">notes</a>' 카테고리의 다른 글")
    assert related_category(root) == ["notes"]


def test_two_category_levels_gt_separator() -> None:
    heading = (
        f'\'<a href="/category/{ENC_A}">여행 기록</a>&gt;'
        f'<a href="/category/{ENC_A}/{ENC_B}">바다</a>\' 카테고리의 다른 글'
    )
    assert related_category(block(TWO_ROWS, heading=heading)) == ["여행 기록", "바다"]


def test_nbsp_gt_nbsp_separator_and_raw_korean_hrefs() -> None:
    heading = (
        '\'<a href="/category/여행%20기록">여행 기록</a>&nbsp;&gt;&nbsp;'
        '<a href="/category/여행%20기록/바다">바다</a>\' 카테고리의 다른 글'
    )
    assert related_category(block(TWO_ROWS, heading=heading)) == ["여행 기록", "바다"]


def test_percent_encoded_absolute_category_href() -> None:
    href = f"https://sample.tistory.com/category/{ENC_A}"
    heading = f"'<a href=\"{href}\">여행 기록</a>' 카테고리의 다른 글"
    assert related_category(block(TWO_ROWS, heading=heading)) == ["여행 기록"]


def test_category_from_text_when_links_are_not_category_urls() -> None:
    heading = '\'<a href="#">Books</a>&nbsp;&gt;&nbsp;<a href="#">Poetry</a>\' 카테고리의 다른 글'
    assert related_category(block(TWO_ROWS, heading=heading)) == ["Books", "Poetry"]


def test_category_from_text_without_links() -> None:
    assert related_category(block(TWO_ROWS, heading="'Books &gt; Poetry' 카테고리의 다른 글")) == [
        "Books",
        "Poetry",
    ]


def test_category_query_suffix_is_stripped() -> None:
    rows = row("/12?category=771234", "Morning tide") + row(
        "https://sample.tistory.com/11?category=771234", "Evening harbour", day="2021.03.01"
    )
    assert parse_related(block(rows), BASE) == EXPECTED_TWO


@pytest.mark.parametrize("colour", ["gray", "red", "green", "blue", "violet"])
def test_every_colour_class(colour: str) -> None:
    root = block(TWO_ROWS, colour=colour)
    assert root.css(RELATED_BLOCK)
    assert parse_related(root, BASE) == EXPECTED_TWO


def test_current_row_is_skipped() -> None:
    rows = row("/12", "Morning tide") + row("/200", "This page", cls="current")
    rows += row("/11", "Evening harbour", day="2021.03.01")
    assert parse_related(block(rows), BASE) == EXPECTED_TWO


def test_current_row_absent() -> None:
    assert [r.url for r in parse_related(block(TWO_ROWS), BASE)] == [
        "https://sample.tistory.com/12",
        "https://sample.tistory.com/11",
    ]


def test_comment_count() -> None:
    rows = row("/12", "Morning tide", count=12) + row("/11", "No count shown", count=None)
    related = parse_related(block(rows), BASE)
    assert [r.comment_count for r in related] == [12, 0]


def test_wrapped_title_and_mobile_link_are_normalised() -> None:
    rows = row("/m/12", "Morning\n\t\ttide ")
    assert parse_related(block(rows), BASE) == EXPECTED_TWO[:1]


def test_no_block() -> None:
    root = parsel.Selector(text="<html><body><p>nothing</p></body></html>")
    assert parse_related(root, BASE) == []
    assert related_category(root) == []


def test_seed_shaped_block() -> None:
    seed = [
        ("101", "Wakeup call", "2019.04.07"),
        (
            "100",
            "Korea reviewing whether to declare blaze-hit areas as special disaster",
            "2019.04.06",
        ),
        (
            "98",
            "Main opposition, leftist parties win seat apiece in parliamentary by-elections",
            "2019.04.04",
        ),
        ("97", "Bullfighting - tradition or animal abuse?", "2019.04.03"),
        ("96", "Human rights watchdog recognizes third gender in official document", "2019.04.02"),
    ]
    heading = (
        '\'<a href="/category/%EA%B2%8C%EC%8B%9C%ED%8C%90">게시판</a>&nbsp;&gt;&nbsp;'
        '<a href="/category/%EA%B2%8C%EC%8B%9C%ED%8C%90/'
        '%EB%8D%94%20%EB%82%98%EC%9D%80%20%EB%AF%B8%EB%9E%98%EB%A5%BC%20%EC%9C%84%ED%95%B4">'
        "더 나은 미래를 위해</a>' 카테고리의 다른 글"
    )
    rows = "".join(row(f"/{n}?category=800001", title, day=day) for n, title, day in seed)
    root = block(rows, heading=heading)
    got = parse_related(root, "https://seed.tistory.com/102")
    assert [(r.title, r.comment_count, r.published_at) for r in got] == SEED_ROWS
    assert [r.url for r in got] == [f"https://seed.tistory.com/{n}" for n, _, _ in seed]
    assert related_category(root) == ["게시판", "더 나은 미래를 위해"]


def _corpus_pages_with_block() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(
        p for p in CORPUS.glob("*.html") if 'class="another_category' in p.read_text("utf-8")
    )


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_corpus_has_pages_with_block() -> None:
    assert len(_corpus_pages_with_block()) >= 10


@pytest.mark.parametrize("page", _corpus_pages_with_block(), ids=lambda p: p.stem)
def test_corpus_invariants(page: Path) -> None:
    """Every real block yields its non-current rows, canonical, dated, under a category."""
    root = parsel.Selector(text=page.read_text("utf-8"))
    base = "https://corpus.tistory.com/999999"
    related = parse_related(root, base)
    links = root.css(f"{RELATED_BLOCK} th a[href]")
    current = [a for a in links if "current" in (a.attrib.get("class") or "").split()]
    assert len(related) == len(links) - len(current) > 0
    for post in related:
        assert post.title and "\n" not in post.title
        assert re.fullmatch(r"https?://[^/?#]+/\d+", post.url), post.url
        assert post.published_at and re.fullmatch(r"\d{4}-\d{2}-\d{2}", post.published_at)
        assert post.comment_count >= 0
    current_keys = {a.attrib["href"].split("?")[0].rsplit("/", 1)[-1] for a in current}
    assert not current_keys & {post.url.rsplit("/", 1)[-1] for post in related}
    category = related_category(root)
    assert 1 <= len(category) <= 2 and all(part.strip() == part and part for part in category)
    assert not any("카테고리" in part or "'" in part for part in category)
