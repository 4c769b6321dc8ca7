"""A fault-injecting copy of the sample blog, for the reliability suite (tests/test_faults_*).

The sample blog (`newscrawl.sampleblog`) served on 127.0.0.1 from a thread, except that
chosen paths misbehave on purpose: error statuses with or without `Retry-After`, answers that
hang, drip, reset or stop short, bombs, noise, other encodings, redirect loops and hops to
other hosts, hostile robots.txt and sitemaps. See `faults` for the misbehaviours, `pages` for
the hostile bodies and `server.fault_blog` to run it.
"""

from __future__ import annotations

from newscrawl.faultserver.faults import (
    Body,
    Drip,
    Fault,
    Generated,
    Hang,
    Page,
    Redirect,
    ResetMidBody,
    ShortBody,
    Status,
    Stream,
)
from newscrawl.faultserver.server import FaultBlog, Hit, fault_blog

__all__ = [
    "Body",
    "Drip",
    "Fault",
    "FaultBlog",
    "Generated",
    "Hang",
    "Hit",
    "Page",
    "Redirect",
    "ResetMidBody",
    "ShortBody",
    "Status",
    "Stream",
    "fault_blog",
]
