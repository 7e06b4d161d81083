"""The `r2r-client` command: the three calls from a shell, on the standard library only.

    r2r-client completion "What is the capital of France?" --model openai/gpt-4.1-mini
    r2r-client rag "Who invented the Zorblax protocol?" --stream
    r2r-client metadata replace DOCUMENT_ID --set source=cli --set reviewed=true
    r2r-client --json rag "..." | jq .results.citations
    r2r-client rag "..." --field search_settings.use_hybrid_search=true --field search_mode=advanced

The server and key come from `--base-url`/`--api-key` or `R2R_API_BASE`/`R2R_API_KEY`.
Errors are one line on stderr; the exit status says what went wrong (see `EXIT_CODES`).
`--field PATH=VALUE` reaches every field of the request, typed by the OpenAPI document the
package ships: a field the document gains needs no change here.

Only the standard library is imported until a command runs: `--help` and argument errors cost
no more than argparse.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeVar

from ._defaults import DEFAULT_MAX_RETRIES
from ._version import __version__

if TYPE_CHECKING:
    from ._client import R2RClient
    from ._response import APIResponse

PROG = "r2r-client"
EXIT_CODES = {
    0: "success",
    1: "internal error (a bug: please report it)",
    2: "usage: a bad option or argument",
    3: "client-side validation: the request was refused before it was sent",
    4: "the server answered 4xx",
    5: "the server answered 5xx, could not be reached, or broke off its answer",
    130: "interrupted (Ctrl-C)",
}
"""Every exit status of the command and what it means."""
_EXCERPT = 100


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line like every other error of the command."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see: {self.prog} --help)\n")


class _Output:
    """Standard output, flushed on demand, remembering whether a line is left open."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self.open_line = False

    def write(self, text: str) -> None:
        if text:
            self._stream.write(text)
            self.open_line = not text.endswith("\n")

    def flush(self) -> None:
        self._stream.flush()

    def finish_line(self) -> None:
        """End a half-printed streamed answer, so that what follows starts on its own line."""
        if self.open_line:
            self.write("\n")
        self.flush()


class _UsageError(Exception):
    """A problem with the command line found after parsing (e.g. an unreadable --json FILE)."""


# -- argument types -------------------------------------------------------------------------


def _positive_float(text: str) -> float:
    try:
        value = float(text)
        if 0 < value < float("inf"):  # NaN is not
            return value
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")


def _count(text: str) -> int:
    try:
        value = int(text)
        if value >= 0:
            return value
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}")


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not JSON ({exc}): {text!r}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"expected a JSON object, got {text!r}")
    return value


def _field(text: str) -> tuple[str, str]:
    path, equals, value = text.partition("=")
    if not equals or not path or "" in path.split("."):
        raise argparse.ArgumentTypeError(
            f"expected PATH=VALUE (e.g. search_settings.limit=5), got {text!r}"
        )
    return path, value


def _key_value(text: str) -> tuple[str, Any]:
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:  # numbers, true/false/null, lists and objects as JSON; anything else as a string
        return key, json.loads(value)
    except ValueError:
        return key, value


# -- the parser -----------------------------------------------------------------------------


def _add_common(parser: argparse.ArgumentParser, *, top: bool, json_output: bool) -> None:
    """Options accepted before the sub-command and after it (where they do not clash)."""
    default: Any = None if top else argparse.SUPPRESS
    group = parser.add_argument_group("connection")
    group.add_argument(
        "--base-url",
        default=default,
        metavar="URL",
        help="the server (default: $R2R_API_BASE, else the hosted service)",
    )
    group.add_argument(
        "--api-key",
        default=default,
        metavar="KEY",
        help="the API key (default: $R2R_API_KEY; prefer the variable: other users of this "
        "machine can see a command line)",
    )
    group.add_argument(
        "--auth-header",
        choices=["bearer", "x-api-key"],
        default="bearer" if top else argparse.SUPPRESS,
        help="send the key as 'Authorization: Bearer' (default) or as 'X-API-Key'",
    )
    group.add_argument(
        "--timeout",
        type=_positive_float,
        default=default,
        metavar="SECONDS",
        help="timeout of each request (default: 5 s to connect, 300 s to read)",
    )
    group.add_argument(
        "--max-retries",
        type=_count,
        default=DEFAULT_MAX_RETRIES if top else argparse.SUPPRESS,
        metavar="N",
        help=f"retries of a failed request (default: {DEFAULT_MAX_RETRIES})",
    )
    if json_output:
        parser.add_argument(
            "--json",
            action="store_true",
            default=False if top else argparse.SUPPRESS,
            help="print the answer as the server sent it (a stream: one event per line)",
        )


