"""Chat state (assistant/chat.py) and the web pages' rendering (web/) against the real assistant."""
from __future__ import annotations

import datetime as dt

import pytest

import app
from assistant.chat import ChatSession, QuickReply, quick_replies, summarize_facts
from assistant.cite import official_reference
from rules import lexicon
from web import documents, render, selfcheck
from web.context import AppContext, esc
from web.feedback import FeedbackStore

pytestmark = pytest.mark.slow

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


# --- multi-turn state ---------------------------------------------------------------------

def test_facts_accumulate_until_a_decision(assistant):
    s = ChatSession(assistant)
    first = s.send("我是技师，能评职称吗？")
    assert first["route"] == "clarify"
    assert first["decision"]["missing"][0] == "region"
    assert [q.label for q in s.quick_replies()] == list(lexicon.regions())
    assert s.summary() == "现有：技师（二级）"

    second = s.send("上海")
    assert second["route"] == "clarify"
    assert second["decision"]["missing"][0] == "years"
    assert "4年" in [q.label for q in s.quick_replies()]
    assert s.summary() == "地区：上海；现有：技师（二级）"

    third = s.send("干了4年")
    assert third["route"] == "rules"
    assert third["decision"]["eligible"] is True
    assert third["citations"] and third["citations"][0]["doc"] == "沪人社专〔2021〕312号"
    assert s.summary() == "地区：上海；现有：技师（二级），满4年"
    assert s.quick_replies() == []
    assert s.turns == 3

    s.reset()
    assert s.facts == {} and s.summary() == "" and s.last is None


def test_quick_reply_text_answers_the_follow_up(assistant):
    s = ChatSession(assistant)
    s.send("我在南京，技师，能申报中级职称吗？")
    assert s.last["decision"]["missing"] == ["years"]
    reply = next(q for q in s.quick_replies() if q.label == "3年")
    answer = s.send(reply.text)
    assert answer["route"] == "rules"
    assert answer["decision"]["eligible"] is True


def test_error_turn_keeps_the_facts(assistant):
    s = ChatSession(assistant)
    s.send("我在上海，是技师")
    before = dict(s.facts)
    answer = s.send("   ")
    assert answer["route"] == "error"
    assert s.facts == before


def test_as_of_is_passed_through(assistant):
    s = ChatSession(assistant, as_of="2024-03-01")
    answer = s.send("我在上海，2021年6月取得技师，能申报中级职称吗？")
    assert answer["decision"]["as_of"] == "2024-03-01"
    assert answer["decision"]["eligible"] is False  # 满3年 only from 2024-06-30


# --- summary and quick replies without the assistant -----------------------------------------

@pytest.mark.parametrize("facts, expected", [
    ({}, ""),
    ({"region": "上海", "skill_level": "技师", "years_min": 4, "years_max": 4}, "地区：上海；现有：技师（二级），满4年"),
    ({"region": "四川", "skill_level": "高级工", "years_min": 2, "years_max": 2.99}, "地区：四川；现有：高级工（三级），2年多"),
    ({"region": "黄石", "title_level": "中级", "obtained": "2020-06"}, "地区：黄石；现有：中级，2020年6月取得"),
    ({"uncovered_region": "广东", "skill_level": "技师"}, "地区：广东（未收录）；现有：技师（二级）"),
    ({"region": "江苏", "honours": ["江苏工匠"], "assessment_ok": True, "target": "副高级"},
     "地区：江苏；荣誉：江苏工匠；近3年考核：合格；想申报：副高级职称"),
    ({"years_max": 2.99}, "年限：不满3年"),
])
def test_summarize_facts(facts, expected):
    assert summarize_facts(facts) == expected


def _clarify(missing, follow_up="", direction=None):
    return {"route": "clarify", "decision": {"missing": missing, "follow_up": follow_up, "direction": direction}}


def test_quick_replies_by_missing_fact():
    assert quick_replies({"route": "rules", "decision": {"missing": ["region"]}}) == []
    assert [q.text for q in quick_replies(_clarify(["region"]))] == ["四川", "上海", "黄石", "江苏"]
    skill = quick_replies(_clarify(["credential"], "您目前取得的是哪一级职业技能等级？", "skill_to_title"))
    assert QuickReply("技师（二级）", "我是技师") in skill
    title = quick_replies(_clarify(["credential"], "您目前取得的是什么级别的职称？", "title_to_skill"))
    assert QuickReply("中级", "我有中级职称") in title
    yes_no = quick_replies(_clarify(["credential"], "您目前是否已取得中级职称？"))
    assert [q.text for q in yes_no] == ["我已经取得中级职称", "我没有中级职称"]
    years = quick_replies(_clarify(["years"], "您取得技师（二级）后从事相关工作满几年了？"))
    assert [q.label for q in years][:3] == ["不满1年", "1年", "2年"]
    assert quick_replies(_clarify(["years"], "您是2022年几月取得技师（二级）的？")) == []


