"""Personal names in the forms citation styles need.

Experts are stored as one «Имя [Отчество] Фамилия» string (the blog title
declines it); the family name is the last word, as `Expert.surname` has it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    family: str
    given: str = ""

    @classmethod
    def from_full_name(cls, full_name: str) -> Person:
        words = full_name.split()
        if not words:
            return cls(family="")
        return cls(family=words[-1], given=" ".join(words[:-1]))

    @property
    def initials(self) -> str:
        """«Асан» → «А.», «Иван Иванович» → «И. И.», «Анна-Мария» → «А.-М.»."""
        return " ".join(
            "-".join(f"{part[0]}." for part in word.split("-") if part)
            for word in self.given.split()
        )

    @property
    def family_given(self) -> str:
        """«Жакупов, Асан»: the `citation_author`, BibTeX and RIS form."""
        return f"{self.family}, {self.given}" if self.given else self.family

    @property
    def family_initials(self) -> str:
        """«Жакупов А.»: the heading of a GOST reference."""
        return f"{self.family} {self.initials}" if self.initials else self.family

    @property
    def family_comma_initials(self) -> str:
        """«Жакупов, А.»: APA."""
        return f"{self.family}, {self.initials}" if self.initials else self.family

    @property
    def initials_family(self) -> str:
        """«А. Жакупов»: a GOST statement of responsibility."""
        return f"{self.initials} {self.family}" if self.initials else self.family

    @property
    def full_name(self) -> str:
        return f"{self.given} {self.family}".strip()
