"""Stable item ids from normalized URLs.

Two links to the same article (tracking parameters, ``http`` vs ``https``,
``www.``, a trailing slash, a fragment, the AMP or mobile edition) get the same
id, so a restarted poller or a second feed carrying the article does not make it
a new item.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "wt_", "at_", "pk_", "mc_")
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "ref", "xtor", "ns_campaign", "ns_mchannel", "cid"})
#: the query parameters that ask for an AMP edition of the same article
AMP_PARAMS = frozenset({"amp", "outputtype", "output"})
#: host prefixes of mobile and AMP editions (m.spiegel.de, amp.zeit.de, mobil.n-tv.de)
EDITION_HOSTS = ("m.", "mobile.", "mobil.", "amp.")
#: path endings of AMP editions (…/artikel.amp.html, …/artikel/amp)
AMP_PATHS = ((".amp.html", ".html"), (".amp", ""), ("/amp", ""))


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, https, no www., no fragment, no tracking, no trailing slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url.strip()
    host = (parts.hostname or "").lower().removeprefix("www.")
    for prefix in EDITION_HOSTS:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host.removeprefix(prefix)
            break
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING_PREFIXES)
        and k.lower() not in TRACKING_PARAMS
        and not (k.lower() in AMP_PARAMS and (k.lower() == "amp" or v.lower() == "amp"))
    ]
    path = parts.path.rstrip("/") or "/"
    for ending, replacement in AMP_PATHS:
        if path.lower().endswith(ending) and len(path) > len(ending):
            path = path[: -len(ending)] + replacement
            break
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))


def stable_id(key: str) -> str:
    """16 hex characters of SHA-256: short enough to read, long enough not to collide."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def item_id(url: str | None, fallback: str = "") -> str:
    """The id of an item: from its normalized URL, else from a fallback key (e.g. title)."""
    return stable_id(normalize_url(url) if url else f"nourl:{fallback}")