def _add_generation(parser: argparse.ArgumentParser, example: str) -> None:
    parser.add_argument("--model", help="the LLM, e.g. openai/gpt-4.1-mini")
    parser.add_argument("--temperature", type=float, metavar="T")
    parser.add_argument("--max-tokens", type=_count, metavar="N")
    parser.add_argument(
        "--field",
        dest="fields",
        type=_field,
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help=f"any field of the request, by its dotted path (repeat it), e.g. {example}; VALUE "
        "is typed as the API document says (text stays text, numbers, booleans, lists and "
        "objects are read as JSON)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The command's argument parser (its `--help` is the reference of the command)."""
    parser = _Parser(
        prog=PROG,
        description="Call an R2R v3 server: completion, RAG (streamed or not), metadata.",
        epilog="exit status: "
        + "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items())
        + ". R2R_LOG=info|debug logs each request on stderr (credentials masked).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _add_common(parser, top=True, json_output=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    completion = commands.add_parser(
        "completion", help="a chat completion (no retrieval)", description="A chat completion."
    )
    completion.add_argument("question", metavar="QUESTION")
    completion.add_argument("--system", metavar="TEXT", help="a system message before it")
    _add_generation(completion, "generation_config.top_p=0.9")
    _add_common(completion, top=False, json_output=True)
    completion.set_defaults(run=_completion)

    rag = commands.add_parser(
        "rag",
        help="a retrieval-augmented answer with citations",
        description="A retrieval-augmented answer, then its citations.",
    )
    rag.add_argument("question", metavar="QUESTION")
    rag.add_argument(
        "--stream", action="store_true", help="print the answer as it arrives, then citations"
    )
    rag.add_argument("--limit", type=_count, metavar="N", help="search results to retrieve")
    rag.add_argument(
        "--filter",
        type=_json_object,
        metavar="JSON",
        help='search filters, e.g. \'{"document_id": {"$eq": "<uuid>"}}\'',
    )
    _add_generation(rag, "search_settings.use_hybrid_search=true")
    _add_common(rag, top=False, json_output=True)
    rag.set_defaults(run=_rag)

    metadata = commands.add_parser(
        "metadata", help="document metadata", description="Document metadata."
    )
    metadata_commands = metadata.add_subparsers(dest="action", required=True, metavar="ACTION")
    replace = metadata_commands.add_parser(
        "replace",
        help="replace a document's whole metadata",
        description="Replace a document's whole metadata. To print the result as JSON, put "
        "--json before the sub-command: r2r-client --json metadata replace ...",
    )
    replace.add_argument("document_id", metavar="DOCUMENT_ID")
    source = replace.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--set",
        dest="pairs",
        type=_key_value,
        action="append",
        metavar="KEY=VALUE",
        help="one metadata entry (repeat it); VALUE is read as JSON when it is JSON "
        "(3, true, null, [...]), else as text",
    )
    source.add_argument(
        "--json",
        dest="json_file",
        metavar="FILE",
        help="the metadata as JSON: an object, or an array of objects merged in order "
        "('-': standard input)",
    )
    _add_common(replace, top=False, json_output=False)
    replace.set_defaults(run=_replace_metadata)
    return parser


# -- the commands ---------------------------------------------------------------------------


def _generation_config(args: argparse.Namespace) -> dict[str, Any] | None:
    config = {
        name: value
        for name, value in (
            ("model", args.model),
            ("temperature", args.temperature),
            ("max_tokens", args.max_tokens),
        )
        if value is not None
    }
    return config or None


def _completion(client: R2RClient, args: argparse.Namespace, out: _Output) -> None:
    messages = [{"role": "user", "content": args.question}]
    if args.system is not None:
        messages.insert(0, {"role": "system", "content": args.system})
    kwargs = _with_fields(
        {"messages": messages, "generation_config": _generation_config(args)},
        "completion",
        args.fields,
    )
    results = _Results(client.with_raw_response.retrieval.completion(**kwargs))
    if args.json:
        _print_json(results.answer, out)
        return
    choices = results.get(list, "choices")
    text = ""  # no choice, or a null content: an empty line
    if choices:
        first = results.expect(dict, choices[0], "results.choices[0]")
        message = results.expect(dict, first.get("message"), "results.choices[0].message")
        text = message.get("content") or ""
    out.write(f"{text}\n")


