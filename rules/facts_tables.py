"""Answers to equivalence and fact questions (相当于/比照/证书编码/哪些系列/职业对应职称系列)
from the fact tables in `rules/data/facts.yaml`; these carry citations but no decision."""

from __future__ import annotations

import re
from typing import Any

from . import lexicon
from .level_mentions import mentioned_levels
from .results import Citations
from .rulebook import RuleBook, load

REGION_ORDER = ("四川", "上海", "黄石", "江苏")

# (topic, pattern) checked in order; the first match wins. The "exams" and "theory" tables are
# answerable through `answer_fact_question` but are not auto-detected: retrieval quotes those
# clauses in full, which serves such questions better than a table.
TOPIC_PATTERNS: tuple[tuple[str, str], ...] = (
    ("code", r"证书编码|编码第\s*16|第\s*16\s*位|第十六位|编码.*[XTS]|[XTS].*(代表|表示)"),
    ("school", r"技工院校|中级工班|高级工班|预备技师|技师班.*(学历|相当|毕业)|技校.*(学历|相当)"),
    ("directory", r"指导目录|对应.{0,6}职称系列|属于哪.{0,3}系列|归哪.{0,3}系列|对应哪.{0,3}系列|\d-\d{2}"),
    ("treatment", r"待遇|比照|薪酬|相当于.{0,4}(什么|哪).{0,3}职称|相当于.{0,3}(几级|什么级别)|同等对待"),
    ("ladder", (r"增设|补设|(?<![（(])(三级|二级|一级)(工)?(?![）)]).{0,8}(对应|就是|是什么|是啥|是哪)|八级|几个等级|哪几个等级|等级序列|"
               r"技能等级有哪些|职业技能等级.{0,4}(有哪些|分几级|怎么分)|(等级|序列).{0,12}(从低到高|从高到低|一共哪几级|哪几级|共几级)|首席技师.*特级技师.*区别|"
               r"(一共|总共|总计|共)(分|有|设)?(几|多少)个?(级|等级|档)|"
               r"(技能等级|职业技能等级|技能人才|技能证书?).{0,6}(分|有|设)(几|多少)个?(级|等级|档)|"
               r"从学徒工?.{0,8}(往上|到|起|开始)|(学徒工?|技能等级|等级序列).{0,12}最(高|顶)的?(一级|等级)?(是|到|为)?(啥|什么|哪)")),
    ("series", (r"系列.{0,6}贯通|贯通.{0,8}(系列|重点)|有没有.{0,12}系列|系列.{0,8}(能|可以|可不可以|能不能)?(参评|参加评审)(不|吗|么)|以哪个.{0,6}系列|哪些系列|哪些职称系列|贯通领域|哪些领域|职称系列有哪些|"
               r"能参加哪些.{0,4}职称|哪(几个|几类|几种|些类|类|些)的?(职称)?(系列|类别)|"
               r"(参加|参评|评|申报|报).{0,4}哪(几类|几种|些类别|几个类别)的?职称|能评哪.{0,3}系列|"
               r"(中职|中等职业|技校|技工学校|技工院校|技师学院|老师|教师|体育|艺术|农业|工艺美术|文物|博物|实验|群众文化).{0,10}"
               r"(能|可以|可不可以|能不能|可否).{0,8}(评|申报|参评|参加|走).{0,6}(职称|贯通|系列)|"
               # "文物博物系列包不包括群众文化" / "群众文化也在贯通范围里吗"
               r"(系列|群众文化|文物|博物|体育|艺术|工艺美术|实验技术).{0,10}(包不包括|包括不包括|包不包含|包含不包含|在不在|也在|算不算)|"
               r"(包不包括|包括不包括|算不算).{0,8}(群众文化|文物|博物|体育|艺术|工艺美术|实验技术)")),
)
# 系列 named in a series question ("中职老师能不能评"): list-item substring that must be present
SERIES_WORDS: tuple[tuple[str, str, str], ...] = (
    (r"中职|中等职业", "中等职业", "中等职业学校教师"),
    (r"技校|技工学校|技工院校|技师学院", "技工院校教师", "技工院校教师"),
    (r"老师|教师", "教师", "教师"),
    (r"体育|教练员", "体育", "体育"),
    (r"艺术|演员|演奏", "艺术", "艺术"),
    (r"农业|农艺", "农业", "农业"),
    (r"工艺美术", "工艺美术", "工艺美术"),
    (r"文物|博物|群众文化", "文物博物", "文物博物"),
    (r"实验", "实验技术", "实验技术"),
)


