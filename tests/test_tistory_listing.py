"""Category listings and Tistory detection.

Golden fixtures (`fixtures/tistory/listing/<name>.html` + `.json`, written for this project in
the shapes of the corpus home pages, each with a trap) are compared field by field. Real pages
from ../shared/corpus are checked by invariants only: which post ids the list must and must not
contain, read off the pages by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from newscrawl.platforms.tistory.chrome import ChromeFilter, tokens
from newscrawl.platforms.tistory.detect import is_tistory
from newscrawl.platforms.tistory.listing import Listing, parse_listing

FIXTURES = Path(__file__).parent / "fixtures" / "tistory" / "listing"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")

FIXTURE_NAMES = sorted(p.stem for p in FIXTURES.glob("*.json"))
PAGING_ANCHOR = re.compile(r"<a\b[^>]*[?&]page=\d+[^>]*>.*?</a>", re.DOTALL)
T_CONFIG_PAGE = re.compile(r'"(PREV|NEXT)_PAGE":"[^"]*"')


def _fixture(name: str) -> tuple[str, dict]:
    expected = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    return (FIXTURES / f"{name}.html").read_text("utf-8"), expected


def _corpus_page(relative: str) -> str:
    return (CORPUS / relative).read_text("utf-8")


def _ids(listing: Listing) -> list[str]:
    return [url.rsplit("/", 1)[-1] for url in listing.post_urls]


def test_fixture_set_covers_the_traps() -> None:
    assert len(FIXTURE_NAMES) >= 6
    for name in FIXTURE_NAMES:
        assert (FIXTURES / f"{name}.html").is_file(), name


@pytest.mark.parametrize("name", FIXTURE_NAMES)
@pytest.mark.parametrize("field", ["post_urls", "page_urls", "category"])
def test_fixture_field(name: str, field: str) -> None:
    html, expected = _fixture(name)
    listing = parse_listing(html, expected["_url"])
    assert getattr(listing, field) == expected[field]


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_list_choice_does_not_depend_on_paging(name: str) -> None:
    """Single-page categories have no paging block: the list must still be found."""
    html, expected = _fixture(name)
    bare = T_CONFIG_PAGE.sub(r'"\1_PAGE":""', PAGING_ANCHOR.sub("", html))
    listing = parse_listing(bare, expected["_url"])
    assert listing.post_urls == expected["post_urls"]
    assert listing.page_urls == []


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixtures_are_detected(name: str) -> None:
    html, _expected = _fixture(name)
    assert is_tistory(html)


def test_chrome_tokens_are_words_not_substrings() -> None:
    assert tokens("box_aside") == {"box", "aside"}
    assert tokens("recentComments") == {"recent", "comments"}
    assert tokens("inside-wrap") == {"inside", "wrap"}


def test_item_header_is_not_page_chrome() -> None:
    html = """<html><body><header class="site-header"><a id="a0" href="/1">x</a></header>
    <div class="list"><article><header class="post-header"><h2>
    <a id="a1" href="/2">x</a></h2></header></article>
    <div class="post-header"><a id="a2" href="/3">x</a></div></div>
    <div class="area_head"><a id="a3" href="/4">x</a></div></body></html>"""
    root = lxml.html.fromstring(html)
    chrome = ChromeFilter([])
    verdicts = {a: chrome.excludes(root.get_element_by_id(a)) for a in ("a0", "a1", "a2", "a3")}
    assert verdicts == {"a0": True, "a1": False, "a2": False, "a3": True}


def test_layout_wrapper_named_like_chrome_does_not_hide_the_list() -> None:
    html = """<html><body id="tt-body-category"><div class="has-sidebar">
    <div id="content"><ul><li><a href="/5">a</a></li><li><a href="/4">b</a></li></ul></div>
    <div id="sidebar"><ul><li><a href="/9">c</a></li><li><a href="/8">d</a></li>
    <li><a href="/7">e</a></li></ul></div></div></body></html>"""
    listing = parse_listing(html, "https://b.tistory.com/category/x")
    assert _ids(listing) == ["5", "4"]


def test_lone_post_category() -> None:
    html = """<html><body id="tt-body-category"><div id="content"><h2>x (1)</h2>
    <div class="item"><a href="/entry/only-one">only</a><p>summary of the only post</p></div>
    </div><div class="widget"><a href="/3">p</a><a href="/2">q</a></div></body></html>"""
    listing = parse_listing(html, "https://b.tistory.com/category/x")
    assert listing.post_urls == ["https://b.tistory.com/entry/only-one"]


@pytest.mark.parametrize(
    "title",
    [
        "<strong>Most Viewed</strong>",
        "<h3>Popular</h3>",
        '<h3><img src="title_recent_post.gif" alt="최근에 올라온 글"></h3>',  # pre-2013 skins
    ],
)
def test_widget_titled_in_other_words_loses_to_a_short_list(title: str) -> None:
    """A neutral-named panel with more, identical items is still a widget by its title."""
    items = "".join(
        f'<div class="cell"><a href="/{n}"><img src="t{n}.jpg" alt="">글 {n}</a></div>'
        for n in (9, 8, 7)
    )
    html = f"""<html><body id="tt-body-category"><div class="panel"><div class="box">{title}
    <div class="grid">{items}</div></div></div><div class="wrap"><div class="grid">
    <div class="cell"><a href="/27"><img src="t27.jpg" alt="">글 27</a></div>
    <div class="cell"><a href="/26"><img src="t26.jpg" alt="">글 26</a></div></div></div>
    </body></html>"""
    assert _ids(parse_listing(html, "https://b.tistory.com/category/x")) == ["27", "26"]


def test_custom_domain_links_to_tistory_name_are_the_same_blog() -> None:
    html = """<html><head><script>window.T.config = {"DEFAULT_URL":"https:\\/\\/b.tistory.com"};
    </script></head><body id="tt-body-category"><ul class="list">
    <li><a href="https://b.tistory.com/12">a</a></li><li><a href="/11">b</a></li>
    <li><a href="https://other.tistory.com/10">other blog</a></li></ul></body></html>"""
    listing = parse_listing(html, "https://blog.example.org/category/x")
    assert listing.post_urls == ["https://blog.example.org/12", "https://blog.example.org/11"]


# --- real pages ---------------------------------------------------------------------------


def _corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*/*.html")) if CORPUS.is_dir() else []


@needs_corpus
def test_corpus_is_present() -> None:
    assert len(_corpus_files()) >= 30


@pytest.mark.parametrize("page", _corpus_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_corpus_detection(page: Path) -> None:
    """Every Tistory page (homes and fragments included) is detected; no other platform is."""
    assert is_tistory(page.read_text("utf-8")) == (page.parent.name == "tistory")


@needs_corpus
def test_corpus_default_skin_home_picks_the_post_list() -> None:
    """`div.list_content` × 10 in `#mArticle`; the aside repeats 4 of them plus comments."""
    url = "http://withcoding.com/"
    listing = parse_listing(_corpus_page("tistory/id-25531083938-home.html"), url)
    main = ["121", "120", "119", "116", "106", "112", "108", "111", "117", "109"]
    assert _ids(listing) == main
    assert "24" not in _ids(listing)  # only linked from the recent-comments box
    assert listing.page_urls == [f"http://withcoding.com/?page={n}" for n in (2, 3, 4, 12)]
    assert listing.category == []


@needs_corpus
def test_corpus_tabloid_cover_with_sidebar() -> None:
    """Tabloid canvas posts only: not the sidebar's recent posts or recent comments."""
    url = "http://pastimelife.com/"
    ids = _ids(parse_listing(_corpus_page("tistory/id-25660085884.html"), url))
    canvas = {"1645", "1644", "1640", "1639", "1642", "1641", "1635"}
    canvas |= {"1626", "1625", "1609", "1637", "1627", "1611"}
    assert set(ids) == canvas and len(ids) == len(canvas)
    sidebar_only = {"1643", "1638", "1190", "1488", "1161", "1565", "652", "866"}
    assert not sidebar_only & set(ids)


