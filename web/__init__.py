"""The web face of the assistant (Gradio): chat, self-check, document browser, feedback.

Importing the package loads nothing heavy: `web.ui` pulls in Gradio, `web.feedback` only sqlite3
(so `python -m evals feedback export` starts fast)."""