VALIDITY_ASK = re.compile(r"(就能|才能|能不能|可以)用了?[吗么]|生效|施行|有效期|还有效|还管用|过期|失效|作废|还能用")


def fact_topic(question: str) -> str | None:
    """The fact table a question asks about, or None for eligibility/other questions (and for
    whether a rule is in force on a date: that is the document's validity, a lookup)."""
    text = question.replace(" ", "")
    if VALIDITY_ASK.search(text):
        return None
    if re.search(r"没列|未列|没有列|不在目录|目录(里|中|上)?没有", text) and not _names_directory_occupation(text):
        return None  # "目录里没列的工种怎么办": what the document says about the unlisted, a lookup
    for topic, pattern in TOPIC_PATTERNS:
        if re.search(pattern, text):
            if topic == "series" and (_names_directory_occupation(text) or (
                    re.search(r"江苏|目录", text) and re.search(r"[\u4e00-\u9fff]{1,6}(师|员|工|教练)(?!称|程)", text))):
                return "directory"  # "检验试验人员 / 健身教练 能评哪个系列": the directory's row, or that it is not listed
            return topic
    if re.search(r"系列|职称", text) and _names_directory_occupation(text):
        return "directory"
    if re.search(r"(什么|哪个|哪一个)系列", text):
        if re.search(r"目录", text) and re.search(r"[\u4e00-\u9fff]{1,6}(师|员|工|教练)(?!称|程)", text):
            return "directory"  # "中式烹调师在目录里有吗，算哪个系列": the directory says whether it lists it
        return "series"  # "钳工能走什么系列": no directory entry named, so the region's series list
    return None


def _names_directory_occupation(text: str) -> bool:
    """True when an occupation of the Jiangsu directory is named (e.g. 网约配送员, 林业生产人员)."""
    return bool(directory_lookup(load(), text))


def _regions(facts_regions: list[str], region: str | None) -> list[str]:
    covered = [r for r in facts_regions if lexicon.is_covered(r)]
    if covered:
        return covered
    if region:
        return [region]
    return list(REGION_ORDER)


def _ladder(book: RuleBook, cites: Citations) -> str:
    table = book.facts["skill_ladder"]
    marks = "".join(cites.mark(c) for c in table["cites"])
    code_mark = cites.mark(table["code_cite"])
    rows = ["| 序号 | 等级 | 证书编码第16位 |", "|---|---|---|"]
    for i, lvl in enumerate(table["levels"], 1):
        rows.append(f"| {i} | {lexicon.level(lvl['key']).label} | {lvl['code']} |")
    notes = "".join(cites.mark(c) for c in table["note_cites"])
    return (
        f"四川省的职业技能等级（岗位）序列共八级：学徒工、初级工、中级工、高级工、技师、高级技师、特级技师、首席技师{marks}。"
        f"证书编码第16位的含义{code_mark}：\n\n" + "\n".join(rows) + f"\n\n{table['note']}{notes}"
    )


def _code(book: RuleBook, question: str, cites: Citations) -> str:
    table = book.facts["skill_ladder"]
    mark = cites.mark(table["code_cite"])
    found = re.findall(r"(?<![A-Za-z])([XTSxts1-5])(?![A-Za-z0-9])", question.replace("16", ""))
    by_code = {str(lvl["code"]): lvl["key"] for lvl in table["levels"]}
    hits = [(c.upper(), by_code[c.upper()]) for c in found if c.upper() in by_code]
    head = "依据川人社规〔2023〕15号附件注2，职业技能等级证书编码第16位为大写英文字母或阿拉伯数字"
    if hits:
        meaning = "；".join(f"“{c}”表示{lexicon.level(k).label}" for c, k in dict.fromkeys(hits))
        return f"{head}：{meaning}{mark}。"
    full = "；".join(f"“{lvl['code']}”＝{lexicon.level(lvl['key']).label}" for lvl in table["levels"])
    return f"{head}：{full}{mark}。"


