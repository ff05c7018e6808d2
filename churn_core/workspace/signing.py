"""Model bundles are signed: one is unpickled only if its HMAC, keyed by a server secret, checks.

Unpickling runs code, so a bundle row someone wrote into the database by hand (or from another
server) must never be loaded. The key is ``SECRET_KEY`` (``app.json`` generates one on Heroku);
on one's own machine a random key is written once to ``workspace/secret.key`` (mode 0600).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from churn_core.errors import ChurnDataError
from churn_core.workspace.faults import refuse

KEY_VARIABLE = "SECRET_KEY"
KEY_FILE = "secret.key"
BAD_SIGNATURE = "bad_signature"


def load_secret_key(folder: Path, *, shared: bool = False) -> bytes:
    """``SECRET_KEY``, else the local key file in ``folder`` (written once, readable by its
    owner only). A ``shared`` database (PostgreSQL) needs ``SECRET_KEY``: a key file would be
    lost with the server's disk (Heroku wipes it daily), and every model with it."""
    from_environment = os.environ.get(KEY_VARIABLE, "")
    if from_environment:
        return from_environment.encode()
    if shared:
        raise refuse(
            "SECRET_KEY is not set, so models saved in a shared database could not be checked "
            "after a restart.",
            "Set SECRET_KEY to a long random text (heroku config:set SECRET_KEY=$(openssl rand "
            "-hex 32)), the same on every server and command line that uses this database.",
            "no_secret_key",
        )
    return _local_key(folder / KEY_FILE)


def _local_key(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # written before (or by another process just now)
        key = path.read_bytes().strip()
        if key:
            return key
        raise refuse(
            f"The workspace's key file {path} is empty.",
            "Delete it and start again (saved models will then have to be trained again).",
            "no_secret_key",
        ) from None
    key = secrets.token_hex(32).encode()
    with os.fdopen(descriptor, "wb") as file:
        file.write(key + b"\n")
    return key


def sign_bundle(key: bytes, bundle: bytes, card: str) -> str:
    """HMAC-SHA256 (hex) of a bundle's bytes and its card's exact text."""
    card_bytes = card.encode()
    message = len(card_bytes).to_bytes(8, "big") + card_bytes + bundle
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def verify_bundle(key: bytes, bundle: bytes, card: str, signature: str, where: str) -> None:
    """Raise ChurnDataError unless ``signature`` is this key's for the bundle and card.

    Called before anything is unpickled; the comparison takes the same time however much of
    the signature matches.
    """
    expected = sign_bundle(key, bundle, card).encode()
    if not hmac.compare_digest(expected, (signature or "").encode()):
        raise _bad(where)


def _bad(where: str) -> ChurnDataError:
    return refuse(
        f"{where[:1].upper()}{where[1:]} is not signed by this server's key: it was changed, "
        "damaged, or saved by a server with another SECRET_KEY, so it is not loaded.",
        "Train the model again, or give every server using this database the same SECRET_KEY.",
        BAD_SIGNATURE,
    )
