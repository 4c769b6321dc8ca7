"""The related-posts rows of the seed page (`../shared/seed/`), as issue 2 states them.

Both the related-table test and the end-to-end crawl check these exact rows.
"""

SEED_ROWS = [
    ("Wakeup call", 0, "2019-04-07"),
    ("Korea reviewing whether to declare blaze-hit areas as special disaster", 0, "2019-04-06"),
    (
        "Main opposition, leftist parties win seat apiece in parliamentary by-elections",
        0,
        "2019-04-04",
    ),
    ("Bullfighting - tradition or animal abuse?", 0, "2019-04-03"),
    ("Human rights watchdog recognizes third gender in official document", 0, "2019-04-02"),
]
