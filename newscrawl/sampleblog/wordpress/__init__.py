"""A WordPress-shaped sample blog served locally for the WordPress tests.

Our own text (`content`), rendered as a classic theme's HTML pages (`pages`: category and
home listings with sidebar widgets, post pages with Jetpack blocks and comments) and as the
REST API (`api`: categories, posts with `_embed`, `X-WP-Total(Pages)`, 400 past the last
page); `server` serves both, can block the API (404 or 403) and logs every request.
"""
