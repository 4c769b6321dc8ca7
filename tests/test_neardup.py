"""Near-duplicate fingerprints and the pipeline that marks reposts.

The texts are ours (`neardup_texts.py`): an article, its repost with another header and
footer, and a different article on the same topic, in Korean and in English.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from datasketch import MinHashLSH
from factories import article_item
from neardup_texts import (
    EN_ARTICLE,
    EN_REPOST,
    EN_SAME_TOPIC,
    KO_ARTICLE,
    KO_REPOST,
    KO_SAME_TOPIC,
)
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newscrawl.errors import BadSetting
from newscrawl.items import ArticleItem
from newscrawl.neardup import (
    DEFAULT_THRESHOLD,
    LSH_WEIGHTS,
    Fingerprinter,
    normalise,
    shingle_hashes,
)
from newscrawl.pipelines import NearDuplicatePipeline
from newscrawl.spiders.tistory import TistorySpider
from newscrawl.state import state_for

LANGUAGES = {
    "ko": (KO_ARTICLE, KO_REPOST, KO_SAME_TOPIC),
    "en": (EN_ARTICLE, EN_REPOST, EN_SAME_TOPIC),
}


@pytest.fixture(scope="module")
def fingerprinter() -> Fingerprinter:
    return Fingerprinter()


def similarity(fingerprinter: Fingerprinter, first: str, second: str) -> float:
    one, two = fingerprinter.fingerprint(first), fingerprinter.fingerprint(second)
    assert one is not None and two is not None
    return fingerprinter.similarity(one.signature, two.signature)


def exact_jaccard(first: str, second: str) -> float:
    one = set(shingle_hashes(normalise(first)).tolist())
    two = set(shingle_hashes(normalise(second)).tolist())
    return len(one & two) / len(one | two)


# --- fingerprints ---------------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_same_text_in_other_whitespace_case_and_composition_is_identical(
    fingerprinter: Fingerprinter, language: str
) -> None:
    article = LANGUAGES[language][0]
    # What other markup makes of the same words: paragraphs run together, NBSP, decomposed
    # Hangul (NFD), capitals.
    other = unicodedata.normalize("NFD", article.replace("\n\n", " \u00a0\n").upper())
    assert other != article
    one, two = fingerprinter.fingerprint(article), fingerprinter.fingerprint(other)
    assert one is not None and one == two
    assert fingerprinter.similarity(one.signature, two.signature) == 1.0


@pytest.mark.parametrize("language", LANGUAGES)
def test_repost_with_its_own_header_and_footer_is_above_the_threshold(
    fingerprinter: Fingerprinter, language: str
) -> None:
    article, repost, _ = LANGUAGES[language]
    assert exact_jaccard(article, repost) >= DEFAULT_THRESHOLD
    assert similarity(fingerprinter, article, repost) >= DEFAULT_THRESHOLD
    one, two = fingerprinter.fingerprint(article), fingerprinter.fingerprint(repost)
    assert one is not None and two is not None
    assert set(one.band_keys) & set(two.band_keys), "the index would never propose it"


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_articles_on_one_topic_are_far_below_the_threshold(
    fingerprinter: Fingerprinter, language: str
) -> None:
    article, repost, same_topic = LANGUAGES[language]
    for text in (article, repost):
        assert similarity(fingerprinter, text, same_topic) < 0.3
        one, two = fingerprinter.fingerprint(text), fingerprinter.fingerprint(same_topic)
        assert one is not None and two is not None
        assert not set(one.band_keys) & set(two.band_keys)


def test_the_estimate_follows_the_exact_jaccard_similarity(fingerprinter: Fingerprinter) -> None:
    texts = [text for triple in LANGUAGES.values() for text in triple]
    for first in texts:
        for second in texts:
            estimate = similarity(fingerprinter, first, second)
            assert abs(estimate - exact_jaccard(first, second)) < 0.1


def test_a_short_body_gets_no_fingerprint(fingerprinter: Fingerprinter) -> None:
    assert fingerprinter.fingerprint("짧은 공지입니다. " * 10) is None  # 100 characters
    assert fingerprinter.fingerprint("") is None
    assert Fingerprinter(min_chars=50).fingerprint("짧은 공지입니다. " * 10) is not None


def test_shingles_need_no_spaces() -> None:
    unspaced = "今天天氣很好我們去公園散步吧" * 3
    assert len(shingle_hashes(normalise(unspaced))) == 14  # one per distinct 5-char window
    assert shingle_hashes("four").size == 0


def test_band_keys_are_minhashlsh_own_bands(fingerprinter: Fingerprinter) -> None:
    """Our keys are the keys datasketch's own index files the signature under."""
    fingerprint = fingerprinter.fingerprint(EN_ARTICLE)
    assert fingerprint is not None
    lsh = MinHashLSH(
        threshold=DEFAULT_THRESHOLD,
        num_perm=len(fingerprint.signature) // 4,
        weights=LSH_WEIGHTS,
        hashfunc=fingerprinter.lsh.hashfunc,
    )
    lsh.insert("article", fingerprinter._restore(fingerprint.signature))
    assert (lsh.b, lsh.r) == (14, 9)
    stored = [f"{band}:{key.hex()}" for band, table in enumerate(lsh.hashtables) for key in table]
    assert stored == list(fingerprint.band_keys)


@pytest.mark.parametrize(("threshold", "permutations"), [(0.0, 128), (1.5, 128), (0.8, 8)], ids=str)
def test_unusable_parameters_are_refused(threshold: float, permutations: int) -> None:
    with pytest.raises(ValueError, match=r"threshold|permutations"):
        Fingerprinter(threshold, permutations)


