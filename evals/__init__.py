"""Evaluation of the assistant: a gold question set, deterministic metrics, retriever comparison, gate, bench."""