# --- rendering: everything user- or corpus-supplied is escaped ------------------------------

@pytest.fixture(scope="module")
def ctx(assistant):
    return AppContext(assistant)


def _turn(answer, question="问题", turn_id="t1", as_of="2026-11-21"):
    return {"id": turn_id, "question": question, "answer": answer, "facts_in": {}, "as_of": as_of}


def test_question_answer_citations_and_warnings_are_escaped(ctx):
    answer = {"route": "retrieval", "answer": XSS, "decision": None, "warnings": [XSS],
              "citations": [{"doc": XSS, "title": XSS, "section": XSS, "section_path": XSS, "quote": XSS}]}
    html = render.conversation_html(ctx, {"turns": [_turn(answer, question=XSS)]}, feedback=True)
    assert "<script" not in html and "<img" not in html
    assert html.count("&lt;script&gt;") >= 4  # question, answer, warning, card
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_markdown_in_questions_and_answers_fetches_nothing(ctx):
    probe = "![x](http://127.0.0.1:9/probe) [link](http://127.0.0.1:9/probe) <http://127.0.0.1:9/probe>"
    answer = {"route": "out_of_scope", "answer": f"**不在范围内**：{probe}", "citations": [], "warnings": []}
    html = render.conversation_html(ctx, {"turns": [_turn(answer, question=probe)]}, feedback=False)
    assert "<img" not in html and "href" not in html and "<a " not in html
    assert "<strong>不在范围内</strong>" in html  # the assistant's own Markdown still renders
    assert "👍" not in html  # feedback switched off: no buttons


def test_each_answer_keeps_its_own_clickable_citations(ctx, assistant):
    first = assistant.ask("我在上海，技师满4年，能申报中级职称吗？", as_of="2026-11-21")
    second = assistant.ask("黄石市对获得湖北省技术能手的人有什么绿色通道？", as_of="2026-11-21")
    html = render.conversation_html(ctx, {"turns": [_turn(first, turn_id="a"), _turn(second, turn_id="b")]},
                                    feedback=True)
    old_turn = html[html.index('data-turn="a"'):html.index('data-turn="b"')]
    assert 'data-act="ref" data-n="1"' in old_turn
    assert esc(official_reference(first["citations"][0])) in old_turn
    assert esc(first["citations"][0]["quote"]) in old_turn  # the hover text and the card of the old answer
    assert esc(second["citations"][0]["quote"]) not in old_turn


def test_copy_texts_are_plain(ctx, assistant):
    answer = assistant.ask("我在上海，技师满4年，能申报中级职称吗？", as_of="2026-11-21")
    text = render.answer_copy_text(answer)
    assert "**" not in text and "&lt;" not in text and "&amp;" not in text and "`" not in text
    assert text.startswith("结论：可以申报。")
    assert official_reference(answer["citations"][0]) in text
    assert render.plain_text("**a** `b`\n- c\n> d") == "a b\n· c\nd"
    assert answer["decision"]["rule_id"] and "（规则：" not in answer["answer"]  # ids live in the JSON only
    assert "（规则：" not in text and "sh.s2t" not in text
    assert "sh.s2t" not in render.turn_html(ctx, _turn(answer), last=True, feedback=False).split("gt-tools")[0]


def test_facts_panel_and_document_view_escape(ctx):
    assert "<script" not in render.facts_html({"uncovered_region": XSS})
    doc = "沪人社专〔2021〕312号"
    html = documents.render_document_html(ctx, doc, keyword=XSS)
    assert "<script" not in html and "&lt;script&gt;" in html
    found = documents.render_document_html(ctx, doc, keyword="满 3 年")
    assert "<mark>满 3 年</mark>" in found


@pytest.mark.parametrize("needle", ["满3年", "满 3 年", "满３年", "满　3年"])
def test_document_search_ignores_spacing_and_width(ctx, needle):
    html = documents.render_document_html(ctx, "沪人社专〔2021〕312号", keyword=needle)
    assert "<mark>满 3 年</mark>" in html and "没有包含" not in html


def test_find_spans_maps_back_to_the_original_text():
    text = "从事技术工作满 2 年，可申报。满2年"
    assert [text[a:b] for a, b in documents.find_spans(text, "满2年")] == ["满 2 年", "满2年"]
    assert documents.find_spans(text, "   ") == [] and documents.find_spans(text, "满5年") == []


