"""URLs a client builds: the checked ``base_url`` and percent-encoded path segments."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import httpx

from ..errors import (
    ConfigurationError,
    InvalidArgumentError,
    InvalidPathSegmentError,
    Service,
)

__all__ = [
    "MAX_PATH_LENGTH",
    "MAX_PATH_SEGMENT_LENGTH",
    "checked_base_url",
    "checked_request_path",
    "encode_path",
    "encode_segment",
]


#: The longest path segment (after percent-encoding) a client sends. Node servers refuse request
#: lines over 16 KiB of headers; no Medusa id or Payload slug comes near this.
MAX_PATH_SEGMENT_LENGTH = 1024

#: The longest whole path `checked_request_path` accepts (after percent-encoding).
MAX_PATH_LENGTH = 8192

_DOT_SEGMENTS = frozenset({"", ".", ".."})
# RFC 3986 pchar plus "/" and "%" (an already encoded path is kept as it is).
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
# A "%" that does not start an escape is a literal percent sign.
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def encode_segment(value: str | int) -> str:
    """One percent-encoded URL path segment, or `InvalidPathSegmentError`.

    Everything but RFC 3986 unreserved characters is encoded (``/``, ``%``, ``?``, ``#``,
    unicode ...). An empty value, ``.`` and ``..`` are refused rather than encoded: URL
    resolution would drop them and call another endpoint, and an encoded ``%2E`` is decoded back
    to ``.`` by servers and proxies alike.
    """
    encoded = quote(str(value), safe="")
    if encoded in _DOT_SEGMENTS:
        raise InvalidPathSegmentError(
            f"{str(value)!r} cannot be a URL path segment (empty, '.' and '..' change the "
            "endpoint called)",
            segment=str(value),
        )
    if len(encoded) > MAX_PATH_SEGMENT_LENGTH:
        raise InvalidPathSegmentError(
            f"path segment of {len(encoded)} encoded characters is longer than "
            f"{MAX_PATH_SEGMENT_LENGTH}: {str(value)[:40]!r}...",
            segment=str(value)[:100],
        )
    return encoded


def encode_path(template: str, *segments: str | int) -> str:
    """Fill ``{}`` placeholders with percent-encoded segments (see `encode_segment`).

    ``encode_path("/store/products/{}", "../admin")`` gives ``/store/products/..%2Fadmin``: a
    value can never change which endpoint is called.

    Raises:
        InvalidPathSegmentError: a segment is empty, ``.``, ``..`` or too long.
    """
    return template.format(*(encode_segment(s) for s in segments))


def checked_request_path(path: str) -> str:
    """A path below the client's ``base_url`` for ``client.request``, or a refusal.

    The path may not leave the base URL: an absolute URL (``http://other.host/x``), a
    protocol-relative one (``//other.host``), ``.`` / ``..`` segments (also percent-encoded) and
    empty segments are refused, and so are ``?`` / ``#`` (pass ``params=``), ``..;x`` (``..``
    to servers that cut path parameters off) and lone surrogates. Characters outside RFC 3986's
    path set are percent-encoded; ``%XX`` escapes already in ``path`` are kept, a ``%`` that
    starts none is sent as ``%25``.

    Raises:
        InvalidArgumentError: not a string, an absolute URL, a query or fragment, too long.
        InvalidPathSegmentError: a ``.``, ``..`` or empty segment, or a segment over
            `MAX_PATH_SEGMENT_LENGTH` encoded characters.
    """
    if not isinstance(path, str):
        raise InvalidArgumentError(f"path must be a string, got {type(path).__name__}")
    if "://" in path or path.startswith(("//", "\\")):
        raise InvalidArgumentError(
            f"path must be relative to the client's base_url, got an absolute URL: {path[:60]!r}"
        )
    if "?" in path or "#" in path:
        raise InvalidArgumentError("path must not hold a query or fragment: pass params=")
    try:
        encoded = quote(path if path.startswith("/") else "/" + path, safe=_PATH_SAFE)
    except UnicodeEncodeError:
        raise InvalidArgumentError(
            "path must be valid unicode text (it holds a lone surrogate)"
        ) from None
    encoded = _LONE_PERCENT.sub("%25", encoded)
    if len(encoded) > MAX_PATH_LENGTH:
        raise InvalidArgumentError(
            f"path of {len(encoded)} encoded characters is longer than {MAX_PATH_LENGTH}"
        )
    segments = encoded[1:].split("/")
    for i, segment in enumerate(segments):
        if segment == "" and i == len(segments) - 1:
            continue  # a trailing slash
        decoded = unquote(segment)
        # "..;x" is ".." to servers that cut path parameters off a segment (Tomcat, Jetty).
        bare = decoded.split(";", 1)[0]
        if decoded in _DOT_SEGMENTS or bare in (".", "..") or "/" in decoded or "\\" in decoded:
            raise InvalidPathSegmentError(
                f"{decoded[:40]!r} cannot be a segment of a request path (empty, '.', '..' and "
                "encoded slashes change the endpoint called)",
                segment=decoded[:100],
            )
        if len(segment) > MAX_PATH_SEGMENT_LENGTH:
            raise InvalidPathSegmentError(
                f"path segment of {len(segment)} encoded characters is longer than "
                f"{MAX_PATH_SEGMENT_LENGTH}: {decoded[:40]!r}...",
                segment=decoded[:100],
            )
    return encoded


def checked_base_url(service: Service, base_url: str) -> httpx.URL:
    """``base_url`` as an `httpx.URL`, or `ConfigurationError` (which never repeats a password).

    Credentials in the URL (``https://user:pass@host``) are refused: they would show in every
    ``repr``, log line and error that prints the URL. Pass ``api_key=`` / ``token=`` instead.
    """
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL:
        raise ConfigurationError(f"{service} base_url is not a valid URL") from None
    if url.userinfo:
        host = url.copy_with(userinfo=None, path="/", query=None, fragment=None)
        raise ConfigurationError(
            f"{service} base_url must not contain credentials (user:password@): got "
            f"{str(host).rstrip('/')} with userinfo; pass api_key= or token= instead"
        )
    if url.scheme not in ("http", "https") or not url.host:
        shown = "(hidden: it contains '@')" if "@" in base_url else repr(base_url)
        raise ConfigurationError(f"{service} base_url must be an absolute http(s) URL, got {shown}")
    return url
