"""Loopback fakes of outside services (an OpenAI-compatible chat endpoint) for hermetic tests."""
