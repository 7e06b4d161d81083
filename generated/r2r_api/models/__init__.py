"""Contains all the data models used in inputs/outputs.

Models are imported on first access (PEP 562), so importing one model does not import them all.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .aggregate_search_result import AggregateSearchResult
    from .chat_completion import ChatCompletion
    from .chat_completion_choice import ChatCompletionChoice
    from .chat_completion_message import ChatCompletionMessage
    from .chunk_search_result import ChunkSearchResult
    from .chunk_search_settings import ChunkSearchSettings
    from .citation import Citation
    from .citation_payload import CitationPayload
    from .citation_span import CitationSpan
    from .completion_generation_config import CompletionGenerationConfig
    from .completion_request import CompletionRequest
    from .completion_usage import CompletionUsage
    from .delta_annotation import DeltaAnnotation
    from .delta_content import DeltaContent
    from .delta_text_payload import DeltaTextPayload
    from .document_chunk import DocumentChunk
    from .document_response import DocumentResponse
    from .function_call import FunctionCall
    from .function_definition import FunctionDefinition
    from .generation_config import GenerationConfig
    from .generation_kwargs import GenerationKwargs
    from .graph_search_content import GraphSearchContent
    from .graph_search_limits import GraphSearchLimits
    from .graph_search_result import GraphSearchResult
    from .graph_search_settings import GraphSearchSettings
    from .http_validation_error import HTTPValidationError
    from .hybrid_search_settings import HybridSearchSettings
    from .image_data import ImageData
    from .index_measure import IndexMeasure
    from .internal_error_body import InternalErrorBody
    from .internal_error_detail import InternalErrorDetail
    from .message import Message
    from .message_delta import MessageDelta
    from .message_metadata import MessageMetadata
    from .metadata_object import MetadataObject
    from .plain_error_body import PlainErrorBody
    from .r2r_error_body import R2RErrorBody
    from .rag_error_event_data import RAGErrorEventData
    from .rag_final_answer_event_data import RAGFinalAnswerEventData
    from .rag_message_event_data import RAGMessageEventData
    from .rag_request import RAGRequest
    from .rag_response import RAGResponse
    from .rag_response_metadata import RAGResponseMetadata
    from .rag_search_results_event_data import RAGSearchResultsEventData
    from .rag_stream_error import RAGStreamError
    from .rag_thinking_event_data import RAGThinkingEventData
    from .rag_tool_call_event_data import RAGToolCallEventData
    from .rag_tool_result_event_data import RAGToolResultEventData
    from .response_format import ResponseFormat
    from .search_filters import SearchFilters
    from .search_mode import SearchMode
    from .search_settings import SearchSettings
    from .structured_content_part import StructuredContentPart
    from .tool_call import ToolCall
    from .tool_definition import ToolDefinition
    from .usage_details import UsageDetails
    from .validation_error_context import ValidationErrorContext
    from .validation_error_item import ValidationErrorItem
    from .web_page_search_result import WebPageSearchResult
    from .web_search_extra import WebSearchExtra
    from .web_search_result import WebSearchResult
    from .web_sitelink import WebSitelink
    from .wrapped_completion_response import WrappedCompletionResponse
    from .wrapped_document_response import WrappedDocumentResponse
    from .wrapped_rag_response import WrappedRAGResponse

_MODULES = {
    "AggregateSearchResult": ".aggregate_search_result",
    "ChatCompletion": ".chat_completion",
    "ChatCompletionChoice": ".chat_completion_choice",
    "ChatCompletionMessage": ".chat_completion_message",
    "ChunkSearchResult": ".chunk_search_result",
    "ChunkSearchSettings": ".chunk_search_settings",
    "Citation": ".citation",
    "CitationPayload": ".citation_payload",
    "CitationSpan": ".citation_span",
    "CompletionGenerationConfig": ".completion_generation_config",
    "CompletionRequest": ".completion_request",
    "CompletionUsage": ".completion_usage",
    "DeltaAnnotation": ".delta_annotation",
    "DeltaContent": ".delta_content",
    "DeltaTextPayload": ".delta_text_payload",
    "DocumentChunk": ".document_chunk",
    "DocumentResponse": ".document_response",
    "FunctionCall": ".function_call",
    "FunctionDefinition": ".function_definition",
    "GenerationConfig": ".generation_config",
    "GenerationKwargs": ".generation_kwargs",
    "GraphSearchContent": ".graph_search_content",
    "GraphSearchLimits": ".graph_search_limits",
    "GraphSearchResult": ".graph_search_result",
    "GraphSearchSettings": ".graph_search_settings",
    "HTTPValidationError": ".http_validation_error",
    "HybridSearchSettings": ".hybrid_search_settings",
    "ImageData": ".image_data",
    "IndexMeasure": ".index_measure",
    "InternalErrorBody": ".internal_error_body",
    "InternalErrorDetail": ".internal_error_detail",
    "Message": ".message",
    "MessageDelta": ".message_delta",
    "MessageMetadata": ".message_metadata",
    "MetadataObject": ".metadata_object",
    "PlainErrorBody": ".plain_error_body",
    "R2RErrorBody": ".r2r_error_body",
    "RAGErrorEventData": ".rag_error_event_data",
    "RAGFinalAnswerEventData": ".rag_final_answer_event_data",
    "RAGMessageEventData": ".rag_message_event_data",
    "RAGRequest": ".rag_request",
    "RAGResponse": ".rag_response",
    "RAGResponseMetadata": ".rag_response_metadata",
    "RAGSearchResultsEventData": ".rag_search_results_event_data",
    "RAGStreamError": ".rag_stream_error",
    "RAGThinkingEventData": ".rag_thinking_event_data",
    "RAGToolCallEventData": ".rag_tool_call_event_data",
    "RAGToolResultEventData": ".rag_tool_result_event_data",
    "ResponseFormat": ".response_format",
    "SearchFilters": ".search_filters",
    "SearchMode": ".search_mode",
    "SearchSettings": ".search_settings",
    "StructuredContentPart": ".structured_content_part",
    "ToolCall": ".tool_call",
    "ToolDefinition": ".tool_definition",
    "UsageDetails": ".usage_details",
    "ValidationErrorContext": ".validation_error_context",
    "ValidationErrorItem": ".validation_error_item",
    "WebPageSearchResult": ".web_page_search_result",
    "WebSearchExtra": ".web_search_extra",
    "WebSearchResult": ".web_search_result",
    "WebSitelink": ".web_sitelink",
    "WrappedCompletionResponse": ".wrapped_completion_response",
    "WrappedDocumentResponse": ".wrapped_document_response",
    "WrappedRAGResponse": ".wrapped_rag_response",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_MODULES))


__all__ = (
    "AggregateSearchResult",
    "ChatCompletion",
    "ChatCompletionChoice",
    "ChatCompletionMessage",
    "ChunkSearchResult",
    "ChunkSearchSettings",
    "Citation",
    "CitationPayload",
    "CitationSpan",
    "CompletionGenerationConfig",
    "CompletionRequest",
    "CompletionUsage",
    "DeltaAnnotation",
    "DeltaContent",
    "DeltaTextPayload",
    "DocumentChunk",
    "DocumentResponse",
    "FunctionCall",
    "FunctionDefinition",
    "GenerationConfig",
    "GenerationKwargs",
    "GraphSearchContent",
    "GraphSearchLimits",
    "GraphSearchResult",
    "GraphSearchSettings",
    "HTTPValidationError",
    "HybridSearchSettings",
    "ImageData",
    "IndexMeasure",
    "InternalErrorBody",
    "InternalErrorDetail",
    "Message",
    "MessageDelta",
    "MessageMetadata",
    "MetadataObject",
    "PlainErrorBody",
    "R2RErrorBody",
    "RAGErrorEventData",
    "RAGFinalAnswerEventData",
    "RAGMessageEventData",
    "RAGRequest",
    "RAGResponse",
    "RAGResponseMetadata",
    "RAGSearchResultsEventData",
    "RAGStreamError",
    "RAGThinkingEventData",
    "RAGToolCallEventData",
    "RAGToolResultEventData",
    "ResponseFormat",
    "SearchFilters",
    "SearchMode",
    "SearchSettings",
    "StructuredContentPart",
    "ToolCall",
    "ToolDefinition",
    "UsageDetails",
    "ValidationErrorContext",
    "ValidationErrorItem",
    "WebPageSearchResult",
    "WebSearchExtra",
    "WebSearchResult",
    "WebSitelink",
    "WrappedCompletionResponse",
    "WrappedDocumentResponse",
    "WrappedRAGResponse",
)
