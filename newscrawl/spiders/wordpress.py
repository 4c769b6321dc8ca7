"""`scrapy crawl wordpress -a url=URL`: walk a WordPress category (or a whole blog, or posts).

The walk itself is `CategorySpider`'s (see `newscrawl.spiders.base`); WordPress's URL shapes,
REST API and parsers come from `newscrawl.platforms.wordpress`.
"""

from __future__ import annotations

from newscrawl.platforms.wordpress import PLATFORM
from newscrawl.spiders.base import CategorySpider


class WordPressSpider(CategorySpider):
    """Crawl WordPress categories, blogs or posts into `ArticleItem`s.

    Arguments: `url` — comma-separated category listing (`/category/<slug>/`), blog root or
    post URLs; `mode` — `incremental` (default), `changed` or `full`. Categories are walked
    through the REST API when the site exposes it, else through their HTML pages.
    """

    name = "wordpress"
    platform = PLATFORM
