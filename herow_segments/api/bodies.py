"""Request bodies before parsing: their size, chunked transfer and gzip.

Django reads a body only as far as its Content-Length says, so a chunked
body would read as empty. When the server has already decoded the chunks
(it says so with `wsgi.input_terminated`, as gunicorn does) the body is
read from the server's stream up to the size limit; otherwise the request
gets a 411 that asks for a Content-Length.

`Content-Encoding: gzip` bodies, which SDKs and batch senders use to save
bandwidth, are inflated chunk by chunk, and the size limit applies to the
inflated body, so a small compressed body cannot expand without bound.
"""

import tempfile
import zlib

from herow_segments.api.errors import ApiError, body_too_large

CHUNK_BYTES = 64 * 1024
# Bodies up to this size stay in memory; larger inflated bodies (CSV
# imports) spill to a temporary file.
IN_MEMORY_BYTES = 8 * 1024 * 1024
IDENTITY = frozenset(("", "identity"))


def prepare_body(request, limit: int) -> None:
    """Check the body of a request and make it readable as sent.

    request is Django's HttpRequest; it must not have been read yet.
    """
    meta = request.META
    chunked = "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()
    length = declared_length(meta)
    if not length and not chunked:
        return
    if length > limit:
        raise too_large(limit)
    encoding = meta.get("HTTP_CONTENT_ENCODING", "").strip().lower()
    if encoding not in IDENTITY and encoding != "gzip":
        raise ApiError(
            415,
            "unsupported_encoding",
            f"Content-Encoding {encoding[:40]!r} is not supported; send the body "
            "as it is or compressed with gzip.",
        )
    if chunked and not meta.get("CONTENT_LENGTH"):
        source = read_chunked(meta, limit)
    elif encoding == "gzip":
        source = request
    else:
        source = None
    if source is not None:
        replace_body(request, inflate(source, limit) if encoding == "gzip" else source)
    if not is_multipart(meta):
        keep_body(request, limit)


def is_multipart(meta: dict) -> bool:
    return meta.get("CONTENT_TYPE", "").lower().startswith("multipart/")


def keep_body(request, limit: int) -> None:
    """Read the body now, so the API's own limit is the one that applies.

    DRF reads a JSON body through request.body, which Django caps at
    DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), below API_MAX_BODY_BYTES; a body
    read here is not checked again. Multipart uploads (CSV imports) stay a
    stream, read in chunks by their parser.
    """
    body = request.read(limit + 1)
    if len(body) > limit:
        raise too_large(limit)
    request._body = body


def declared_length(meta: dict) -> int:
    text = meta.get("CONTENT_LENGTH") or "0"
    if not (text.isascii() and text.isdigit()):
        raise ApiError(
            400, "bad_request", "Content-Length must be a whole number of bytes."
        )
    return int(text)


def read_chunked(meta: dict, limit: int):
    """Return the body of a chunked request the server already decoded."""
    if not meta.get("wsgi.input_terminated"):
        raise ApiError(
            411,
            "length_required",
            "Send the body with a Content-Length header; this server cannot "
            "read a chunked body.",
        )
    stream = meta["wsgi.input"]
    body = spool()
    size = 0
    while chunk := stream.read(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        body.write(chunk)
    body.seek(0)
    return body


def inflate(source, limit: int):
    """Return the gzip body of source inflated, refusing more than limit bytes."""
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    body = spool()
    size = 0
    try:
        while compressed := source.read(CHUNK_BYTES):
            while compressed:
                # Bounded steps: one chunk of a crafted body can inflate to
                # gigabytes.
                piece = decompressor.decompress(compressed, CHUNK_BYTES)
                size += len(piece)
                if size > limit:
                    raise too_large(limit)
                body.write(piece)
                compressed = decompressor.unconsumed_tail
            if decompressor.eof:
                break
    except zlib.error:
        raise ApiError(
            400,
            "invalid_encoding",
            "The body says Content-Encoding: gzip but is not valid gzip data.",
        ) from None
    if not decompressor.eof:
        raise ApiError(
            400,
            "invalid_encoding",
            "The gzip body ends before its end; send the whole body.",
        )
    body.seek(0)
    return body


def spool():
    return tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)


def replace_body(request, body) -> None:
    """Make the Django request read body, with a Content-Length to match."""
    size = body.seek(0, 2)
    body.seek(0)
    request._stream = body
    request._read_started = False
    request.META["CONTENT_LENGTH"] = str(size)
    request.META.pop("HTTP_CONTENT_ENCODING", None)


def too_large(limit: int) -> ApiError:
    error = body_too_large()
    error.details = {"limit_bytes": limit}
    return error
