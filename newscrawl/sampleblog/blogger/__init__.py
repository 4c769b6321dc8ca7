"""A Blogger-shaped sample blog served locally (end-to-end tests of the `blogger` spider).

Content is our own text (`posts`), rendered in the classic template's markup (`pages`) with
sidebar widgets and `updated-max` cursor paging; `server.serve_blogger` runs it in a thread.
"""

from .posts import LABELS, POSTS, BloggerPost, posts_labelled

__all__ = ["LABELS", "POSTS", "BloggerPost", "posts_labelled"]