def _treatment(book: RuleBook, regions: list[str], cites: Citations, question: str = "") -> str:
    named = [k for k in mentioned_levels(question) if lexicon.level(k).kind == "skill"]
    having = [r for r in regions if any(p["skill"] in named for p in (book.facts["treatment"].get(r) or {}).get("pairs", []))]
    if named and having and len(regions) > 1:
        regions = having  # a level only some documents name (特级技师): only those regions
    lead: list[str] = []
    for region in regions:
        entry = book.facts["treatment"].get(region)
        quoted: list[str] = []
        for pair in (entry or {}).get("pairs", []):
            if pair["skill"] in named and pair["cite"] not in quoted:
                quoted.append(pair["cite"])
                # the clause itself, verbatim: "聘用到特级技师岗位的人员，比照本单位正高级职称人员享受同等待遇。"
                lead.append(f"**{lexicon.region_label(region)}**：{book.clauses[pair['cite']].quote}{cites.mark(pair['cite'])}")
    parts = []
    for region in regions:
        entry = book.facts["treatment"].get(region)
        if not entry:
            continue
        lines = [f"**{lexicon.region_label(region)}**"]
        for pair in entry["pairs"]:
            what = pair["title"] if "待遇" in pair["title"] else f"比照{pair['title']}享受同等待遇"
            lines.append(f"- {lexicon.level(pair['skill']).label} → {what}{cites.mark(pair['cite'])}")
        general = entry.get("general")
        if general:
            lines.append(f"- {general['text']}{cites.mark(general['cite'])}")
        parts.append("\n".join(lines))
    head = ("\n".join(lead) + "\n\n") if lead else ""
    return head + "在聘技能人才的待遇比照（不是职称资格本身）：\n\n" + "\n\n".join(parts)


def _school(book: RuleBook, regions: list[str], cites: Citations) -> str:
    parts = []
    for region in regions:
        entry = book.facts["school_equivalence"].get(region)
        if not entry:
            parts.append(f"**{lexicon.region_label(region)}**：该地区文件没有技工院校学历对应的规定。")
            continue
        pairs = "、".join(f"{p['class']}→{p['education']}" for p in entry["pairs"])
        parts.append(f"**{lexicon.region_label(region)}**：{pairs}；{entry['scope']}{cites.mark(entry['cite'])}")
    return "技工院校毕业生的学历对应：\n\n" + "\n\n".join(parts)


def _series(book: RuleBook, regions: list[str], cites: Citations, question: str = "") -> str:
    parts = []
    for region in regions:
        entry = book.facts["series"][region]
        note = f"{entry['note']}" if entry.get("note") else ""
        parts.append(
            f"- **{lexicon.region_label(region)}**：{'、'.join(entry['list'])}{cites.mark(entry['cite'])}{note}"
        )
    lead = ""
    for pattern, needle, name in SERIES_WORDS:
        if not re.search(pattern, question):
            continue
        found = []
        for region in regions:
            entry = book.facts["series"][region]
            hit = [item for item in entry["list"] if needle in item]
            mark = cites.mark(entry["cite"])
            label = lexicon.region_label(region)
            if hit:
                found.append(f"{label}的贯通领域包括“{hit[0]}”系列{mark}")
            else:
                found.append(f"{label}的贯通领域没有列出{name}系列{mark}")
        lead = "；".join(found) + "。\n\n"
        break
    return lead + "高技能人才可参加评审的职称系列（贯通领域）：\n\n" + "\n".join(parts)


def _cited_list(book: RuleBook, key: str, regions: list[str], cites: Citations, head: str, none: str) -> str:
    parts = []
    for region in regions:
        entry = book.facts[key].get(region)
        if not entry:
            parts.append(f"- **{lexicon.region_label(region)}**：{none}")
            continue
        quotes = "".join(f"{book.clauses[c].quote}{cites.mark(c)}" for c in entry["cites"])
        parts.append(f"- **{lexicon.region_label(region)}**：{quotes}")
    return head + "\n\n" + "\n".join(parts)


