"""jieba tokenisation with the domain dictionary, shared by indexing and querying.

jieba's dictionary (its own 350k words plus our user dictionary) is ~0.6-1.5 s to load at every
start: `jieba.initialize` unmarshals its cache straight from a file object, which reads in tiny
pieces. With `use_dictionary_cache(dir)` the built state is kept in the index dir, keyed by the
jieba version, the Python version and the user dictionary's hash, and read in one piece.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import re
import sys
import threading
from pathlib import Path

import jieba

_USERDICT = Path(__file__).with_name("data") / "userdict.txt"
_lock = threading.Lock()
_ready = False
_cache_dir: Path | None = None
log = logging.getLogger(__name__)
_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
# Function words that carry no retrieval signal in these documents.
STOPWORDS = frozenset(
    ["的", "了", "和", "与", "及", "或", "等", "在", "是", "为", "对", "将", "按", "由", "可", "以", "于", "其", "之", "中", "后", "上", "下", "并", "且", "如", "所", "从", "被", "把", "向", "到", "也", "都", "就", "我", "你", "他", "她", "它", "我们", "吗", "呢", "啊", "吧", "呀", "么", "什么", "怎么", "怎样", "如何", "哪些", "哪个", "能不能", "可不可以", "请问", "一下", "有", "没有", "要", "需要", "多少", "几", "个", "这", "那", "这个", "那个", "还", "又", "很", "让", "给", "想", "能", "会"]
)


def use_dictionary_cache(directory: Path | None) -> None:
    """Keep jieba's built dictionary in `directory` (read-only or missing dirs just skip the cache)."""
    global _cache_dir
    _cache_dir = Path(directory) if directory else None


def _cache_file() -> Path | None:
    if _cache_dir is None:
        return None
    digest = hashlib.sha1(_USERDICT.read_bytes()).hexdigest()[:12]
    return _cache_dir / f"jieba-{jieba.__version__}-py{sys.version_info[0]}{sys.version_info[1]}-{digest}.marshal"


def _init() -> None:
    global _ready
    with _lock:
        if _ready:
            return
        jieba.setLogLevel(logging.WARNING)
        cache = _cache_file()
        if cache is not None and cache.is_file():
            try:
                freq, total = marshal.loads(cache.read_bytes())
                if isinstance(freq, dict) and isinstance(total, int) and freq:
                    jieba.dt.FREQ, jieba.dt.total, jieba.dt.initialized = freq, total, True
                    _ready = True
                    return
            except (OSError, ValueError, EOFError, TypeError):
                log.info("jieba 词典缓存无法读取，重新构建：%s", cache)
        jieba.load_userdict(str(_USERDICT))
        _ready = True
        if cache is not None:
            _save(cache, marshal.dumps((jieba.dt.FREQ, jieba.dt.total)))


def _save(path: Path, data: bytes) -> None:
    """Atomic write; a read-only index dir only loses the speed-up."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        log.info("无法写入缓存 %s（%s），下次启动照常构建。", path, exc)
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def tokenize(text: str) -> list[str]:
    """Search-mode tokens (高级技师 → 高级, 技师, 高级技师) without punctuation or stopwords."""
    _init()
    return [
        t for t in (w.strip().lower() for w in jieba.cut_for_search(text))
        if t and _KEEP.search(t) and t not in STOPWORDS
    ]


def is_word(text: str) -> bool:
    """Whether jieba's dictionary (with ours) holds `text` as a word ("监管": yes; "报副": no)."""
    _init()
    return jieba.dt.FREQ.get(text, 0) > 0
