from enum import StrEnum


class SearchMode(StrEnum):
    ADVANCED = "advanced"
    BASIC = "basic"
    CUSTOM = "custom"

    def __str__(self) -> str:
        return str(self.value)