def directory_lookup(book: RuleBook, question: str) -> list[tuple[str, dict[str, Any]]]:
    """(series, entry) pairs of the Jiangsu directory matching an occupation code or name."""
    table = book.facts["jiangsu_directory"]["series"]
    hits: list[tuple[str, dict[str, Any]]] = []
    # "GBM63103" is the directory's other spelling of 6-31-03
    question = re.sub(r"GBM\s*(\d)(\d{2})(\d{2})?(\d{2})?",
                      lambda m: "-".join(g for g in m.groups() if g), question, flags=re.IGNORECASE)
    codes = re.findall(r"\d(?:-\d{2}){1,3}|(?<![\d-])\d(?![\d-])", question)
    for code in codes:
        best_len, best = -1, []
        for series in table:
            for entry in series["entries"]:
                ec = entry.get("code")
                if ec and (code == ec or code.startswith(ec + "-")):
                    if len(ec) > best_len:
                        best_len, best = len(ec), [(series["series"], entry)]
                    elif len(ec) == best_len:
                        best.append((series["series"], entry))
        hits.extend(best)
    for alias, name in (book.facts["jiangsu_directory"].get("aliases") or {}).items():
        if alias in question:
            question += name  # "健身教练" is listed as 健身和娱乐场所服务人员
    if not hits:
        for series in table:
            for entry in series["entries"]:
                name = re.sub(r"（.*?）", "", entry["name"])
                short = name[:-2] if name.endswith("人员") and len(name) > 4 else name
                if name in question or (len(short) >= 3 and short in question):
                    hits.append((series["series"], entry))
    return hits


def _directory(book: RuleBook, question: str, cites: Citations) -> str:
    meta = book.facts["jiangsu_directory"]
    hits = directory_lookup(book, question)
    note_id = "js.att.note"
    if not hits:
        return (
            "江苏《专业技术职称系列与技能职业（工种）对应指导目录（试行）》按职业编码和名称列出工程、农业、工艺美术、"
            "文物博物、实验技术、艺术、体育、技工院校教师8个系列对应的职业；您提到的职业没有在目录中按名称或编码找到。"
            f"目录未列明的职业（工种），由相关系列（专业）职称评审委员会结合实际确定{cites.mark(note_id)}。"
            "请提供职业编码（如 6-31-01-03）以便查询。"
        )
    lines = []
    for series, entry in hits:
        code = f"{entry['code']} " if entry.get("code") else ""
        n = cites.ref_quote(meta["doc"], f"{meta['section']} {series}", entry["quote"]) + 1
        lines.append(f"- {code}{entry['name']} → **{series}**系列【{n}】")
    return (
        f"依据江苏《专业技术职称系列与技能职业（工种）对应指导目录（试行）》（{meta['doc']} 附件）：\n\n"
        + "\n".join(lines)
        + f"\n\n目录以《中华人民共和国职业分类大典》(2015版)为依据{cites.mark(note_id)}；"
        "具体专业由各职称评审委员会在年度评审通知中明确。该目录是江苏省的文件，其他地区不适用。"
    )


def answer_fact_question(book: RuleBook, topic: str, question: str, facts: Any, cites: Citations) -> str:
    """Markdown answer for one fact topic, scoped to the region(s) in the facts if any."""
    regions = _regions(list(facts.regions), facts.region)
    if topic == "ladder":
        return _ladder(book, cites)
    if topic == "code":
        return _code(book, question, cites)
    if topic == "treatment":
        return _treatment(book, regions, cites, question)
    if topic == "school":
        return _school(book, regions, cites)
    if topic == "series":
        return _series(book, regions, cites, question)
    if topic == "exams":
        return _cited_list(book, "qualification_exams", regions, cites,
                           "支持高技能人才参加的专业技术人员职业资格考试：", "该地区文件未单列此项。")
    if topic == "theory":
        return _cited_list(book, "theory_exemption", regions, cites,
                           "专业技术人才参加职业技能评价时的理论考试：", "该地区文件未规定。")
    if topic == "directory":
        return _directory(book, question, cites)
    raise ValueError(f"unknown fact topic {topic}")
