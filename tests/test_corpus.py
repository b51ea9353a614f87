"""Corpus loading and cleaning: artefacts go, every word stays."""
from __future__ import annotations

import re

import pytest
import yaml
from conftest import REPO

from ingest.corpus import CorpusError, clean_text, load_catalog, load_documents, squash


def _raw_without_artefacts(text: str) -> str:
    text = re.sub(r"\[bookmark:[^\]]*\]", "", text)
    text = re.sub(r"</?p>", "", text)
    text = re.sub(r"^\s*—\s*\d+\s*—\s*$", "", text, flags=re.MULTILINE)
    return squash(text)


def test_catalog_lists_every_document_with_its_metadata():
    metas = {m.doc: m for m in load_catalog()}
    assert set(metas) == {"川人社办发〔2021〕61号", "川人社规〔2023〕15号", "沪人社专〔2021〕312号",
                          "黄人社发〔2021〕12号", "通人社专〔2022〕1号", "苏人社发〔2021〕132号"}
    sc = metas["川人社规〔2023〕15号"]
    assert (str(sc.effective), str(sc.valid_until)) == ("2024-02-01", "2026-01-31")
    assert metas["通人社专〔2022〕1号"].forwards == "苏人社发〔2021〕132号"
    assert metas["黄人社发〔2021〕12号"].city == "黄石"


def test_cleaning_keeps_every_word_of_every_file():
    docs = load_documents()
    for path in sorted((REPO / "corpus").glob("*.txt")):
        cleaned = "".join(squash(d.text) for d in docs if d.meta.file == path.name)
        assert cleaned == _raw_without_artefacts(path.read_text(encoding="utf-8")), path.name


def test_artefacts_are_gone():
    for d in load_documents():
        assert "[bookmark" not in d.text and "<p>" not in d.text and "</p>" not in d.text
        assert not re.search(r"—\s*\d+\s*—", d.text)


def test_sentence_broken_by_a_page_break_is_rejoined():
    text = {d.meta.doc: d.text for d in load_documents()}["川人社办发〔2021〕61号"]
    assert "实验技术、艺术、体育、技工院校教师等系列职称评审。" in text
    assert "可破格申报评审相应专业副高级职称:" in text


def test_heading_lines_are_not_joined_to_their_body():
    out = clean_text("一、指导思想\n\n坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻。\n")
    assert out.splitlines() == ["一、指导思想", "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻。"]


def test_table_cells_on_separate_lines_become_one_row():
    text = {d.meta.doc: d.text for d in load_documents()}["川人社规〔2023〕15号"]
    rows = [line for line in text.splitlines() if "\t" in line]
    assert rows[0].split("\t") == ["序号", "级别名称", "基本要求", "实施机构"]
    assert rows[1].split("\t") == ["1", "学徒工", "能够基本完成本职业某一方面的主要工作。", "用人单位"]
    assert len(rows) == 9


def test_declared_source_gap_is_not_papered_over():
    text = {d.meta.doc: d.text for d in load_documents()}["苏人社发〔2021〕132号"]
    assert "用人单位可根据国家职业技能\n技师、高级技师在学习进修" in text


def test_forwarding_notice_and_forwarded_document_are_split():
    docs = {d.meta.doc: d.text for d in load_documents()}
    assert docs["通人社专〔2022〕1号"].startswith("南通市人力资源和社会保障局文件")
    assert docs["苏人社发〔2021〕132号"].startswith("江苏省人力资源和社会保障厅文件")
    assert "江苏省人力资源和社会保障厅文件" not in docs["通人社专〔2022〕1号"]


def test_non_utf8_file_gets_a_chinese_message(corpus_copy):
    (corpus_copy / "000_e3f5cf0a91167da7.txt").write_bytes("四川省人力资源".encode("gbk"))
    with pytest.raises(CorpusError, match="UTF-8"):
        load_documents(corpus_copy)


def test_catalog_entry_pointing_to_missing_file_is_reported(corpus_copy):
    cat = yaml.safe_load((corpus_copy / "catalog.yaml").read_text(encoding="utf-8"))
    cat["documents"].append(dict(cat["documents"][0], doc="测试〔2099〕1号", file="nope.txt"))
    (corpus_copy / "catalog.yaml").write_text(yaml.safe_dump(cat, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CorpusError, match="nope.txt"):
        load_catalog(corpus_copy)


def test_broken_catalog_is_reported(corpus_copy):
    (corpus_copy / "catalog.yaml").write_text("documents: [: :", encoding="utf-8")
    with pytest.raises(CorpusError, match="无法解析"):
        load_catalog(corpus_copy)
