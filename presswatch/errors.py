"""The one exception hierarchy of PressWatch.

PressWatchError
 ├── ConfigError            a settings or config/ file is wrong (names the key and a hint)
 ├── NotConfigured          a component cannot run with this configuration; it is left out
 ├── Drop                   a pipeline stage drops a document, with a reason a person can read
 ├── FetchError             a source or page could not be fetched or parsed
 │    └── ExtractionError   a page held no article text worth keeping
 ├── StorageError           the database refused or is not migrated
 ├── ModelError             a shipped model is missing or of the wrong version
 ├── DeliveryError          an e-mail could not be handed to the SMTP server
 └── InputError             a user-supplied file (import, classify input) is malformed

Library code raises these; only the CLI turns them into messages for people.
"""

from __future__ import annotations


class PressWatchError(Exception):
    """Base class of every error PressWatch raises on purpose."""


class ConfigError(PressWatchError):
    """A setting or an operator-edited config file is invalid."""


class NotConfigured(PressWatchError):
    """A component cannot run with the current configuration and is left out."""


class Drop(PressWatchError):
    """A stage drops a document; the message is the reason, kept with the document."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FetchError(PressWatchError):
    """A source or page could not be fetched or parsed."""


class ExtractionError(FetchError):
    """A fetched page held no article text worth keeping."""


class StorageError(PressWatchError):
    """The database refused an operation or is not at the expected schema."""


class ModelError(PressWatchError):
    """A shipped model file is missing, unreadable or of an unexpected version."""


class DeliveryError(PressWatchError):
    """An e-mail could not be delivered to the SMTP server."""


class InputError(PressWatchError):
    """A user-supplied input file is malformed."""
