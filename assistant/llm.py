"""Which OpenAI-compatible chat model the optional writer uses (env), and building it lazily.

Off unless both `GUANTONG_LLM_BASE_URL` and `GUANTONG_LLM_MODEL` are set. Any endpoint that
speaks `/v1/chat/completions` works (Qwen/DashScope, DeepSeek, vLLM, Ollama, …). `langchain-openai`
(the `llm` extra) is imported only when a model is actually built, so the default path never
needs it.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

DEFAULT_TIMEOUT = 20.0


class LLMUnavailable(RuntimeError):
    """The writer is configured but cannot be used (message in Chinese)."""


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = DEFAULT_TIMEOUT  # seconds for the whole reply, streaming or not
    temperature: float = 0.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LLMConfig | None:
        """The configured endpoint, or None when the writer is off (the default)."""
        env = os.environ if env is None else env
        base_url = (env.get("GUANTONG_LLM_BASE_URL") or "").strip()
        model = (env.get("GUANTONG_LLM_MODEL") or "").strip()
        if not (base_url and model):
            return None
        try:
            timeout = float(env.get("GUANTONG_LLM_TIMEOUT") or DEFAULT_TIMEOUT)
        except ValueError:
            timeout = DEFAULT_TIMEOUT
        if not timeout > 0:
            timeout = DEFAULT_TIMEOUT
        return cls(base_url=base_url, model=model, api_key=(env.get("GUANTONG_LLM_API_KEY") or "").strip(),
                   timeout=timeout)


@lru_cache(maxsize=8)
def chat_model(config: LLMConfig):
    """A LangChain chat model (`ChatOpenAI`) for `config`; one per configuration per process."""
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise LLMUnavailable("已配置语言模型，但未安装 langchain-openai（pip install -e \".[llm]\"）") from exc
    return ChatOpenAI(
        model=config.model, base_url=config.base_url,
        # local servers (vLLM, Ollama) take any key; the client insists on one
        api_key=config.api_key or "not-needed",
        timeout=config.timeout, max_retries=0,  # a retry would double the user's wait; we fall back instead
        temperature=config.temperature,
    )
