"""MCP tools for other agents: `ask_policy` and `check_eligibility`, over streamable HTTP at `/mcp`.

Both call `Assistant.ask`, so an agent gets the contract's answer object, byte for byte what
`POST /api/v1/ask` returns: the text content is that JSON, and `structuredContent` the same
object. The server is stateless (`stateless_http`, JSON responses): any worker process can
answer any request, which is what `--workers N` needs.
"""
from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from server.guard import error_body

INSTRUCTIONS = (
    "贯通政策助手：高技能人才（职业技能等级）与专业技术人才（职称）双向贯通政策的问答与资格判断，"
    "覆盖四川、上海、湖北黄石、江苏（含南通）收录的政策文件。每个回答都附原文出处（文号、条款、摘录）。"
    "ask_policy 回答自然语言问题；check_eligibility 按结构化的个人情况逐条核对申报条件。"
)


def _result(ans: dict) -> CallToolResult:
    from server.guard import json_bytes

    return CallToolResult(content=[TextContent(type="text", text=json_bytes(ans).decode("utf-8"))],
                          structured_content=ans, is_error=ans.get("route") == "error")


def eligibility_facts(region: str | None, credential: str | None, obtained: str | None, years: float | None,
                      target: str | None, honours: list[str] | None, assessment_ok: bool | None) -> dict:
    """The tool's fields → the `facts` dict the chat carries between turns (validated by the assistant)."""
    from rules import lexicon

    levels = lexicon.levels_by_key()
    facts: dict[str, Any] = {"region": region or None, "regions": [region] if region else [],
                             "honours": list(honours or []), "assessment_ok": assessment_ok}
    held = None
    if credential:
        if credential not in levels:
            raise ValueError(f"不认识的等级或职称：{credential}（可用：{'、'.join(levels)}）")
        held = levels[credential].kind
        facts["skill_level" if held == "skill" else "title_level"] = credential
    if target:
        if target not in levels:
            raise ValueError(f"不认识的申报目标：{target}（可用：{'、'.join(levels)}）")
        facts["target"] = target
    if obtained:
        facts["obtained"] = obtained
        facts["years_basis"] = "since_credential"
    elif years is not None:
        facts["years_min"] = facts["years_max"] = float(years)  # as the chat reads "技师满1年"
        facts["years_basis"] = "since_credential"
    wanted = levels[target].kind if target else None
    if held == "skill":
        facts["direction"] = "skill_to_skill" if wanted == "skill" else "skill_to_title"
    elif held == "title" and wanted != "title":
        facts["direction"] = "title_to_skill"
    return facts


def build_mcp(state) -> MCPServer:
    """`state.assistant` answers; the tools run in a worker thread (sync functions)."""
    server = MCPServer("guantong-policy", title="贯通政策助手", instructions=INSTRUCTIONS, version="1",
                       log_level="WARNING")
    read_only = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)

    @server.tool(title="贯通政策问答", annotations=read_only)
    def ask_policy(
        question: Annotated[str, Field(description="问题，例如：我在上海，技师满4年，能申报中级职称吗？")],
        as_of: Annotated[str | None, Field(description="按哪一天的有效文件判断，YYYY-MM-DD；省略为今天")] = None,
        facts: Annotated[dict[str, Any] | None, Field(description="上一轮答案的 facts，原样传回即可多轮追问")] = None,
    ) -> CallToolResult:
        """回答高技能人才与专业技术人才贯通政策的问题，返回答案对象（route、answer、decision、citations、warnings、facts）。"""
        return _result(state.assistant.ask(question, as_of=as_of or None, facts=facts or None))

    @server.tool(title="申报资格核对", annotations=read_only)
    def check_eligibility(
        region: Annotated[str, Field(description="所在地区：四川、上海、黄石 或 江苏")],
        credential: Annotated[str | None, Field(
            description="现有的职业技能等级（高级工、技师、高级技师……）或职称级别（助理级、中级、副高级、正高级）")] = None,
        obtained: Annotated[str | None, Field(description="取得现有等级或职称的时间，YYYY 或 YYYY-MM")] = None,
        years: Annotated[float | None, Field(description="取得后已满的年数（不知道取得时间时用）", ge=0, le=60)] = None,
        target: Annotated[str | None, Field(description="想申报的等级或职称；省略为“现在能申报什么”")] = None,
        honours: Annotated[list[str] | None, Field(description="获得的荣誉或竞赛奖项（规则数据中的名称）")] = None,
        assessment_ok: Annotated[bool | None, Field(description="近3年年度考核是否合格；不确定就省略")] = None,
        as_of: Annotated[str | None, Field(description="判断日期 YYYY-MM-DD；省略为今天")] = None,
    ) -> CallToolResult:
        """按结构化的个人情况逐条核对申报条件，返回答案对象：decision（eligible、conditions 每条指向 citations）及原文出处。"""
        try:
            facts = eligibility_facts(region, credential, obtained, years, target, honours, assessment_ok)
        except ValueError as exc:
            return _result(error_body(str(exc)))
        question = f"我能申报{target}吗？" if target else "我现在能申报什么？"
        return _result(state.assistant.ask(question, as_of=as_of or None, facts=facts))

    return server
