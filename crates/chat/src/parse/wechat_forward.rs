//! A WeChat merged-forward chat record ("聊天记录" / "Chat History") copied out as text, or pasted from an export
//! tool.
//!
//! ```text
//! 张三和李四的聊天记录                         Chat History of Lily and Tom             【合并转发的聊天记录】
//! ————— 2024-03-12 —————                       Lily  2024/3/12 15:20                    - 2024-03-12 15:20:11 张三: 你好
//! 张三  15:20                                  Hello                                    - 2024-03-12 15:21:00 李四: [图片]
//! 你好，平台在维护，请付款到我的私人支付宝      Tom:
//! 李四  15:21                                  ok
//! [图片]
//! ```
//!
//! - The title line (`群聊的聊天记录`, `张三和李四的聊天记录`, `X与Y的聊天记录`, `Chat History of X and Y`,
//!   `【合并转发的聊天记录】`, the heading WeChatMsg / MemoTrace's text export writes) is not a message; a title
//!   later in the text (a forward inside the forward) is a [`system`](super::Message::system) line.
//! - A message starts at a header line, `Name  2024-03-12 15:20`, `Name 2024/3/12 15:20`, `Name 3月12日 15:20`
//!   or `Name 15:20` (the date from the last date line is put before a bare time), or WeChatMsg's
//!   `- 2024-03-12 15:20:11 Name: text` item, or, in a record with no header lines, a `Name:` or `Name: text` line. Other lines
//!   continue the message; blank lines are skipped.
//! - Date lines `————— 2024-03-12 —————` (any dashes, or none) set the date.
//! - Placeholders (`[图片]`, `[Photo]`, `[表情]`, `[Sticker]`, `[语音]`, `[视频]`, `[文件]`, `[链接]`, `[Link]`,
//!   `[位置]`, `[Location]`, `[名片]`, `[聊天记录]`, `[转账]`, …) and the app's notices (`张三撤回了一条消息`,
//!   `Lily recalled a message`, `以上是打招呼的内容`, `拍了拍`, …) are system lines.

use std::sync::LazyLock;

use regex::Regex;

use super::header::name_colon;
use super::{Acc, Draft, TIME};

static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
            【合并转发的聊天记录】 | 合并转发的聊天记录 | \[?(?:群聊的聊天记录|聊天记录|聊天記錄|Chat\ History|Group\ Chat\ History)\]?
            | .{1,60}的聊天(?:记录|記錄)
            | (?:\[?Chat\ History\]?\ ?(?:of|for|with|between|:)\ ?.{1,120})
          )$",
    )
    .expect("static regex")
});
/// `Name  2024-03-12 15:20`, `Name 3月12日 15:20`, `Name 6/3/2024 2:02 PM`, `Name 15:20`.
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(\S.{{0,39}}?)\s+((?:(?:\d{{4}}[-/年.])?\d{{1,2}}[-/月.]\d{{1,2}}日?\s*|\d{{1,2}}/\d{{1,2}}/\d{{4}},?\s+)?{TIME})\s*$"
    ))
    .expect("static regex")
});
/// WeChatMsg / MemoTrace: `- 2024-03-12 15:20:11 Name: text`.
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*-\s+(\d{{4}}[-/]\d{{1,2}}[-/]\d{{1,2}}\s+{TIME})\s+([^:：]{{1,40}}?)[:：]\s?(.*)$"
    ))
    .expect("static regex")
});
static NAME_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([^:：\s][^:：]{0,39}?)\s*[:：]$").expect("static regex"));
/// `————— 2024-03-12 —————`, `--- 2024年3月12日 ---`, or the date alone.
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-—–=_─━\s]*(\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}日?)[-—–=_─━\s]*$").expect("static regex")
});

/// Reading state of a forwarded record.
#[derive(Debug, Default)]
pub(super) struct ForwardParser {
    acc: Acc,
    date: Option<String>,
    /// A header line has been seen: then `Name: text` and `Name:` lines are text (`价格: 12元`, `Checklist:`), not
    /// new messages.
    headers: bool,
    /// A non-empty line has been seen: a title after that is a forward inside the forward.
    started: bool,
}

