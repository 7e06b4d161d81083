from enum import StrEnum


class SearchMode(StrEnum):
    """`custom` (the server's default) uses `search_settings` as given; `basic` and `advanced`
    start from preset settings that `search_settings` overrides.
    """

    ADVANCED = "advanced"
    BASIC = "basic"
    CUSTOM = "custom"

    def __str__(self) -> str:
        return str(self.value)
