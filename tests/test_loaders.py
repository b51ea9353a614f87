"""A sixth document can arrive as .docx or .pdf: generated here, loaded, cleaned, split."""
from __future__ import annotations

import pytest
import yaml

from ingest.corpus import CorpusError, load_documents, read_source
from ingest.split import split_document

BODY = ["测试市人力资源和社会保障局文件", "一、总体要求", "（一）申报条件",
        "1.取得技师职业技能等级后，从事技术技能工作满3年，可申报中级职称。",
        "2.取得高级技师职业技能等级后，从事技术技能工作满4年，可申报副高级职称。"]


def _add_to_catalog(corpus, filename: str, doc: str) -> None:
    path = corpus / "catalog.yaml"
    cat = yaml.safe_load(path.read_text(encoding="utf-8"))
    cat["documents"].append({"doc": doc, "file": filename, "title": "测试文件", "issuer": "测试市人社局",
                             "province": "测试省", "issued": "2026-01-01"})
    path.write_text(yaml.safe_dump(cat, allow_unicode=True), encoding="utf-8")


def _make_docx(path):
    import docx

    d = docx.Document()
    for line in BODY:
        d.add_paragraph(line)
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "序号", "级别"
    t.cell(1, 0).text, t.cell(1, 1).text = "1", "技师"
    d.save(str(path))


def _make_pdf(path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 11)
    for i, line in enumerate(BODY):
        c.drawString(40, 800 - 20 * i, line)
    c.save()


@pytest.mark.parametrize("suffix,maker", [(".docx", _make_docx), (".pdf", _make_pdf)])
def test_new_document_in_docx_or_pdf_is_loaded_and_split(corpus_copy, suffix, maker):
    maker(corpus_copy / f"new{suffix}")
    _add_to_catalog(corpus_copy, f"new{suffix}", "测人社发〔2026〕1号")
    doc = next(d for d in load_documents(corpus_copy) if d.meta.doc == "测人社发〔2026〕1号")
    clauses = split_document(doc)
    item = next(c for c in clauses if "满3年" in c.text)
    assert item.section == "一、（一）1."
    assert "（一）申报条件\n1.取得技师" in item.text  # the headings open their first item
    assert "满4年" in next(c for c in clauses if c.section == "一、（一）2.").text


def test_docx_table_rows_become_tab_separated_lines(tmp_path):
    _make_docx(tmp_path / "t.docx")
    assert "1\t技师" in read_source(tmp_path / "t.docx")


def test_unsupported_or_broken_files_are_reported(tmp_path):
    (tmp_path / "a.rtf").write_text("x", encoding="utf-8")
    with pytest.raises(CorpusError, match="不支持"):
        read_source(tmp_path / "a.rtf")
    (tmp_path / "b.pdf").write_bytes(b"not a pdf at all")
    with pytest.raises(CorpusError, match="b.pdf"):
        read_source(tmp_path / "b.pdf")
