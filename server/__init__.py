"""The served face of the assistant: REST JSON API, MCP tools and the Gradio UI on one FastAPI app."""
from server.app import create_app

__all__ = ["create_app"]