def test_a_region_opens_its_main_document(ctx):
    assert documents.main_document(ctx, "江苏") == "苏人社发〔2021〕132号"
    assert [d for _, d in documents.document_choices(ctx, "江苏")] == ["苏人社发〔2021〕132号", "通人社专〔2022〕1号"]


def test_cited_passage_is_highlighted_in_its_document(ctx, assistant):
    answer = assistant.ask("我在上海，技师满4年，能申报中级职称吗？", as_of="2026-11-21")
    cite = answer["citations"][0]
    html = documents.render_document_html(ctx, cite["doc"], focus=cite["quote"])
    assert html.count("gt-focus") == 1 and '<mark class="gt-hit">' in html


def test_citation_card_shows_title_doc_path_quote_and_validity(ctx, assistant):
    answer = assistant.ask("川人社规〔2023〕15号对技能等级认定的评价方式有什么规定？", as_of="2026-06-01")
    html = render.turn_html(ctx, _turn(answer, as_of="2026-06-01"), last=True, feedback=True)
    c = answer["citations"][0]
    assert esc(c["doc"]) in html and esc(c["title"]) in html
    assert esc(c["quote"]) in html
    assert "条款位置：" in html
    assert any(x["doc"] == "川人社规〔2023〕15号" for x in answer["citations"])
    assert "已过有效期（2026-01-31 到期）" in html and "gt-warn" in html


def test_rule_citations_get_their_section_path(ctx, assistant):
    answer = assistant.ask("我在上海，技师满4年，能申报中级职称吗？")
    rule_cite = answer["citations"][0]
    assert ctx.section_path(rule_cite)


def test_document_view_lists_every_clause_verbatim(ctx):
    for doc, meta in ctx.catalog.items():
        html = documents.render_document_html(ctx, doc, day=dt.date(2026, 11, 21))
        assert esc(doc) in html and esc(meta.title) in html
        clauses = ctx.clauses_by_doc[doc]
        assert clauses, doc
        assert f"共 {len(clauses)} 条" in html
        assert esc(clauses[-1]["text"]) in html
    expired = documents.render_document_html(ctx, "川人社规〔2023〕15号", day=dt.date(2026, 11, 21))
    assert "已过有效期（2026-01-31 到期）" in expired


# --- self-check ---------------------------------------------------------------------------

def test_self_check_decides_from_the_form(assistant):
    facts = selfcheck.build_self_check_facts("上海", "skill:技师", "2021", "6", [], "合格", selfcheck.ANY_TARGET)
    assert facts["skill_level"] == "技师" and facts["obtained"] == "2021-06" and facts["assessment_ok"] is True
    question = selfcheck.self_check_question(facts)
    assert question.startswith("我在上海，2021年6月取得技师")
    answer = assistant.ask(question, facts=facts, as_of="2026-11-21")
    assert answer["route"] == "rules" and answer["decision"]["eligible"] is True
    verdict = selfcheck.render_verdict_html(answer)
    assert "✅ 现在可以申报" in verdict and "条件核对" in verdict


def test_self_check_shows_when_the_next_level_opens(assistant):
    facts = selfcheck.build_self_check_facts("上海", "skill:高级技师", "2025", "1", [], "合格", "副高级")
    answer = assistant.ask(selfcheck.self_check_question(facts), facts=facts, as_of="2026-11-21")
    assert answer["decision"]["eligible"] is False
    verdict = selfcheck.render_verdict_html(answer)
    assert "❌" in verdict and "2029年1月31日起" in verdict


def test_honour_choices_are_the_regions_own_in_the_documents_words(ctx):
    assert selfcheck.honour_choices(ctx, None) == []
    shanghai = dict(selfcheck.honour_choices(ctx, "上海"))
    assert "获得上海市首席技师资助" in shanghai and "上海市技术能手" in shanghai
    assert not any("四川" in label or "江苏" in label or "黄石" in label for label in shanghai)
    jiangsu = dict(selfcheck.honour_choices(ctx, "江苏"))
    assert "经省人力资源社会保障厅认定的特级技师" in jiangsu  # not the internal key "特级技师（经省人社厅认定）"
    assert not any("未达" in label or "非总决赛" in label or "未说明" in label for label in jiangsu)
    assert not any("上海" in label or "四川" in label for label in jiangsu)
    assert set(jiangsu.values()) <= set(lexicon.honours())  # the values are the rule data's keys


# --- the chat's handlers (state in the browser store) ------------------------------------------

