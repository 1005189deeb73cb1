"""The one exception a stage raises for a record it cannot process."""

from __future__ import annotations


class InputRejected(Exception):
    """A record is unusable (binary, empty, no extractable content, ...).

    Raised by a stage for that record only; the pipeline turns it into a
    `cleaners.record.Quarantined` with the same reason and detail, so the
    record is kept as evidence rather than dropped or crashing the batch.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason  # short machine code, e.g. "binary", "empty"
        self.detail = detail  # human-readable specifics for the quarantine row

    def __reduce__(self) -> tuple[type[InputRejected], tuple[str, str]]:
        # Exceptions pickle via self.args (the joined message); rebuild from
        # the two fields instead so the reason survives process pools.
        return (type(self), (self.reason, self.detail))
