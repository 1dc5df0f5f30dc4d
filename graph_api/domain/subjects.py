"""A market subject as the rules see it: an entity by its USCC or a person by the keyed hash of the
identity number (never the number itself)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    entity: str | None = None  # USCC
    person: str | None = None  # key hash of the identity number

    def __post_init__(self) -> None:
        if (self.entity is None) == (self.person is None):
            raise ValueError("a subject is an entity or a person, exactly one")

    @property
    def party(self) -> str:
        """The subject's key in history and audit entries."""
        if self.entity is not None:
            return self.entity
        assert self.person is not None  # __post_init__: exactly one is set
        return self.person

    def params(self, prefix: str) -> dict[str, str | None]:
        """`{prefix}Entity` and `{prefix}Person` statement parameters: one is the key, the other null."""
        return {f"{prefix}Entity": self.entity, f"{prefix}Person": self.person}
