"""`python -m ingest [--rebuild]`: build or refresh the index from corpus/, printing what changed."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest import config
from ingest.corpus import CorpusError
from ingest.embed import EmbedderError
from ingest.index import IndexError_, build_index, index_status


def terminal_progress(stream=sys.stderr):
    """A one-line progress bar on stderr ("计算向量 [#####-----] 120/236")."""
    def show(stage: str, done: int, total: int) -> None:
        width = 24
        filled = int(width * done / total) if total else width
        end = "\n" if done >= total else ""
        line = f"\r{stage:<8} [{'#' * filled}{'-' * (width - filled)}] {done}/{total}"
        if stream.isatty() or done >= total:
            stream.write(line + end)
            stream.flush()

    return show


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ingest", description="从 corpus/ 构建或更新检索索引（幂等）。")
    p.add_argument("--rebuild", action="store_true", help="忽略已有索引，全部重新计算")
    p.add_argument("--corpus", type=Path, default=None, help=f"语料目录（默认 {config.corpus_dir()}）")
    p.add_argument("--data-dir", type=Path, default=None, help=f"索引目录（默认 {config.data_dir()}）")
    p.add_argument("--embedder", default=None, help="向量模型：use-multilingual（默认）或 st:<模型路径>")
    p.add_argument("--chroma-url", default=None, help="Chroma 服务器地址（默认：本地嵌入式存储）")
    args = p.parse_args(argv)
    try:
        report = build_index(args.corpus, args.data_dir, args.embedder, rebuild=args.rebuild,
                             progress=terminal_progress(), chroma_url=args.chroma_url)
    except (CorpusError, IndexError_, EmbedderError) as exc:
        data_dir = args.data_dir or config.data_dir()
        try:
            kept = "原有索引保持可用。" if index_status(data_dir) else "目前还没有可用的索引。"
        except (IndexError_, OSError):
            kept = "原有索引已损坏，请在修正后运行 `python -m ingest --rebuild`。"
        print(f"索引未更新：{exc}\n（{kept}）", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\n已中断：索引未更新，原有索引保持可用。", file=sys.stderr)
        return 130
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
