"""jieba tokenisation with the domain dictionary, shared by indexing and querying."""
from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

import jieba

_USERDICT = Path(__file__).with_name("data") / "userdict.txt"
_lock = threading.Lock()
_ready = False
_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
# Function words that carry no retrieval signal in these documents.
STOPWORDS = frozenset(
    ["的", "了", "和", "与", "及", "或", "等", "在", "是", "为", "对", "将", "按", "由", "可", "以", "于", "其", "之", "中", "后", "上", "下", "并", "且", "如", "所", "从", "被", "把", "向", "到", "也", "都", "就", "我", "你", "他", "她", "它", "我们", "吗", "呢", "啊", "吧", "呀", "么", "什么", "怎么", "怎样", "如何", "哪些", "哪个", "能不能", "可不可以", "请问", "一下", "有", "没有", "要", "需要", "多少", "几", "个", "这", "那", "这个", "那个", "还", "又", "很", "让", "给", "想", "能", "会"]
)


def _init() -> None:
    global _ready
    with _lock:
        if not _ready:
            jieba.setLogLevel(logging.WARNING)
            jieba.load_userdict(str(_USERDICT))
            _ready = True


def tokenize(text: str) -> list[str]:
    """Search-mode tokens (高级技师 → 高级, 技师, 高级技师) without punctuation or stopwords."""
    _init()
    return [
        t for t in (w.strip().lower() for w in jieba.cut_for_search(text))
        if t and _KEEP.search(t) and t not in STOPWORDS
    ]
