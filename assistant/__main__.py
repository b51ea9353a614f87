"""`python -m assistant ask "问题" [--json] [--as-of D]` and `python -m assistant batch IN.jsonl`."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from assistant.service import Assistant, QuestionError, parse_as_of, validate_question
from ingest.__main__ import terminal_progress
from ingest.corpus import CorpusError
from ingest.embed import EmbedderError
from ingest.index import IndexError_

BATCH_FIELDS = {"id": (str, int), "question": (str,), "as_of": (str, type(None)), "facts": (dict, type(None))}


def _dump(obj: dict) -> str:
    text = json.dumps(obj, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from undecodable input: escape them, still valid JSON
        text = json.dumps(obj)
    return text


def human(ans: dict) -> str:
    lines = [f"[{ans['route']}] {ans['answer']}"]
    d = ans.get("decision")
    if d and d.get("conditions"):
        lines.append("\n条件核对：")
        mark = {True: "✅", False: "❌", None: "？"}
        for c in d["conditions"]:
            ref = f"【{c['citation'] + 1}】" if isinstance(c.get("citation"), int) else ""
            lines.append(f"  {mark.get(c.get('met'), '？')} {c['text']} {ref}")
    if ans.get("citations"):
        lines.append("\n出处：")
        for i, c in enumerate(ans["citations"], 1):
            lines.append(f"  【{i}】{c['doc']} {c['section']}：{c['quote']}")
    for w in ans.get("warnings") or []:
        lines.append(f"⚠ {w}")
    return "\n".join(lines)


def _load(args) -> Assistant:
    return Assistant.load(data_dir=args.data_dir, embedder=args.embedder, chroma_url=args.chroma_url,
                          progress=terminal_progress())


def cmd_ask(args) -> int:
    try:
        question = validate_question(args.question)
        as_of = parse_as_of(args.as_of)
    except QuestionError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    ans = _load(args).ask(question, as_of=as_of, retriever=args.retriever)
    if ans["route"] == "error":
        print(f"错误：{ans['error']}", file=sys.stderr)
        return 1
    print(_dump(ans) if args.json else human(ans))
    return 0


def _bad_line(qid, message: str) -> dict:
    return {"id": qid, "question": None, "route": "error", "answer": message, "error": message,
            "decision": None, "citations": [], "warnings": [], "latency_ms": 0.0}


def cmd_batch(args) -> int:
    path = Path(args.file)
    if str(args.file) == "-":
        text = sys.stdin.read().removeprefix("\ufeff")
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")  # files saved by Windows tools start with a BOM
        except FileNotFoundError:
            print(f"错误：找不到输入文件 {path}", file=sys.stderr)
            return 2
        except IsADirectoryError:
            print(f"错误：{path} 是一个目录，请给出 JSONL 文件（每行一个 JSON 对象）。", file=sys.stderr)
            return 2
        except UnicodeDecodeError:
            print(f"错误：输入文件不是 UTF-8 编码：{path}", file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"错误：无法读取输入文件 {path}：{exc.strerror or exc}", file=sys.stderr)
            return 2
    # JSONL lines end at \n only: str.splitlines() would also cut at U+2028, U+0085 or \x1c inside
    # a JSON string, and the answers would no longer line up with the questions.
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    try:
        default_as_of = parse_as_of(args.as_of)
    except QuestionError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    assistant = _load(args)
    bad = 0
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
            bad += 1
            print(_dump(_bad_line(None, f"第 {n} 行不是合法的 JSON：{getattr(exc, 'msg', '嵌套层数过多')}")),
                  flush=True)
            continue
        if not isinstance(item, dict):
            bad += 1
            print(_dump(_bad_line(None, f"第 {n} 行应为 JSON 对象，例如 {{\"id\": \"q1\", \"question\": \"…\"}}")))
            continue
        qid = item.get("id")
        wrong = [k for k, types in BATCH_FIELDS.items() if k in item and not isinstance(item[k], types)]
        if "question" not in item:
            wrong.append("question（缺失）")
        if wrong:
            bad += 1
            print(_dump(_bad_line(qid if isinstance(qid, (str, int)) else None,
                                  f"第 {n} 行字段类型不对：{', '.join(wrong)}")), flush=True)
            continue
        as_of = item.get("as_of") or default_as_of
        ans = assistant.ask(item["question"], as_of=as_of, facts=item.get("facts"), retriever=args.retriever, qid=qid)
        bad += ans["route"] == "error"
        print(_dump(ans), flush=True)
    if bad:
        print(f"共有 {bad} 行输入有误，已在对应位置输出 route=error 的结果。", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m assistant", description="贯通政策助手：命令行问答")
    p.add_argument("--data-dir", type=Path, default=None, help="索引目录（默认 .data/index 或 $GUANTONG_DATA_DIR）")
    p.add_argument("--embedder", default=None, help="向量模型（默认与索引一致）")
    p.add_argument("--chroma-url", default=None,
                   help="Chroma 服务器地址，如 http://127.0.0.1:8000（默认 $GUANTONG_CHROMA_URL 或本地嵌入式存储）")
    p.add_argument("--retriever", default="hybrid", choices=["hybrid", "bm25", "dense"], help="检索方式")
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("ask", help="回答一个问题")
    a.add_argument("question")
    a.add_argument("--json", action="store_true", help="输出合同规定的 JSON 答案对象")
    a.add_argument("--as-of", default=None, help="按哪一天的政策状态判断（YYYY-MM-DD，默认今天）")
    b = sub.add_parser("batch", help="逐行回答 JSONL 文件中的问题（- 表示标准输入）")
    b.add_argument("file")
    b.add_argument("--as-of", default=None)
    args = p.parse_args(argv)
    try:
        return cmd_ask(args) if args.cmd == "ask" else cmd_batch(args)
    except (CorpusError, IndexError_, EmbedderError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
