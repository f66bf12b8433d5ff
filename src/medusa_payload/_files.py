"""Files sent to the servers: what callers may pass, and the multipart body built from it.

Sans-I/O: `multipart_body` returns the bytes and the ``content-type`` header; the clients send
them like any other body.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

__all__ = ["FileInput", "FilePart", "file_part", "multipart_body"]

FilePart = tuple[str, bytes, str]
"""``(filename, content, content_type)``."""

FileInput = bytes | str | os.PathLike[str] | FilePart
"""A file to upload: its bytes, a path to read, or ``(filename, bytes, content_type)``."""

DEFAULT_FILENAME = "upload"
DEFAULT_CONTENT_TYPE = "application/octet-stream"


def _guess_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or DEFAULT_CONTENT_TYPE


def file_part(file: FileInput) -> FilePart:
    """Normalise a `FileInput` to ``(filename, content, content_type)``.

    Bytes get the name ``upload`` and ``application/octet-stream``; a path keeps its file name
    and a type guessed from it.

    Raises:
        TypeError: not one of the accepted forms (a tuple of the wrong shape included).
        FileNotFoundError: a path that does not exist.
    """
    if isinstance(file, bytes | bytearray):
        return DEFAULT_FILENAME, bytes(file), DEFAULT_CONTENT_TYPE
    if isinstance(file, str | os.PathLike):
        path = Path(file)
        return path.name, path.read_bytes(), _guess_type(path.name)
    if (
        isinstance(file, tuple)
        and len(file) == 3
        and isinstance(file[0], str)
        and isinstance(file[1], bytes | bytearray)
        and isinstance(file[2], str)
    ):
        return file[0], bytes(file[1]), file[2]
    raise TypeError(
        f"file must be bytes, a path, or (filename, bytes, content_type); got {type(file).__name__}"
    )


def multipart_body(
    fields: Mapping[str, str], files: Sequence[tuple[str, FilePart]]
) -> tuple[bytes, dict[str, str]]:
    """A ``multipart/form-data`` body of text ``fields`` and ``(field name, FilePart)`` files.

    Returns the body and its ``content-type`` header (with the boundary).
    """
    request = httpx.Request(
        "POST", "http://multipart.invalid/", data=dict(fields), files=list(files)
    )
    return request.read(), {"content-type": request.headers["content-type"]}
