"""`scrapy crawl blogger -a url=URL`: walk a Blogger label (or a whole blog, or some posts).

The walk itself is `CategorySpider`'s (see `newscrawl.spiders.base`); Blogger's URL shapes,
cursor paging and parsers come from `newscrawl.platforms.blogger`.
"""

from __future__ import annotations

from newscrawl.platforms.blogger import PLATFORM
from newscrawl.spiders.base import CategorySpider


class BloggerSpider(CategorySpider):
    """Crawl Blogger labels, blogs or posts into `ArticleItem`s.

    Arguments: `url` — comma-separated label listing (`/search/label/<Label>`), blog root or
    post URLs; `mode` — `incremental` (default), `changed` or `full`.
    """

    name = "blogger"
    platform = PLATFORM