impl ForwardParser {
    pub(super) fn line(&mut self, n: usize, l: &str, out: &mut Vec<Draft>) {
        let t = l.trim_start_matches('\u{feff}').trim_end();
        if t.trim().is_empty() {
            return;
        }
        let first = !self.started;
        self.started = true;
        if TITLE.is_match(t.trim()) {
            if !first {
                let mut d = Draft::new(n, None, None, t.trim().to_string());
                d.system = true;
                self.acc.start(d, out);
                self.acc.flush(out);
            }
        } else if let Some(c) = DATE_LINE.captures(t) {
            self.date = Some(c[1].to_string());
            self.acc.flush(out);
        } else if let Some(c) = ITEM.captures(t) {
            let d = Draft::new(
                n,
                Some(c[2].trim().to_string()),
                Some(c[1].to_string()),
                c[3].to_string(),
            );
            self.acc.start(d, out);
        } else if let Some(c) = HEADER.captures(t) {
            self.headers = true;
            let time = &c[2];
            let time = match &self.date {
                // A bare time: the date comes from the last date line.
                Some(d) if !time.contains(['-', '/', '.', '月']) => format!("{d} {time}"),
                _ => time.to_string(),
            };
            self.acc.start(
                Draft::new(n, Some(c[1].trim().to_string()), Some(time), String::new()),
                out,
            );
        } else if let Some(c) = NAME_ONLY.captures(t).filter(|_| !self.headers) {
            self.acc.start(
                Draft::new(n, Some(c[1].trim().to_string()), self.date.clone(), String::new()),
                out,
            );
        } else if let Some((name, body, _)) = name_colon(t).filter(|_| !self.headers) {
            let d = Draft::new(n, Some(name.to_string()), self.date.clone(), body.to_string());
            self.acc.start(d, out);
        } else if is_notice(t) && self.acc.cur.as_ref().is_some_and(|d| !d.text.is_empty()) {
            // "张三撤回了一条消息" after a message's text is a line of its own, not the end of that message.
            let mut d = Draft::new(n, None, self.date.clone(), t.trim().to_string());
            d.system = true;
            self.acc.start(d, out);
            self.acc.flush(out);
        } else {
            self.acc.push(n, t, false, out);
        }
    }

    pub(super) fn finish(&mut self, out: &mut Vec<Draft>) {
        self.acc.flush(out);
    }
}

/// Texts WeChat writes in place of a message's content.
const PLACEHOLDERS: &[&str] = &[
    "[图片]",
    "[圖片]",
    "[Photo]",
    "[Image]",
    "[表情]",
    "[动画表情]",
    "[動畫表情]",
    "[Sticker]",
    "[语音]",
    "[語音]",
    "[Voice]",
    "[Audio]",
    "[视频]",
    "[影片]",
    "[Video]",
    "[文件]",
    "[檔案]",
    "[File]",
    "[链接]",
    "[連結]",
    "[Link]",
    "[位置]",
    "[Location]",
    "[名片]",
    "[Contact Card]",
    "[聊天记录]",
    "[聊天記錄]",
    "[Chat History]",
    "[小程序]",
    "[Mini Program]",
    "[视频号]",
    "[Channels]",
    "[音乐]",
    "[Music]",
    "[转账]",
    "[Transfer]",
    "[红包]",
    "[Red Packet]",
    "[语音通话]",
    "[视频通话]",
    "[Voice Call]",
    "[Video Call]",
    "[拍一拍]",
];

/// Parts of the app's one-line notices.
const NOTICES: &[&str] = &[
    "撤回了一条消息",
    "撤回了一條訊息",
    "recalled a message",
    "以上是打招呼的内容",
    "以上是打招呼的內容",
    "以下为新消息",
    "现在可以开始聊天了",
    "現在可以開始聊天了",
    "you can now start chatting",
    "拍了拍",
    "tickled",
    "消息已发出，但被对方拒收了",
    "开启了朋友验证",
];

/// Whether a forwarded message's text is one the app wrote.
pub(super) fn is_system(text: &str) -> bool {
    let t = text.trim();
    if PLACEHOLDERS.contains(&t) {
        return true;
    }
    is_notice(t)
}

/// Whether one line is one of the app's notices: short, and worded as WeChat words them.
fn is_notice(t: &str) -> bool {
    if t.contains('\n') || t.chars().count() > 80 {
        return false;
    }
    let lower = t.to_lowercase();
    NOTICES.iter().any(|n| lower.contains(n))
}

/// Whether the first lines look like a copied forward: its title line first, then a line that starts a message
/// or gives a date (a pasted sentence ending in "的聊天记录" is not enough).
pub(super) fn detect(lines: &[&str]) -> bool {
    TITLE.is_match(lines[0].trim())
        && lines[1..].iter().take(20).any(|l| {
            let t = l.trim_end();
            DATE_LINE.is_match(t)
                || ITEM.is_match(t)
                || HEADER.is_match(t)
                || NAME_ONLY.is_match(t)
                || name_colon(t).is_some()
        })
}

#[cfg(test)]
mod tests {
    use super::super::{parse, ChatReader, InputFormat, Message};

