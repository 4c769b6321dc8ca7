"""Size limits that count what they refuse: a gzip bomb or a 50 MB page is a fault to see.

Scrapy already refuses a body larger than `DOWNLOAD_MAXSIZE`, on the wire (announced by
`Content-Length` or reached while reading: `DownloadCancelledError`) and while decompressing
(`IgnoreRequest`, so memory stays bounded by the limit), but the second leaves no stat
behind. This subclass of its decompression middleware counts both as `size/refused`
(`size/refused/download`, `size/refused/decompressed`) for the manifest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.http import Response


class CountedDecompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's `HttpCompressionMiddleware`, counting the responses refused for their size."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest:  # raised only when decompression passes DOWNLOAD_MAXSIZE
            self._count("decompressed")
            raise

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> None:
        if isinstance(exception, DownloadCancelledError):  # DOWNLOAD_MAXSIZE on the wire
            self._count("download")

    def _count(self, where: str) -> None:
        if self.stats is not None:
            self.stats.inc_value("size/refused")
            self.stats.inc_value(f"size/refused/{where}")
