"""The crawl's scope (`newscrawl.scope.Scope`): which URLs a crawl started on a blog may fetch.

Pure decisions, no network: the crawl-level proof that nothing is sent out of scope is
tests/test_faults_scope.py::test_redirects_out_of_scope_are_not_followed.
"""

from __future__ import annotations

import pytest

from newscrawl.scope import Scope

START = "https://myblog.tistory.com/category/게시판"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://myblog.tistory.com/21", None),
        ("http://myblog.tistory.com/21", None),  # http and https on default ports: one origin
        ("https://MyBlog.Tistory.com:443/21", None),
        ("https://www.myblog.tistory.com/21", None),  # www./m.: the same blog
        ("https://m.myblog.tistory.com/m/21", None),
        ("https://myblog.tistory.com:8443/21", "other_port"),
        ("https://other.tistory.com/21", "other_host"),
        ("https://evil.example/myblog.tistory.com", "other_host"),
        ("http://127.0.0.1/21", "private_address"),
        ("http://localhost/21", "private_address"),
        ("http://10.0.0.7/21", "private_address"),
        ("http://169.254.169.254/latest/meta-data/", "private_address"),
        ("http://[::1]/21", "private_address"),
        ("ftp://myblog.tistory.com/21", "scheme"),
        ("https://myblog.tistory.com:http/21", "other_port"),
    ],
)
def test_scope_of_a_crawl_started_on_one_blog(url: str, reason: str | None) -> None:
    scope = Scope()
    scope.learn(START)
    assert scope.refusal(url) == reason


def test_a_local_start_host_is_in_scope_but_not_its_neighbours() -> None:
    scope = Scope()
    scope.learn("http://127.0.0.1:8000/category")
    assert scope.refusal("http://127.0.0.1:8000/21") is None
    assert scope.refusal("http://127.0.0.1:8001/21") == "other_port"
    assert scope.refusal("http://127.0.0.2:8000/21") == "private_address"


def test_allowed_hosts_widen_the_scope() -> None:
    scope = Scope(["blog.example.com", "cdn.example.com:8080"])
    scope.learn(START)
    assert scope.refusal("https://blog.example.com/21") is None
    assert scope.refusal("http://cdn.example.com:8080/x") is None
    assert scope.refusal("http://cdn.example.com/x") == "other_port"


def test_no_start_request_seen_yet_refuses_nothing() -> None:
    assert Scope().refusal("http://10.0.0.7/") is None
