from enum import StrEnum


class IndexMeasure(StrEnum):
    """The distance measure of the vector index."""

    COSINE_DISTANCE = "cosine_distance"
    HAMMING_DISTANCE = "hamming_distance"
    JACCARD_DISTANCE = "jaccard_distance"
    L1_DISTANCE = "l1_distance"
    L2_DISTANCE = "l2_distance"
    MAX_INNER_PRODUCT = "max_inner_product"

    def __str__(self) -> str:
        return str(self.value)