@needs_corpus
def test_corpus_tabloid_cover_without_footer_links() -> None:
    url = "http://www.lifentalk.com/"
    ids = _ids(parse_listing(_corpus_page("tistory/id-25121750728-home.html"), url))
    for expected in ("1704", "1703", "1702", "1701", "1700", "1699", "1698", "1675"):
        assert expected in ids
    assert "963" not in ids  # blog policy link in the footer


@needs_corpus
def test_corpus_page_without_permalinks_lists_nothing() -> None:
    """The ASP copy links `post1.asp`-style pages: nothing is a Tistory permalink."""
    url = "http://stupiddevelopers.tistory.com/"
    assert parse_listing(_corpus_page("tistory/id-18118523781-home.html"), url).post_urls == []


@needs_corpus
def test_corpus_listing_paging_fragment() -> None:
    base = "https://algo.example.com/category/CS/%EC%95%8C%EA%B3%A0%EB%A6%AC%EC%A6%98%20%ED%92%80%EC%9D%B4"
    html = _corpus_page("tistory/id-36933881497-listing-fragment.html")
    listing = parse_listing(html, base)
    assert listing.page_urls == [f"{base}?page={n}" for n in (2, 3, 4, 7)]
    assert listing.category == ["CS", "알고리즘 풀이"]
    assert parse_listing(html, base + "?page=4").page_urls == [
        f"{base}?page={n}" for n in (1, 2, 3, 7)
    ]