def _rag(client: R2RClient, args: argparse.Namespace, out: _Output) -> None:
    settings: dict[str, Any] = {}
    if args.limit is not None:
        settings["limit"] = args.limit
    if args.filter is not None:
        settings["filters"] = args.filter
    kwargs = _with_fields(
        {
            "query": args.question,
            "rag_generation_config": _generation_config(args),
            "search_settings": settings or None,
        },
        "rag",
        args.fields,
    )
    config = kwargs.get("rag_generation_config")
    if args.stream or (isinstance(config, dict) and config.get("stream") is True):
        _rag_stream(client, kwargs, json_lines=args.json, out=out)  # --stream, or --field
        return
    raw = client.with_raw_response.retrieval.rag(**kwargs)  # not a stream: see above
    results = _Results(raw)
    if args.json:
        _print_json(results.answer, out)
        return
    answer = results.get(str, "generated_answer")
    cited = results.get_optional(list, "citations") or []
    out.write(f"{answer}\n")
    _print_citations([c for c in cited if isinstance(c, dict)], out)


def _rag_stream(
    client: R2RClient, kwargs: dict[str, Any], *, json_lines: bool, out: _Output
) -> None:
    from .events import CitationEvent, FinalAnswerEvent, MessageEvent, UnknownEvent

    stream = client.retrieval.rag(**kwargs, stream=True)
    cited: list[dict[str, Any]] = []
    final: list[dict[str, Any]] | None = None
    with stream:  # closes the connection whatever happens, Ctrl-C included
        for event in stream:
            if json_lines:  # an unknown event keeps its wire name
                if isinstance(event, UnknownEvent):
                    line = {"event": event.name, "data": event.data}
                else:
                    line = {"event": event.event, "data": event.raw}
                out.write(json.dumps(line) + "\n")  # parsed JSON
                out.flush()
            elif isinstance(event, MessageEvent):
                out.write(event.text)
                out.flush()
            elif isinstance(event, CitationEvent):
                cited.append(event.raw)
            elif isinstance(event, FinalAnswerEvent):
                final = [c for c in event.raw.get("citations") or [] if isinstance(c, dict)]
    if not json_lines:
        out.write("\n")
        _print_citations(final if final is not None else cited, out)


def _with_fields(
    kwargs: dict[str, Any], operation_id: str, fields: list[tuple[str, str]]
) -> dict[str, Any]:
    """The call's arguments with every `--field` merged in, typed by the document."""
    if not fields:
        return kwargs
    from ._cli_fields import FieldError, field_value, merge_field

    try:
        for path, text in fields:
            merge_field(kwargs, path, field_value(operation_id, path, text))
    except FieldError as exc:
        raise _UsageError(str(exc)) from None
    return kwargs


def _replace_metadata(client: R2RClient, args: argparse.Namespace, out: _Output) -> None:
    if args.pairs is not None:
        metadata: Any = [dict(args.pairs)]
    else:
        metadata = _read_json_file(args.json_file)
        if isinstance(metadata, dict):
            metadata = [metadata]
    results = _Results(
        client.with_raw_response.documents.replace_metadata(args.document_id, metadata)
    )
    if args.json:
        _print_json(results.answer, out)
        return
    document_id, title = results.get(str, "id"), results.get_optional(str, "title")
    metadata = results.get(dict, "metadata")  # all read before anything is printed
    named = f" ({title})" if title else ""
    out.write(f"Replaced the metadata of {document_id}{named}:\n")
    _print_json(metadata, out)


class _Results:
    """The server's JSON answer as it came, and its `results` object, for printing.

    The command prints the answer rather than using it, so it reads the JSON and builds no
    models: attrs and the generated models would be most of a one-shot command's own start-up.
    A missing or mistyped field is an APIResponseValidationError naming it, as with the models.
    """

    def __init__(self, response: APIResponse[Any]) -> None:
        from ._response import parse_json

        self._http = response.http_response
        self.answer: Any = parse_json(self._http, lambda body: body)
        self.answer = self.expect(dict, self.answer, "the answer")
        self.results = self.expect(dict, self.answer.get("results"), "results")

    def get(self, kind: type[T], name: str) -> T:
        """`results.<name>`, of type `kind`."""
        return self.expect(kind, self.results.get(name), f"results.{name}")

    def get_optional(self, kind: type[T], name: str) -> T | None:
        """`results.<name>`, of type `kind`, or None when it is missing or null."""
        value = self.results.get(name)
        return None if value is None else self.expect(kind, value, f"results.{name}")

    def expect(self, kind: type[T], value: object, where: str) -> T:
        if isinstance(value, kind):
            return value
        from .errors import APIResponseValidationError

        raise APIResponseValidationError(
            f"the response body does not fit the API's schema: {where}: expected "
            f"{kind.__name__}, got {type(value).__name__}",
            response=self._http,
            body=self.answer,
        )


