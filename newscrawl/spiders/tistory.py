"""`scrapy crawl tistory -a url=URL`: walk a Tistory category (or a whole blog, or some posts).

The walk itself is `CategorySpider`'s (see `newscrawl.spiders.base`); Tistory's URL shapes
and parsers come from `newscrawl.platforms.tistory`.
"""

from __future__ import annotations

from newscrawl.platforms.tistory import PLATFORM
from newscrawl.spiders.base import CategorySpider


class TistorySpider(CategorySpider):
    """Crawl Tistory categories, blogs or posts into `ArticleItem`s.

    Arguments: `url` — comma-separated category listing (`/category/<path>`), blog root or
    post URLs; `mode` — `incremental` (default), `changed` or `full`.
    """

    name = "tistory"
    platform = PLATFORM