# --- the pipeline ---------------------------------------------------------------------
def _crawler(state: Path, **settings: object) -> Crawler:
    crawler = get_crawler(
        TistorySpider, settings_dict={"NEWSCRAWL_STATE_DIR": str(state)} | settings
    )
    crawler.stats.open_spider()
    return crawler


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Crawler]:
    """One crawl's pipeline on a throw-away state (closed after the test)."""
    crawler = _crawler(tmp_path / "state")
    yield crawler
    state_for(crawler).close()


def post(number: int, body: str, site: str = "a.tistory.com") -> ArticleItem:
    return article_item(
        id=f"tistory:{site}:{number}",
        url=f"https://{site}/{number}",
        site=site,
        post_id=str(number),
        body_text=body,
    )


def test_a_repost_on_another_blog_is_marked_with_the_original(run: Crawler) -> None:
    pipeline = NearDuplicatePipeline.from_crawler(run)
    original = pipeline.process_item(post(1, EN_ARTICLE))
    repost = pipeline.process_item(post(7, EN_REPOST, site="b.tistory.com"))
    assert original.duplicate_of is None and original.similarity is None
    assert repost.duplicate_of == "tistory:a.tistory.com:1"
    assert DEFAULT_THRESHOLD <= repost.similarity < 1.0
    assert repost.similarity == round(repost.similarity, 3)
    assert run.stats.get_value("neardup/marked") == 1
    assert run.stats.get_value("neardup/fingerprinted") == 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_article_on_the_same_topic_is_not_marked(run: Crawler, language: str) -> None:
    article, repost, same_topic = LANGUAGES[language]
    pipeline = NearDuplicatePipeline.from_crawler(run)
    pipeline.process_item(post(1, article))
    pipeline.process_item(post(2, repost, site="b.tistory.com"))
    other = pipeline.process_item(post(3, same_topic, site="c.tistory.com"))
    assert other.duplicate_of is None and other.similarity is None
    assert run.stats.get_value("neardup/marked") == 1


def test_an_identical_body_elsewhere_has_similarity_one(run: Crawler) -> None:
    pipeline = NearDuplicatePipeline.from_crawler(run)
    pipeline.process_item(post(1, KO_ARTICLE))
    copy = pipeline.process_item(post(5, KO_ARTICLE.replace("\n\n", "\n"), site="b.tistory.com"))
    assert (copy.duplicate_of, copy.similarity) == ("tistory:a.tistory.com:1", 1.0)


def test_every_later_copy_points_at_the_earliest_post(run: Crawler) -> None:
    pipeline = NearDuplicatePipeline.from_crawler(run)
    pipeline.process_item(post(1, EN_ARTICLE))
    second = pipeline.process_item(post(2, EN_ARTICLE, site="b.tistory.com"))
    third = pipeline.process_item(post(3, EN_REPOST, site="c.tistory.com"))
    assert second.duplicate_of == third.duplicate_of == "tistory:a.tistory.com:1"
    # The copies stay out of the index: one bucket entry per band for the whole cluster.
    repost = pipeline.fingerprinter.fingerprint(EN_REPOST)
    assert repost is not None
    candidates = state_for(run).similar_candidates(repost.band_keys)
    assert [record.post_id for record in candidates] == ["tistory:a.tistory.com:1"]


def test_a_post_is_never_a_duplicate_of_itself(run: Crawler) -> None:
    pipeline = NearDuplicatePipeline.from_crawler(run)
    pipeline.process_item(post(1, EN_ARTICLE))
    revision = pipeline.process_item(post(1, EN_ARTICLE + "\n\n[Edit] A typo fixed."))
    refetched = article_item(
        id="https://a.tistory.com/1",  # the same page, read without its platform identity
        url="http://a.tistory.com/1/",
        body_text=EN_ARTICLE,
    )
    again = pipeline.process_item(refetched)
    assert revision.duplicate_of is None and again.duplicate_of is None
    assert run.stats.get_value("neardup/marked") is None


def test_the_index_outlives_the_run(tmp_path: Path) -> None:
    first = _crawler(tmp_path / "state")
    NearDuplicatePipeline.from_crawler(first).process_item(post(1, KO_ARTICLE))
    state_for(first).close()
    second = _crawler(tmp_path / "state")
    try:
        repost = NearDuplicatePipeline.from_crawler(second).process_item(
            post(9, KO_REPOST, site="b.tistory.com")
        )
    finally:
        state_for(second).close()
    assert repost.duplicate_of == "tistory:a.tistory.com:1"


def test_a_short_body_is_counted_and_left_alone(run: Crawler) -> None:
    pipeline = NearDuplicatePipeline.from_crawler(run)
    pipeline.process_item(post(1, "사진 몇 장 올립니다."))
    item = pipeline.process_item(post(2, "사진 몇 장 올립니다.", site="b.tistory.com"))
    assert item.duplicate_of is None
    assert run.stats.get_value("neardup/too_short") == 2
    assert run.stats.get_value("neardup/fingerprinted") is None


def test_the_pipeline_can_be_switched_off(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured, match="NEWSCRAWL_NEAR_DUPLICATES"):
        NearDuplicatePipeline.from_crawler(
            _crawler(tmp_path / "state", NEWSCRAWL_NEAR_DUPLICATES=False)
        )


def test_a_bad_threshold_setting_is_named(tmp_path: Path) -> None:
    crawler = _crawler(tmp_path / "state", NEWSCRAWL_NEAR_DUPLICATE_THRESHOLD="80%")
    with pytest.raises(BadSetting, match="NEWSCRAWL_NEAR_DUPLICATE_THRESHOLD='80%'"):
        NearDuplicatePipeline.from_crawler(crawler)