T = TypeVar("T")


def _read_json_file(name: str) -> Any:
    try:
        if name == "-":
            text = sys.stdin.read()
        else:
            with open(name, encoding="utf-8") as file:
                text = file.read()
        return json.loads(text)
    except OSError as exc:
        raise _UsageError(f"--json {name}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise _UsageError(f"--json {name}: not JSON ({exc})") from None


# -- output ---------------------------------------------------------------------------------


def _print_json(value: object, out: _Output) -> None:
    out.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def _print_citations(citations: Sequence[dict[str, Any]], out: _Output) -> None:
    if not citations:
        return
    out.write("\nCitations:\n")
    for citation in citations:
        payload = citation.get("payload")
        text = payload.get("text") if isinstance(payload, dict) else None
        line = " ".join(str(text).split()) if text else ""
        if len(line) > _EXCERPT:
            line = line[: _EXCERPT - 1] + "…"
        out.write(f"  [{citation.get('id')}] {line}".rstrip() + "\n")


def _error_line(exc: BaseException) -> str:
    from .errors import APIStatusError, R2RError

    if isinstance(exc, APIStatusError):
        line = f"{exc.status_code} {exc.message}"
        if exc.request_id:
            line += f" (request id {exc.request_id})"
    elif isinstance(exc, R2RError):
        line = exc.message
    else:
        line = f"internal error: {type(exc).__name__}: {exc}"
    return " ".join(line.split())


def _advice(exc: BaseException) -> str | None:
    """The command's own words where the client's advice is about Python arguments."""
    from ._status import NO_CREDENTIALS_ADVICE
    from .errors import AuthenticationError, InvalidRequestError

    if isinstance(exc, InvalidRequestError) and exc.field == "generation_config.model":
        return (
            "generation_config.model: R2R 3.6.6 has no default model for completion: give one "
            "with --model (e.g. --model openai/gpt-4.1-mini)"
        )
    if isinstance(exc, AuthenticationError) and exc.message == NO_CREDENTIALS_ADVICE:
        return "401 no credentials were sent: give an API key with --api-key or R2R_API_KEY"
    return None


def _exit_code(exc: BaseException) -> int:
    from .errors import APIStatusError, ConfigurationError, InvalidRequestError, R2RError

    if isinstance(exc, (InvalidRequestError, ConfigurationError)):
        return 3
    if isinstance(exc, APIStatusError):
        return 4 if exc.status_code < 500 else 5
    if isinstance(exc, R2RError):
        return 5  # no answer, a broken one, or the server's error event: the server side
    return 1


def _one_line_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    line: str | None = None,
) -> str:
    return f"warning: {message}\n"


# -- entry point ----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with `argv` (default: `sys.argv[1:]`); returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from ._masking import MASK  # from here on the client is needed anyway

    key = args.api_key or os.environ.get("R2R_API_KEY") or ""
    hide: Callable[[str], str] = (lambda text: text.replace(key, MASK)) if key else str
    warnings.formatwarning = _one_line_warning
    out = _Output(sys.stdout)
    try:
        from ._client import R2RClient
        from ._types import NOT_GIVEN

        with R2RClient(
            args.base_url,
            NOT_GIVEN if args.timeout is None else args.timeout,
            api_key=args.api_key,
            auth_header=args.auth_header,
            max_retries=args.max_retries,
        ) as client:
            args.run(client, args, out)
        out.flush()
    except KeyboardInterrupt:
        out.finish_line()
        return 130
    except BrokenPipeError:  # e.g. `| head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except _UsageError as exc:
        command = " ".join(filter(None, [PROG, args.command, getattr(args, "action", None)]))
        sys.stderr.write(hide(f"error: {exc} (see: {command} --help)") + "\n")
        return 2
    except Exception as exc:
        out.finish_line()
        from .errors import R2RError

        if os.environ.get("R2R_LOG", "").strip().lower() == "debug" and not isinstance(
            exc, R2RError
        ):
            sys.stderr.write(hide("".join(traceback.format_exception(exc))))
        sys.stderr.write(hide(f"error: {_advice(exc) or _error_line(exc)}") + "\n")
        return _exit_code(exc)
    return 0