def _send(chat, text, store):
    *_, last = chat.send(text, store, "2026-11-21")
    return last  # (question box, conversation html, store, facts html)


def test_reset_forgets_messages_facts_and_sources_together(ctx, tmp_path):
    from web.ui import EMPTY_STORE, ChatHandlers

    chat = ChatHandlers(ctx, FeedbackStore(tmp_path / "fb.sqlite3"))
    _, html, store, facts = _send(chat, "我在上海，是技师，能评中级职称吗？", EMPTY_STORE)
    assert store["facts"]["region"] == "上海" and "地区：上海" in facts and len(store["turns"]) == 1
    _, html, store, facts = chat.reset()
    assert store == EMPTY_STORE and "还没有信息" in facts and "gt-turn" not in html and "职工常问" in html
    _, html, store, _ = _send(chat, "5年", store)
    assert not store["facts"].get("region") and not store["facts"].get("skill_level")
    assert "上海" not in html.split('class="gt-q-text"')[1].split("</div>")[0]


def test_feedback_is_recorded_with_the_turn_it_rates(ctx, tmp_path):
    from web.ui import EMPTY_STORE, ChatHandlers

    fb = FeedbackStore(tmp_path / "fb.sqlite3")
    chat = ChatHandlers(ctx, fb)
    store = _send(chat, "我是技师，能评中级职称吗？", EMPTY_STORE)[2]
    store = _send(chat, "上海", store)[2]
    second = store["turns"][1]
    chat.record_feedback(store, {"turn": second["id"], "rating": "down", "comment": "年限没问"})
    chat.record_feedback(store, {"turn": "no-such-turn", "rating": "up"})
    [row] = fb.rows()
    assert row["question"] == "上海" and row["context"] == ["我是技师，能评中级职称吗？"]
    assert row["answer"] == second["answer"] and row["facts"]["skill_level"] == "技师"
    assert row["as_of"] == "2026-11-21" and row["comment"] == "年限没问"


def test_a_store_from_the_browser_is_cleaned_before_use(ctx):
    from web.ui import ChatHandlers, clean_store

    assert clean_store("junk") == {"turns": [], "facts": {}}
    assert clean_store({"turns": [{"id": 1}, "x", {"id": "a", "question": "q", "answer": {}}], "facts": []}) == \
        {"turns": [{"id": "a", "question": "q", "answer": {}}], "facts": {}}
    assert clean_store({"turns": [], "facts": {"region": "火星"}})["facts"] == {}  # not a covered region
    assert clean_store({"turns": [], "facts": {"honours": "x"}})["facts"] == {}
    assert clean_store({"turns": [], "facts": {"region": "上海"}})["facts"] == {"region": "上海"}
    html, _ = ChatHandlers(ctx, None).restore({"turns": [{"id": "a", "question": XSS, "answer": {"answer": XSS}}]})
    assert "<script" not in html and "&lt;script&gt;" in html


def test_open_document_selects_the_tab_region_and_passage(ctx, assistant):
    from web.ui import ChatHandlers

    cite = assistant.ask("我在南京，技师满3年，能申报中级职称吗？", as_of="2026-11-21")["citations"][0]
    tabs, region, pick, search, view, focus = ChatHandlers(ctx, None).open_document(cite["doc"], cite["quote"])
    assert tabs.selected == "documents" and region == "江苏" and pick.value == cite["doc"] and search == ""
    assert "gt-focus" in view and focus == cite["quote"]


# --- serving ------------------------------------------------------------------------------

def test_parse_auth():
    assert app.parse_auth(None) is None
    assert app.parse_auth("hr:secret") == [("hr", "secret")]
    assert app.parse_auth("a:1, b:2") == [("a", "1"), ("b", "2")]
    with pytest.raises(ValueError):
        app.parse_auth("no-colon")


def test_build_app_exposes_only_the_ask_api(assistant):
    demo = app.build_app(assistant)
    public = {fn.api_name for fn in demo.fns.values() if fn.api_visibility == "public"}
    assert public == {"ask"}


def test_first_run_builds_the_index_with_visible_progress(tmp_path, capsys):
    fresh = tmp_path / "fresh-index"
    assistant = app.load_assistant(fresh)
    out = capsys.readouterr().out
    assert "首次运行：索引不存在" in out
    assert out.count("完成（") >= 2  # one line per finished stage
    assert "索引构建完成" in out
    assert assistant.ask("我在上海，技师满4年，能申报中级职称吗？")["route"] == "rules"
    app.load_assistant(fresh)
    assert "正在加载索引" in capsys.readouterr().out
