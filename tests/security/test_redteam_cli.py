"""Issue 12 #8: `batch` splits on \\n only; every path error is a Chinese message with exit 2."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.redteam
REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], data: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUANTONG_LLM_", "GUANTONG_DATA_DIR"))}
    proc = subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(data), *args], cwd=REPO, env=env, input=stdin,
                          capture_output=True, timeout=300, check=False)
    proc.out, proc.err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert "Traceback" not in proc.err, proc.err
    return proc


def test_batch_keeps_unicode_line_separators_inside_json_strings(built_index, tmp_path):
    rows = [{"id": "a", "question": "上海技师满4年\u2028能申报中级职称吗"},
            {"id": "b", "question": "天府工匠\u0085怎么认定"},
            {"id": "c", "question": "黄石\x1c技师能评工程师吗"}]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    proc = _run(["batch", str(path)], built_index)
    out = [json.loads(line) for line in proc.out.split("\n") if line]
    assert proc.returncode == 0 and [a["id"] for a in out] == ["a", "b", "c"]
    assert all(a["route"] != "error" for a in out), out
    # stdin too, and CRLF files still work
    crlf = "\r\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode("utf-8")
    proc = _run(["batch", "-"], built_index, stdin=crlf)
    assert [json.loads(line)["id"] for line in proc.out.split("\n") if line] == ["a", "b", "c"]


def test_data_dir_that_is_a_file(tmp_path):
    f = tmp_path / "a-file"
    f.write_text("x", encoding="utf-8")
    for data in (f, f / "idx"):
        proc = _run(["ask", "上海技师满4年能评中级职称吗"], data)
        assert proc.returncode == 2 and proc.err.startswith("错误：") and "不是目录" in proc.err


def test_data_dir_that_cannot_be_created(tmp_path):
    proc = _run(["ask", "上海技师满4年能评中级职称吗"], Path("/proc/guantong/idx"))
    assert proc.returncode == 2 and proc.err.startswith("错误：") and "无法在索引目录" in proc.err


def test_batch_given_a_directory(built_index, tmp_path):
    proc = _run(["batch", str(tmp_path)], built_index)
    assert proc.returncode == 2 and "是一个目录" in proc.err


@pytest.mark.parametrize("as_of", ["2026-W48-1", "20261130"])
def test_cli_as_of_only_yyyy_mm_dd(built_index, as_of):
    proc = _run(["ask", "上海技师满4年能评中级职称吗", "--as-of", as_of], built_index)
    assert proc.returncode == 2 and "YYYY-MM-DD" in proc.err
