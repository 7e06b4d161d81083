"""Validate an OpenAPI document; exit non-zero on any error."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import validate


class _StrictLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate keys (other readers silently keep the last one)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def main(path: str) -> int:
    spec = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_StrictLoader)
    validate(spec)
    print(f"{path}: valid OpenAPI {spec['openapi']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
