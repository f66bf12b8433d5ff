"""Uploads of the fake Payload: the multipart body Payload reads, the file fields it adds to a
document, and the stored bytes it serves at ``/api/<collection>/file/<filename>``."""

from __future__ import annotations

import email.parser
import email.policy
import json
import struct
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

__all__ = [
    "UploadError",
    "file_fields",
    "multipart_parts",
    "parse_multipart",
    "unique_filename",
]


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class UploadError(Exception):
    """A multipart body Payload would refuse."""


def parse_multipart(
    content_type: str, body: bytes
) -> tuple[dict[str, Any], tuple[str, bytes, str] | None]:
    """The ``_payload`` JSON fields and the ``file`` part of a ``multipart/form-data`` body."""
    data: dict[str, Any] = {}
    file: tuple[str, bytes, str] | None = None
    for name, value in multipart_parts(content_type, body):
        if name == "_payload" and isinstance(value, bytes):
            loaded = json.loads(value or b"{}")
            if not isinstance(loaded, Mapping):
                raise UploadError("_payload is not a JSON object")
            data.update(loaded)
        elif name == "file" and isinstance(value, tuple):
            file = value
    return data, file


def multipart_parts(
    content_type: str, body: bytes
) -> list[tuple[str, bytes | tuple[str, bytes, str]]]:
    """Every part of a ``multipart/form-data`` body: ``(field, bytes)`` for a plain field,
    ``(field, (filename, bytes, content_type))`` for a file."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise UploadError("not a multipart body")
    parts: list[tuple[str, bytes | tuple[str, bytes, str]]] = []
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition") or "")
        raw = part.get_payload(decode=True)
        content = raw if isinstance(raw, bytes) else b""
        filename = part.get_filename()
        if filename is None:
            parts.append((name, content))
        else:
            parts.append((name, (filename, content, part.get_content_type())))
    return parts


def unique_filename(filename: str, taken: set[str]) -> str:
    """``logo.png``, then ``logo-1.png``, ``logo-2.png``... as Payload names duplicates."""
    if filename not in taken:
        return filename
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    n = 1
    while f"{stem}-{n}{dot}{ext}" in taken:
        n += 1
    return f"{stem}-{n}{dot}{ext}"


def file_fields(
    api_prefix: str, slug: str, filename: str, content: bytes, mime: str
) -> dict[str, Any]:
    """The fields Payload sets on an upload document (a PNG's size read from its header)."""
    width = height = None
    if content[:8] == PNG_SIGNATURE and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
    focal = 50 if mime.startswith("image/") else None
    return {
        "filename": filename,
        "mimeType": mime,
        "filesize": len(content),
        "width": width,
        "height": height,
        "focalX": focal,
        "focalY": focal,
        "url": f"{api_prefix}/{slug}/file/{quote(filename)}",
        "thumbnailURL": None,
    }
