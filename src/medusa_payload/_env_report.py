"""Which environment variables a reader used and which defaults it fell back on.

`EnvRecorder` wraps the environment handed to `Settings.from_env` and notes (and logs at DEBUG)
every variable read; `EnvRecorder.report` then tells, for each, the value used (secrets hidden)
or the default.
Recording what is read, rather than keeping a second list of names, keeps the report true
whatever variables `Settings` comes to read.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterator, Mapping

from pydantic import SecretStr

__all__ = ["EnvRecorder", "shown"]

logger = logging.getLogger("medusa_payload.settings")

_SECRET_ENDINGS = ("_KEY", "_SECRET", "_TOKEN", "_PASSWORD")
#: variables of the TypeScript senders (integrations/), often in the same .env: never a typo
_READ_ELSEWHERE = frozenset({"MEDUSA_WEBHOOK_URL", "PAYLOAD_WEBHOOK_URL"})
_KEY_KIND = re.compile(r"^(pk|sk)_")
_URL_PASSWORD = re.compile(r"(://[^/:@]*:)[^/@]*@")


def shown(name: str, value: object) -> str:
    """``value`` as it may be printed: secrets hidden, passwords in URLs masked."""
    if isinstance(value, SecretStr) or name.endswith(_SECRET_ENDINGS):
        raw = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        kind = _KEY_KIND.match(raw)  # only the kind of a Medusa key, which tells pk_ from sk_
        return f"set (hidden, starts {kind.group(0)})" if kind else "set (hidden)"
    return _URL_PASSWORD.sub(r"\1***@", str(value))


def _default(name: str, defaults: object) -> object:
    lowered = name.lower()
    for candidate in (lowered, lowered.removeprefix("medusa_payload_")):
        value = getattr(defaults, candidate, None)
        if value is not None:
            return value
    return None


class EnvRecorder(Mapping[str, str]):
    """A read-only view of an environment that remembers (and logs at DEBUG, on the
    ``medusa_payload.settings`` logger) each variable looked up.

    Args:
        environ: the environment to read.
        defaults: an object (the `Settings` class) whose attribute ``name.lower()``, or that
            name without ``medusa_payload_``, is the default used when ``name`` is not set.
        log: log each first read (off when another recorder inside already does).
    """

    def __init__(
        self, environ: Mapping[str, str], *, defaults: object = None, log: bool = True
    ) -> None:
        self._environ = environ
        self._defaults = defaults
        self._log = log
        #: name -> the raw value read, or ``None`` when it was not set (or empty)
        self.read: dict[str, str | None] = {}

    def __getitem__(self, name: str) -> str:
        try:
            value: str | None = self._environ[name]
        except KeyError:
            value = None
        first = name not in self.read
        self.read[name] = value or None
        if first and self._log and logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s", self._line(name, 0))
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._environ)

    def __len__(self) -> int:
        return len(self._environ)

    def is_set(self, name: str) -> bool:
        """Whether ``name`` was read and had a non-empty value."""
        return self.read.get(name) is not None

    def misspelled(self) -> dict[str, str]:
        """Set variables that were not read -> the unset variable each probably meant.

        ``MEDUSA_URL`` for ``MEDUSA_BACKEND_URL``: same first and last word, similar spelling,
        and the variable meant is not set (so its default was used).
        """
        unset = [name for name, raw in self.read.items() if raw is None]
        found = {}
        for name, value in self._environ.items():
            if name in self.read or name in _READ_ELSEWHERE or not value or "_" not in name:
                continue
            first, last = name.split("_")[0], name.rsplit("_", 1)[1]
            alike = [u for u in unset if u.split("_")[0] == first and u.endswith(f"_{last}")]
            close = difflib.get_close_matches(name, alike, n=1, cutoff=0.6)
            if close:
                found[name] = close[0]
        return found

    def _line(self, name: str, width: int) -> str:
        raw = self.read.get(name)
        if raw is not None:
            return f"{name:<{width}}  {shown(name, raw)}"
        default = _default(name, self._defaults)
        if default is None:
            return f"{name:<{width}}  not set"
        return f"{name:<{width}}  not set: default {shown(name, default)}"

    def report(self) -> str:
        """One line per variable read: the value used (secrets hidden) or the default; then one
        per probable misspelling (see `misspelled`)."""
        misspelled = self.misspelled()
        width = max((len(name) for name in [*self.read, *misspelled]), default=0)
        lines = [self._line(name, width) for name in self.read]
        lines += [
            f"{name:<{width}}  set but not read: did you mean {meant}?"
            for name, meant in misspelled.items()
        ]
        return "\n".join(lines)