    fn both(log: &str) -> Vec<Message> {
        let m = parse(log, InputFormat::Auto);
        assert_eq!(m, parse(log, InputFormat::WeChatForward), "{log}");
        let streamed: Vec<Message> = ChatReader::new(log.as_bytes(), InputFormat::Auto)
            .map(Result::unwrap)
            .collect();
        assert_eq!(m, streamed);
        m
    }

    type Row<'a> = (Option<&'a str>, Option<&'a str>, &'a str, bool);

    #[test]
    fn shapes_of_a_copied_forward() {
        let table: &[(&str, &[Row<'static>])] = &[
            (
                "张三和李四的聊天记录\n————— 2024-03-12 —————\n张三  15:20\n你好，平台在维护\n请付款到我的私人支付宝\n\n\
                 李四  15:21\n[图片]\n张三  15:22\n价格: 12元\n张三撤回了一条消息\n",
                &[
                    (Some("张三"), Some("2024-03-12 15:20"), "你好，平台在维护\n请付款到我的私人支付宝", false),
                    (Some("李四"), Some("2024-03-12 15:21"), "[图片]", true),
                    (Some("张三"), Some("2024-03-12 15:22"), "价格: 12元", false),
                    (None, Some("2024-03-12"), "张三撤回了一条消息", true),
                ],
            ),
            (
                "Chat History of Lily and Tom\nLily  2024/3/12 15:20\nHello\nTom 2024/3/12 15:21\n[Sticker]\n\
                 Lily 2024/3/12 15:22\nLily recalled a message",
                &[
                    (Some("Lily"), Some("2024/3/12 15:20"), "Hello", false),
                    (Some("Tom"), Some("2024/3/12 15:21"), "[Sticker]", true),
                    (Some("Lily"), Some("2024/3/12 15:22"), "Lily recalled a message", true),
                ],
            ),
            (
                "群聊的聊天记录\n王经理:\n您好\n在的\n买家: 好的\n王经理: [链接]\n王经理: [链接] 工厂介绍\n以上是打招呼的内容",
                &[
                    (Some("王经理"), None, "您好\n在的", false),
                    (Some("买家"), None, "好的", false),
                    (Some("王经理"), None, "[链接]", true),
                    (Some("王经理"), None, "[链接] 工厂介绍", false),
                    (None, None, "以上是打招呼的内容", true),
                ],
            ),
            (
                "【合并转发的聊天记录】\n\n- 2024-03-12 15:20:11 张三: 你好\n- 2024-03-12 15:21:00 李四: [语音]\n\
                 - 2024-03-12 15:22:00 张三: 聊天记录\n",
                &[
                    (Some("张三"), Some("2024-03-12 15:20:11"), "你好", false),
                    (Some("李四"), Some("2024-03-12 15:21:00"), "[语音]", true),
                    (Some("张三"), Some("2024-03-12 15:22:00"), "聊天记录", false),
                ],
            ),
            (
                "Chat History for Group\nKevin 6/3/2024 2:02 PM\nhello\nAmy 6/3/2024, 2:05 PM\n[Video]",
                &[
                    (Some("Kevin"), Some("6/3/2024 2:02 PM"), "hello", false),
                    (Some("Amy"), Some("6/3/2024, 2:05 PM"), "[Video]", true),
                ],
            ),
            (
                "X与Y的聊天记录\nX 10:00\nhi\n李四和王五的聊天记录\nY 10:01\nok",
                &[
                    (Some("X"), Some("10:00"), "hi", false),
                    (None, None, "李四和王五的聊天记录", true),
                    (Some("Y"), Some("10:01"), "ok", false),
                ],
            ),
        ];
        for (log, want) in table {
            let m = both(log);
            let got: Vec<Row> = m
                .iter()
                .map(|m| (m.sender.as_deref(), m.time.as_deref(), m.text.as_str(), m.system))
                .collect();
            assert_eq!(got, want.to_vec(), "{log}");
            let people = want.iter().filter(|w| !w.3).count();
            let idx: Vec<usize> = m.iter().filter(|m| !m.system).map(|m| m.index).collect();
            assert_eq!(idx, (0..people).collect::<Vec<_>>());
        }
    }

    #[test]
    fn detection_needs_the_title_and_a_message() {
        let table = [
            (
                "李经理 2024-01-01 10:00:00\n您好\n加我微信\n\nBuyer 2024-01-01 10:01:00\nok\n",
                InputFormat::Header,
            ),
            ("这是我们的聊天记录\n请看一下\n谢谢", InputFormat::Plain),
            ("这是我们的聊天记录\n张三 10:00\n你好", InputFormat::WeChatForward),
            ("Chat History of A and B\nA: hi\nB: ok", InputFormat::WeChatForward),
        ];
        for (log, want) in table {
            assert_eq!(super::super::detect(log.lines()), want, "{log}");
        }
    }
}
