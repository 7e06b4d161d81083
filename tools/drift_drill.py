"""The drift drill: a change to the OpenAPI document reaches users, typed, with only a regeneration.

`nox -s drift_drill` (in CI's default set) proves what README's "Changing the API" promises:

1. copies the project to a temporary tree and changes its document as an R2R release would:
   a new top-level RAG field, new keys in the search settings (one nested two levels down) and
   in the generation config, new response fields, new enum values and new stream events, each
   twice, under two sets of names (so that no name is special);
2. runs the generator on the copy (`generator/generate.py`, what `nox -s generate` runs) and
   installs the result into this environment;
3. type-checks, with `mypy --strict`, user code that uses every one of them through the sync,
   async and raw clients (no cast, no ignore; `assert_type` pins each type);
4. runs that code against a mock transport and checks that each new argument went on the wire
   and each new response field and event arrived typed.

It fails the day a document change needs a hand edit in wrapper/ again. Nothing here is run
against the committed tree: it stays as it is.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from string import Template
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("wrapper", "generated", "generator", "openapi", "pyproject.toml", "README.md")
USER_CODE = Path(__file__).with_name("drift_drill_user_code.py.template")


@dataclass(frozen=True)
class Names:
    """One set of names for the kinds of change an upstream release makes."""

    field: str  # a new top-level RAG request field (boolean)
    settings_key: str  # a new key of SearchSettings (boolean)
    nested_key: str  # a new key of HybridSearchSettings, inside search_settings (number)
    generation_key: str  # a new key of GenerationConfig (integer)
    response_field: str  # a new field of the RAG answer (integer)
    mode: str  # a new SearchMode value
    measure: str  # a new IndexMeasure value (search_settings.chunk_settings)
    event: str  # a new stream event with a payload schema
    event_class: str  # the event class the generator names after it
    event_field: str  # the payload's field (integer)


NAME_SETS = (
    Names(
        field="include_sources",
        settings_key="rerank",
        nested_key="rrf_scale",
        generation_key="seed",
        response_field="usage_tokens",
        mode="research",
        measure="dot_product",
        event="usage",
        event_class="UsageEvent",
        event_field="total_tokens",
    ),
    Names(
        field="answer_in_bullets",
        settings_key="dedupe_chunks",
        nested_key="keyword_boost",
        generation_key="beam_width",
        response_field="latency_ms",
        mode="exhaustive",
        measure="manhattan_distance",
        event="progress_report",
        event_class="ProgressReportEvent",
        event_field="percent_done",
    ),
)


def change_document(document: dict[str, Any], names: Names) -> None:
    """The upstream release: every kind of change, under `names`."""
    schemas = document["components"]["schemas"]
    schemas["RAGRequest"]["properties"][names.field] = {
        "type": "boolean",
        "description": f"A new request field ({names.field}).",
    }
    schemas["SearchSettings"]["properties"][names.settings_key] = {"type": "boolean"}
    schemas["HybridSearchSettings"]["properties"][names.nested_key] = {"type": "number"}
    schemas["GenerationConfig"]["properties"][names.generation_key] = {"type": "integer"}
    schemas["RAGResponse"]["properties"][names.response_field] = {"type": "integer"}
    schemas["SearchMode"]["enum"].append(names.mode)
    schemas["IndexMeasure"]["enum"].append(names.measure)
    payload = f"RAG{''.join(p.title() for p in names.event.split('_'))}EventData"
    schemas[payload] = {
        "type": "object",
        "description": f"Data of the `{names.event}` event.",
        "required": [names.event_field],
        "properties": {names.event_field: {"type": "integer"}},
    }
    rag = document["paths"]["/v3/retrieval/rag"]["post"]
    stream = rag["responses"]["200"]["content"]["text/event-stream"]["schema"]
    stream["properties"]["event"]["enum"].append(names.event)
    stream["oneOf"].append(
        {
            "properties": {
                "event": {"const": names.event},
                "data": {
                    "contentMediaType": "application/json",
                    "contentSchema": {"$ref": f"#/components/schemas/{payload}"},
                },
            }
        }
    )


def _run(step: str, command: list[str], cwd: Path | None = None) -> str:
    print(f"-- {step}", flush=True)
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        sys.stdout.write(result.stdout + result.stderr)
        raise SystemExit(f"drift drill failed at: {step}")
    return result.stdout


def user_code() -> str:
    """The user code of the drill, once per name set."""
    template = Template(USER_CODE.read_text(encoding="utf-8"))
    header, _, body = template.template.partition("# -- per name set --\n")
    parts = [header]
    for index, names in enumerate(NAME_SETS):
        parts.append(Template(body).substitute(asdict(names), n=index))
    parts.append(
        "\n\nif __name__ == '__main__':\n"
        "    print(json.dumps(["
        + ", ".join(f"drill_{i}()" for i in range(len(NAME_SETS)))
        + "]))\n"
    )
    return "".join(parts)


def check_results(results: list[dict[str, Any]]) -> list[str]:
    """What the drill's user code saw, against what each change should have done."""
    problems = []
    for names, seen in zip(NAME_SETS, results, strict=True):
        for body in seen["bodies"]:
            if body.get(names.field) is not True:
                problems.append(f"{names.field} did not go on the wire: {body}")
            settings = body.get("search_settings") or {}
            if settings.get(names.settings_key) is not True:
                problems.append(f"search_settings.{names.settings_key} missing: {body}")
            if (settings.get("hybrid_settings") or {}).get(names.nested_key) != 0.5:
                problems.append(f"search_settings.hybrid_settings.{names.nested_key}: {body}")
            if (settings.get("chunk_settings") or {}).get("index_measure") != names.measure:
                problems.append(f"chunk_settings.index_measure {names.measure}: {body}")
            if (body.get("rag_generation_config") or {}).get(names.generation_key) != 7:
                problems.append(f"rag_generation_config.{names.generation_key} missing: {body}")
            if body.get("search_mode") != names.mode:
                problems.append(f"search_mode {names.mode} missing: {body}")
        if seen["response_field"] != [11, 11, 11]:
            problems.append(f"{names.response_field} did not arrive: {seen['response_field']}")
        if seen["event_field"] != [12, 12]:
            problems.append(f"the {names.event} event did not arrive typed: {seen['event_field']}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary tree")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="r2r-drift-drill-"))
    try:
        tree = tmp / "project"
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, tree / name)
        from ruamel.yaml import YAML  # type: ignore[import-not-found,unused-ignore]  # generator pins

        document = YAML(typ="safe", pure=True).load((tree / "openapi" / "r2r-v3.yaml").read_text())
        for names in NAME_SETS:
            change_document(document, names)
        changed = tree / "openapi" / "r2r-v3.yaml"
        changed.write_text(json.dumps(document, indent=1), encoding="utf-8")  # JSON is YAML
        python = sys.executable
        _run(
            "nox -s generate, on the changed copy",
            [python, str(tree / "generator" / "generate.py")],
        )
        _run(
            "install the regenerated package",
            [python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
             "--force-reinstall", str(tree)],
        )  # fmt: skip
        drill = tmp / "user"
        drill.mkdir()
        code = drill / "drill_usage.py"
        code.write_text(user_code(), encoding="utf-8")
        mypy = str(Path(python).parent / "mypy")
        _run("mypy --strict on user code using every change", [mypy, "--strict", code.name], drill)
        results = json.loads(_run("run the user code", [python, code.name], drill))
        problems = check_results(results)
        if problems:
            print("\n".join(problems))
            raise SystemExit("drift drill failed: a change did not reach users")
        for names in NAME_SETS:
            print(f"ok: {', '.join(f'{k}={v}' for k, v in asdict(names).items())}")
        print("drift drill passed: every change reached users typed, with no hand edit")
        return 0
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
