"""A tour of r2r_client: completion, RAG with citations, a live stream, metadata replace.

`R2R_API_BASE` and `R2R_API_KEY` select the server (the hosted service by default);
`R2R_DEMO_DOCUMENT_ID` names the document whose metadata is replaced. `python
examples/run_demo.py` runs this against a local fake server when no server is configured.
"""

from __future__ import annotations

import os
import sys

from r2r_client import R2RClient, R2RError
from r2r_client.params import CompletionGenerationConfigParam, MessageParam

# Typed as the client's parameters: a misspelt key here is a type error.
MESSAGES: list[MessageParam] = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "What is the capital of France?"},
    {"role": "assistant", "content": "The capital of France is Paris."},
    {"role": "user", "content": "What about Italy?"},
]
GENERATION_CONFIG: CompletionGenerationConfigParam = {
    "model": "hosted_vllm/openai/gpt-oss-120b",
    "temperature": 0.7,
    "max_tokens": 150,
    "stream": False,
}
QUESTION = "Who invented the Zorblax protocol?"


def heading(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 60 - len(title)))


def main() -> int:
    with R2RClient() as client:
        print(f"Server: {client.base_url}")

        heading("Completion")
        completion = client.retrieval.completion(
            messages=MESSAGES, generation_config=GENERATION_CONFIG
        )
        print(completion.results.choices[0].message.content)

        heading("RAG with citations")
        rag = client.retrieval.rag(query=QUESTION)
        print(rag.results.generated_answer)
        for citation in rag.results.citations or []:
            payload = citation.payload  # the cited chunk, a dict (None when cited before)
            text = " ".join(str(payload.get("text", "")).split()) if payload else ""
            print(f"  [{citation.id}] {text[:100]}{'…' if len(text) > 100 else ''}")

        heading("Streamed RAG, printed as it arrives")
        with client.retrieval.rag(query=QUESTION, stream=True) as stream:
            cited: list[str] = []
            for event in stream:
                if event.event == "message":
                    print(event.text, end="", flush=True)
                elif event.event == "citation":
                    cited.append(event.data.id)
            print()
            if cited:
                print(f"  (citations streamed: {', '.join(cited)})")

        heading("Replace a document's metadata")
        document_id = os.environ.get("R2R_DEMO_DOCUMENT_ID")
        if not document_id:
            print("R2R_DEMO_DOCUMENT_ID is not set: skipped.")
            return 0
        document = client.documents.replace_metadata(
            document_id, metadata=[{"source": "quickstart"}, {"reviewed": True}]
        )
        print(f"{document.results.title}: {document.results.metadata}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except R2RError as exc:
        print(f"\nFailed: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
