"""The official SDK's example runs unchanged apart from its import line."""

from __future__ import annotations

import json

import pytest
import respx
from _helpers import fixture_json, fixture_response

from r2r_api.models.wrapped_completion_response import WrappedCompletionResponse
from r2r_client import R2RClient

SEED = """\
from r2r import R2RClient

client = R2RClient('https://api.intelligence.io.solutions/api/r2r')
client.set_api_key('<your-io-API-key>')

response = client.retrieval.completion(
    messages=[
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "What is the capital of France?"},
        {"role": "assistant", "content": "The capital of France is Paris."},
        {"role": "user", "content": "What about Italy?"}
    ],
    generation_config={
        "model": "hosted_vllm/openai/gpt-oss-120b",
        "temperature": 0.7,
        "max_tokens": 150,
        "stream": False
    }
)

print(response)
"""

ORIGINAL_IMPORT = "from r2r import R2RClient\n"
OUR_IMPORT = "from r2r_client import R2RClient\n"


def test_seed_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    source = SEED.replace(ORIGINAL_IMPORT, OUR_IMPORT, 1)

    namespace: dict[str, object] = {"__name__": "seed_example"}
    with respx.mock(base_url="https://api.intelligence.io.solutions/api/r2r") as router:
        route = router.post("/v3/retrieval/completion").mock(
            return_value=fixture_response("04-completion")
        )
        exec(compile(source, "seed_example.py", "exec"), namespace)
        client = namespace["client"]
        assert isinstance(client, R2RClient)
        client.close()

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.method == "POST"
    assert str(request.url) == (
        "https://api.intelligence.io.solutions/api/r2r/v3/retrieval/completion"
    )
    assert request.headers["authorization"] == "Bearer <your-io-API-key>"
    body = json.loads(request.content)
    assert body == {
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "What is the capital of France?"},
            {"role": "assistant", "content": "The capital of France is Paris."},
            {"role": "user", "content": "What about Italy?"},
        ],
        "generation_config": {
            "model": "hosted_vllm/openai/gpt-oss-120b",
            "temperature": 0.7,
            "max_tokens_to_sample": 150,
            "stream": False,
        },
    }

    printed = capsys.readouterr().out
    answer = fixture_json("04-completion")["results"]["choices"][0]["message"]["content"]
    assert answer in printed
    assert "<your-io-API-key>" not in printed
    response = namespace["response"]
    assert isinstance(response, WrappedCompletionResponse)
    assert response.results.choices[0].message.content == answer
