"""Text → clauses → index: corpus loading and cleaning, clause splitting, BM25 + Chroma build."""
from ingest.corpus import CorpusError, cleaned_documents, is_verbatim, load_catalog, load_documents
from ingest.index import BuildReport, IndexError_, build_index, index_status

__all__ = [
    "BuildReport", "CorpusError", "IndexError_", "build_index", "cleaned_documents", "index_status",
    "is_verbatim", "load_catalog", "load_documents",
]
