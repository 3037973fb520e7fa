"""Ids for per-session autosaves that only this server can issue.

A session's autosave is addressed by an id in the page address (``?session=<id>``). If any
well-formed id were accepted, someone could send a colleague an address with an id they chose
and then read or overwrite that colleague's work ("session fixation"). So an id is 24 random
characters followed by 16 characters of an HMAC-SHA256 over them under a server secret: the
server recognises its own ids and refuses made-up ones.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

RANDOM_CHARS = 24
MAC_CHARS = 16
ID_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{{RANDOM_CHARS + MAC_CHARS}}}")
MIN_SECRET_BYTES = 16


def issue(secret: bytes) -> str:
    """A new id signed with ``secret``: 40 URL-safe characters."""
    random_part = secrets.token_urlsafe(18)  # 18 bytes -> 24 characters, no padding
    return random_part + _mac(random_part, secret)


def is_issued(text: object, secret: bytes) -> bool:
    """Whether ``text`` is an id :func:`issue` made with ``secret`` (constant-time check)."""
    if not isinstance(text, str) or ID_PATTERN.fullmatch(text) is None:
        return False
    random_part, mac = text[:RANDOM_CHARS], text[RANDOM_CHARS:]
    return hmac.compare_digest(mac, _mac(random_part, secret))


def _mac(random_part: str, secret: bytes) -> str:
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the session secret must be at least {MIN_SECRET_BYTES} bytes")
    digest = hmac.new(secret, random_part.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:MAC_CHARS]


def load_or_create_secret(path: Path) -> bytes:
    """The secret kept in ``path``, created (random, owner-only) if there is none yet.

    Several server processes sharing one data folder race to create it; exactly one wins (a
    hard link never replaces an existing file) and all then read the same secret.
    Raises OSError when the folder cannot be read or written.
    """
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32).hex().encode("ascii"))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temp, path)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        secret = handle.read(4096).strip()
    if len(secret) < MIN_SECRET_BYTES:
        raise OSError(f"the session secret in {path} is shorter than {MIN_SECRET_BYTES} bytes")
    return secret
