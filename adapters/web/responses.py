"""Responses the web shares: a whole JSON answer, streamed in chunks (an answer can run to megabytes; it is
encoded as it is sent, never held twice) unless it fits in one, and a download with its file name."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import chain
from typing import Any, Final

from fastapi.responses import Response, StreamingResponse

__all__ = ["MEDIA", "download", "whole_json"]

_CHUNK: Final = 64 * 1024
MEDIA: Final = {"html": "text/html; charset=utf-8", "markdown": "text/markdown; charset=utf-8",
                "json": "application/json", "csv": "text/csv; charset=utf-8", "pdf": "application/pdf",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
_SUFFIX: Final = {"html": "html", "markdown": "md", "json": "json", "csv": "csv", "pdf": "pdf", "docx": "docx"}


def _chunks(data: Any) -> Iterator[bytes]:
    buffer: list[str] = []
    size = 0
    for part in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data):
        buffer.append(part)
        size += len(part)
        if size >= _CHUNK:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    buffer.append("\n")
    yield "".join(buffer).encode()


def whole_json(data: Any, status: int = 200) -> Response:
    """`data` as the command line prints it (`json.dumps(…, indent=2, ensure_ascii=False)`): sent whole when it fits
    in one chunk (most answers: no trip to a thread per chunk), else streamed."""
    chunks = _chunks(data)
    first = next(chunks)
    second = next(chunks, None)
    if second is None:
        return Response(first, status_code=status, media_type="application/json")
    return StreamingResponse(chain((first, second), chunks), status_code=status, media_type="application/json")


def download(text: str | bytes, output: str, stem: str, *, attachment: bool = True) -> Response:
    """`text` in format `output` (html, markdown, json, csv, pdf, docx), as a file named `STEM.SUFFIX` to save
    (or, with `attachment=False`, to show)."""
    disposition = "attachment" if attachment else "inline"
    return Response(text, media_type=MEDIA[output],
                    headers={"Content-Disposition": f'{disposition}; filename="{stem}.{_SUFFIX[output]}"'})
