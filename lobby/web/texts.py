"""The pages' words in Chinese and English, and the choice of language per request."""

from __future__ import annotations

from collections.abc import Mapping

LANGS = ("zh", "en")
LANG_COOKIE = "lobby_lang"

TEXTS: dict[str, dict[str, str]] = {
    "zh": {
        "title_ticket": "我的排队号",
        "your_number": "您的号码",
        "service": "业务",
        "ahead": "前面还有 {n} 位",
        "ahead_none": "下一位就是您",
        "wait": "预计等候 {low}–{high} 分钟",
        "wait_none": "马上就到您",
        "state_waiting": "等候中",
        "state_called": "请到 {counter} 号窗口",
        "state_serving": "正在 {counter} 号窗口办理",
        "state_done": "业务已办结，谢谢光临",
        "state_missed": "您的号码已过号，请到大堂咨询",
        "state_cancelled": "此号码已取消",
        "state_expired": "此号码已失效",
        "live": "页面会自动更新",
        "refresh": "刷新",
        "switch": "English",
        "switch_label": "切换到英文",
        "near_turn": "快到您了：前面还有 {n} 位",
        "error_title": "无法显示此号码",
        "error_forged": "这个链接无法验证。请扫描您号票上的二维码，或到大堂咨询。",
        "error_expired": "这张号票已过期（只在取号当天有效）。",
        "error_unknown": "没有找到这个号码。请到大堂咨询。",
        "error_complaint": "没有找到这项投诉。请到大堂咨询。",
        "error_busy": "请求过于频繁，请稍后再试。",
        "error_page": "没有这个页面。",
        "title_complaint": "投诉进度",
        "reference": "受理编号",
        "status": "状态",
        "filed": "受理时间",
        "answer_by": "最迟答复日期",
        "resolution": "处理结果",
        "complaint_new": "已受理",
        "complaint_assigned": "处理中",
        "complaint_in_progress": "处理中",
        "complaint_resolved": "已处理",
        "complaint_informed": "已答复",
        "complaint_closed": "已结案",
        "title_display": "叫号",
        "now_calling": "正在叫号",
        "recent": "最近叫号",
        "waiting_now": "等候人数",
        "counter_n": "{counter} 号窗口",
        "people": "{n} 人",
        "minutes": "约 {low}–{high} 分钟",
        "sound_on": "开启声音",
        "no_calls": "暂无叫号",
    },
    "en": {
        "title_ticket": "My ticket",
        "your_number": "Your number",
        "service": "Service",
        "ahead": "{n} ahead of you",
        "ahead_none": "You are next",
        "wait": "Estimated wait {low}–{high} min",
        "wait_none": "Any moment now",
        "state_waiting": "Waiting",
        "state_called": "Please go to counter {counter}",
        "state_serving": "Being served at counter {counter}",
        "state_done": "All done, thank you for visiting",
        "state_missed": "Your number was called and missed; please ask in the lobby",
        "state_cancelled": "This ticket was cancelled",
        "state_expired": "This ticket has expired",
        "live": "This page updates by itself",
        "refresh": "Refresh",
        "switch": "中文",
        "switch_label": "Switch to Chinese",
        "near_turn": "Nearly your turn: {n} ahead",
        "error_title": "This ticket cannot be shown",
        "error_forged": "This link does not check out. Scan the QR code on your ticket, "
        "or ask in the lobby.",
        "error_expired": "This ticket has expired (it is valid on the day it was taken).",
        "error_unknown": "No such ticket today. Please ask in the lobby.",
        "error_complaint": "No such complaint. Please ask in the lobby.",
        "error_busy": "Too many requests; please try again in a minute.",
        "error_page": "There is no such page.",
        "title_complaint": "Your complaint",
        "reference": "Reference",
        "status": "Status",
        "filed": "Filed",
        "answer_by": "We answer by",
        "resolution": "Resolution",
        "complaint_new": "Received",
        "complaint_assigned": "Being handled",
        "complaint_in_progress": "Being handled",
        "complaint_resolved": "Resolved",
        "complaint_informed": "Answered",
        "complaint_closed": "Closed",
        "title_display": "Now calling",
        "now_calling": "Now calling",
        "recent": "Recent calls",
        "waiting_now": "Waiting",
        "counter_n": "Counter {counter}",
        "people": "{n} waiting",
        "minutes": "about {low}–{high} min",
        "sound_on": "Sound on",
        "no_calls": "No calls yet",
    },
}


def text(lang: str, key: str, **values: object) -> str:
    """The words for ``key`` in ``lang``, with ``values`` filled in."""
    return TEXTS[lang][key].format(**values)


def choose_lang(query: Mapping[str, str], cookies: Mapping[str, str], accept: str) -> str:
    """The page language: ``?lang=``, then the cookie, then the phone's Accept-Language."""
    for chosen in (query.get("lang"), cookies.get(LANG_COOKIE)):
        if chosen in LANGS:
            return chosen
    best, best_q = "zh", -1.0
    for order, part in enumerate(accept.split(",")):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        if lang not in LANGS:
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        q -= order * 1e-6  # equal weights: the first listed wins
        if q > best_q:
            best, best_q = lang, q
    return best
