"""Question → route → answer: the one entry point (`Assistant.ask`) the CLI, the app and evals use."""
from assistant.service import Assistant, QuestionError

__all__ = ["Assistant", "QuestionError"]
