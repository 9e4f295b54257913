//! LINE's "Export chat history" text file, as the English, Chinese (Taiwan / Hong Kong) and Japanese apps write it.
//!
//! ```text
//! [LINE] Chat history with Lily Chen
//! Saved on: 2024/03/12 15:20
//!
//! 2024/03/12(Tue)
//! 15:20⇥Lily Chen⇥hello
//! 15:21⇥Lily Chen⇥"first line
//! second line with ""quotes"""
//! 15:22⇥Lily Chen⇥[Sticker]
//! 15:23⇥⇥Lily Chen unsent a message
//! ```
//!
//! (⇥ is a tab.) The Chinese app writes `[LINE] 與陳小姐的聊天記錄`, `儲存日期：2024/03/12 15:20`, `2024/03/12（二）`
//! and `下午03:15⇥陳小姐⇥您好`; the Japanese one `[LINE] 山田さんとのトーク履歴`, `保存日時：2024/03/12 15:20`,
//! `2024/3/12(火)` and `午後3:15⇥山田⇥こんにちは`.
//!
//! - The header (`[LINE] …` title and the `Saved on:` line) is not a message.
//! - Date lines (`2024/03/12(Tue)`, `2024.03.12 Tuesday`, `2024/03/12（二）`, `2024/3/12(火)`, `2026/1/30周五`,
//!   `Tue, 3/12/2024`) set the date: a message's [`time`](super::Message::time) is that date and its own time,
//!   `2024/03/12 15:20`.
//! - Message lines are `TIME<TAB>Name<TAB>text`, with a 24-hour time, `03:15 PM`, `下午03:15` or `午後3:15`.
//! - A message of several lines is written in double quotes, with `""` for a quote inside; other lines that are
//!   none of the above continue the previous message.
//! - The app's lines are [`system`](super::Message::system): a time line without a sender column
//!   (`TIME<TAB><TAB>text` or `TIME<TAB>text`), media placeholders (`[Photo]`, `[Sticker]`, `[Video]`, `[File]`,
//!   `[Album]`, `[照片]`, `[貼圖]`, `[影片]`, `[檔案]`, `[写真]`, `[スタンプ]`, …), unsent messages
//!   (`Lily unsent a message`, `陳小姐已收回訊息`, `…がメッセージの送信を取り消しました`), calls (`☎ Missed call`,
//!   `☎ 未接來電`), joins and leaves (`Tom joined the group`, `Tom left the group`, `湯姆加入群組`).
//!
//! Not read: the older Windows export that separates the time, name and text with spaces
//! (`16:23 Bob text`), since a name with spaces cannot be told from the text.

use std::sync::LazyLock;

use regex::Regex;

use super::{Acc, Draft};

/// LINE's clock: 24-hour, `03:15 PM` / `3:15PM`, or a half-day word before it.
const LINE_TIME: &str = r"(?:(?:上午|下午|午前|午後)\s?)?\d{1,2}:\d{2}(?:\s?[APap]\.?[Mm]\.?)?";

static MESSAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^({LINE_TIME})\t([^\t]*)(?:\t(.*))?$")).expect("static regex"));
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\[LINE\]\s?.*|Chat history (?:with|in) .+|.{1,80}(?:的聊天記錄|的聊天记录|とのトーク履歴|のトーク履歴))$",
    )
    .expect("static regex")
});
/// The other party named by a one-to-one chat's title (a group's title says "in", or names the group).
static PEER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\[LINE\]\s?)?(?:Chat history with (.+)|[與与](.+?)的聊天[記记][錄录]|(.+?)とのトーク履歴)$")
        .expect("static regex")
});
static SAVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Saved on|儲存日期|保存日期|保存日時|บันทึกวันที่)\s*[:：]\s*.*$").expect("static regex")
});
/// A date line: the date, then the weekday in brackets, as a word, or as `周五` / `星期五`.
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4}[/.]\d{1,2}[/.]\d{1,2})\s*(?:[(（][^()（）]{1,12}[)）]|[A-Za-z]{3,9}|(?:周|週|星期).)?$|^[A-Za-z]{3,9},\s*(\d{1,2}/\d{1,2}/\d{4})$",
    )
    .expect("static regex")
});

/// The date a date line sets, as written without the weekday.
fn date_line(l: &str) -> Option<String> {
    let c = DATE_LINE.captures(l.trim())?;
    c.get(1).or_else(|| c.get(2)).map(|m| m.as_str().to_string())
}

/// Reading state of a LINE export.
#[derive(Debug, Default)]
pub(super) struct LineParser {
    acc: Acc,
    date: Option<String>,
    /// Inside a quoted multi-line message.
    quote: bool,
    /// A message or date line has been seen: the header is over.
    started: bool,
    /// The other party, from the title of a one-to-one chat.
    pub(super) peer: Option<String>,
}

impl LineParser {
    pub(super) fn line(&mut self, n: usize, l: &str, out: &mut Vec<Draft>) {
        let l = if n == 1 { l.trim_start_matches('\u{feff}') } else { l };
        if let Some(c) = MESSAGE.captures(l) {
            if self.quote {
                // The previous message's closing quote never came: a date line it swallowed is still a date.
                self.quote = false;
                self.reclaim_date();
            }
            self.started = true;
            let time = match &self.date {
                Some(d) => format!("{d} {}", &c[1]),
                None => c[1].to_string(),
            };
            let (sender, body) = match c.get(3) {
                Some(body) if !c[2].trim().is_empty() => (Some(c[2].trim().to_string()), body.as_str()),
                Some(body) => (None, body.as_str()),
                None => (None, c.get(2).map_or("", |m| m.as_str())),
            };
            let (text, open) = open_quote(body);
            self.quote = open;
            let mut d = Draft::new(n, sender.clone(), Some(time), text);
            // No sender column: the app's line.
            d.system = sender.is_none();
            self.acc.start(d, out);
            return;
        }
        if self.quote {
            let (content, closes) = close_quote(l);
            if closes {
                self.quote = false;
            }
            self.acc.push(n, &content, true, out);
            return;
        }
        let t = l.trim_end();
        if t.trim().is_empty() {
            return;
        }
        if let Some(d) = date_line(t) {
            self.started = true;
            self.date = Some(d);
            self.acc.flush(out);
        } else if !self.started && (TITLE.is_match(t.trim()) || SAVED.is_match(t.trim())) {
            // The header; its title names the other party of a one-to-one chat.
            if let Some(c) = PEER.captures(t.trim()) {
                self.peer = c
                    .iter()
                    .skip(1)
                    .flatten()
                    .map(|m| m.as_str().trim().to_string())
                    .find(|n| !n.is_empty());
            }
        } else {
            self.acc.push(n, t, true, out);
        }
    }

    pub(super) fn finish(&mut self, out: &mut Vec<Draft>) {
        self.acc.flush(out);
    }

    /// Moves a date line from the end of an unterminated quoted message back to the date.
    fn reclaim_date(&mut self) {
        let Some(d) = &mut self.acc.cur else { return };
        let trimmed = d.text.trim_end_matches('\n');
        if let Some((head, last)) = trimmed.rsplit_once('\n') {
            if let Some(date) = date_line(last) {
                let keep = head.len();
                self.date = Some(date);
                d.text.truncate(keep);
            }
        }
    }
}

/// The runs of `"` in a string: `(all runs but a final one are even, the final run's length)`.
fn quote_runs(s: &str) -> (bool, usize) {
    let mut even = true;
    let mut run = 0;
    for ch in s.chars() {
        if ch == '"' {
            run += 1;
        } else {
            even &= run % 2 == 0;
            run = 0;
        }
    }
    (even, run)
}

/// A message's first text: `"…` opens a quoted message (when the quotes after it are escaped ones), `"…"`
/// is a whole quoted one. Returns the text and whether the quote stays open.
fn open_quote(body: &str) -> (String, bool) {
    let Some(rest) = body.strip_prefix('"') else {
        return (body.to_string(), false);
    };
    match quote_runs(rest) {
        (true, run) if run % 2 == 1 => (rest[..rest.len() - 1].replace("\"\"", "\""), false),
        (true, _) => (rest.replace("\"\"", "\""), true),
        // A lone quote inside: a message that starts with a quote, not LINE's quoting.
        (false, _) => (body.to_string(), false),
    }
}

/// A line inside a quoted message: its text and whether it ends the quote.
fn close_quote(l: &str) -> (String, bool) {
    match quote_runs(l) {
        (true, run) if run % 2 == 1 => (l[..l.len() - 1].replace("\"\"", "\""), true),
        (true, _) => (l.replace("\"\"", "\""), false),
        (false, _) => (l.to_string(), false),
    }
}

/// Exact texts LINE writes in place of media, in English, Chinese and Japanese.
const PLACEHOLDERS: &[&str] = &[
    "[Photo]",
    "[Sticker]",
    "[Video]",
    "[File]",
    "[Album]",
    "[Voice message]",
    "[Location]",
    "[Contact]",
    "[Notes]",
    "[GIF]",
    "Photos",
    "Stickers",
    "Videos",
    "[照片]",
    "[貼圖]",
    "[影片]",
    "[檔案]",
    "[相簿]",
    "[語音訊息]",
    "[位置資訊]",
    "[位置]",
    "[聯絡資訊]",
    "[記事本]",
    "[图片]",
    "[贴图]",
    "[视频]",
    "[文件]",
    "[相册]",
    "[语音信息]",
    "[写真]",
    "[スタンプ]",
    "[動画]",
    "[ファイル]",
    "[アルバム]",
    "[ボイスメッセージ]",
    "[位置情報]",
    "[連絡先]",
    "[ノート]",
    "Message unsent.",
    "訊息已收回",
];

/// Endings of LINE's notices that carry a name (`Lily unsent a message`).
const NOTICE_ENDINGS: &[&str] = &[
    " unsent a message",
    " unsent a message.",
    "已收回訊息",
    "收回了訊息",
    "撤回了一条消息",
    "がメッセージの送信を取り消しました",
    " joined the group",
    " joined the group.",
    " left the group",
    " left the group.",
    " to the group",
    " to the group.",
    "加入群組",
    "離開群組",
    "退出群組",
    "至群組",
    "已退群",
    "がグループに参加しました",
    "がグループを退会しました",
    "をグループに追加しました",
    " made an announcement",
    "已設定公告",
];

/// Whether a LINE message's text is one the app wrote.
pub(super) fn is_system(text: &str) -> bool {
    let t = text.trim();
    if PLACEHOLDERS.contains(&t) {
        return true;
    }
    // A notice is one short line; a person's longer message that happens to end so is kept.
    if t.contains('\n') || t.chars().count() > 80 {
        return false;
    }
    t.starts_with('☎') || NOTICE_ENDINGS.iter().any(|e| t.ends_with(e))
}

/// Whether the first lines look like a LINE export: its header, or its tab-separated message lines.
pub(super) fn detect(lines: &[&str]) -> bool {
    if lines[0].trim_start().starts_with("[LINE]") {
        return true;
    }
    let tabbed = lines.iter().filter(|l| MESSAGE.is_match(l)).count();
    let dated = lines.iter().any(|l| date_line(l).is_some());
    tabbed * 10 >= lines.len() * 3 || (dated && tabbed * 5 >= lines.len())
}

#[cfg(test)]
mod tests {
    use super::super::{parse, InputFormat, Message};

    fn msgs(log: &str) -> Vec<Message> {
        let m = parse(log, InputFormat::Auto);
        assert_eq!(m, parse(log, InputFormat::Line), "{log}");
        m
    }

    #[test]
    fn english_chinese_and_japanese_exports() {
        // (log, [(sender, time, text, system)])
        type Row<'a> = (Option<&'a str>, &'a str, &'a str, bool);
        let table: &[(&str, &[Row<'static>])] = &[
            (
                "[LINE] Chat history with Lily Chen\nSaved on: 2024/03/12 15:20\n\n2024/03/12(Tue)\n\
                 15:20\tLily Chen\thello\n15:21\tLily Chen\t[Photo]\n15:22\tMe\tok",
                &[
                    (Some("Lily Chen"), "2024/03/12 15:20", "hello", false),
                    (Some("Lily Chen"), "2024/03/12 15:21", "[Photo]", true),
                    (Some("Me"), "2024/03/12 15:22", "ok", false),
                ],
            ),
            (
                "[LINE] 與陳小姐的聊天記錄\n儲存日期：2024/03/12 15:20\n\n2024/03/12（二）\n\
                 下午03:15\t陳小姐\t您好\n下午03:16\t陳小姐\t[貼圖]\n下午03:17\t\t陳小姐已收回訊息\n\
                 下午03:18\t我\t好的",
                &[
                    (Some("陳小姐"), "2024/03/12 下午03:15", "您好", false),
                    (Some("陳小姐"), "2024/03/12 下午03:16", "[貼圖]", true),
                    (None, "2024/03/12 下午03:17", "陳小姐已收回訊息", true),
                    (Some("我"), "2024/03/12 下午03:18", "好的", false),
                ],
            ),
            (
                "[LINE] 山田さんとのトーク履歴\n保存日時：2024/03/12 15:20\n\n2024/3/12(火)\n\
                 午後3:15\t山田\tこんにちは\n午後3:16\t山田\t[スタンプ]\n午後3:17\t山田\t山田がメッセージの送信を取り消しました",
                &[
                    (Some("山田"), "2024/3/12 午後3:15", "こんにちは", false),
                    (Some("山田"), "2024/3/12 午後3:16", "[スタンプ]", true),
                    (Some("山田"), "2024/3/12 午後3:17", "山田がメッセージの送信を取り消しました", true),
                ],
            ),
            (
                "2024.03.12 Tuesday\n03:15 PM\tLily\t\"first line\nsecond \"\"quoted\"\" line\nlast\"\n\
                 03:16 PM\tLily\t☎ Missed call\n\n2024.03.13 Wednesday\n09:00 AM\tTom\tTom joined the group\n\
                 09:01 AM\tLily\t\"a \"\"one-line\"\" quote\"\n09:02 AM\tLily\t\"hi\" she said",
                &[
                    (Some("Lily"), "2024.03.12 03:15 PM", "first line\nsecond \"quoted\" line\nlast", false),
                    (Some("Lily"), "2024.03.12 03:16 PM", "☎ Missed call", true),
                    (Some("Tom"), "2024.03.13 09:00 AM", "Tom joined the group", true),
                    (Some("Lily"), "2024.03.13 09:01 AM", "a \"one-line\" quote", false),
                    (Some("Lily"), "2024.03.13 09:02 AM", "\"hi\" she said", false),
                ],
            ),
            (
                // An unterminated quote: the next message line ends it, and the date line it swallowed counts.
                "2024/03/12(Tue)\n10:00\tLily\t\"broken\nquote\n\n2024/03/13(Wed)\n10:01\tTom\tok\n10:02\tLily\tplain\nmore",
                &[
                    (Some("Lily"), "2024/03/12 10:00", "broken\nquote", false),
                    (Some("Tom"), "2024/03/13 10:01", "ok", false),
                    (Some("Lily"), "2024/03/13 10:02", "plain\nmore", false),
                ],
            ),
        ];
        for (log, want) in table {
            let m = msgs(log);
            let got: Vec<Row> = m
                .iter()
                .map(|m| {
                    (
                        m.sender.as_deref(),
                        m.time.as_deref().unwrap_or(""),
                        m.text.as_str(),
                        m.system,
                    )
                })
                .collect();
            assert_eq!(got, want.to_vec(), "{log}");
            let people = want.iter().filter(|w| !w.3).count();
            assert_eq!(
                m.iter().filter(|m| !m.system).map(|m| m.index).collect::<Vec<_>>(),
                (0..people).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn system_texts_in_every_language() {
        // (text in the message column, system)
        let table: &[(&str, bool)] = &[
            ("[Photo]", true),
            ("[Sticker]", true),
            ("[Video]", true),
            ("[File]", true),
            ("[Album]", true),
            ("[照片]", true),
            ("[貼圖]", true),
            ("[影片]", true),
            ("[檔案]", true),
            ("[スタンプ]", true),
            ("[写真]", true),
            ("Lily unsent a message", true),
            ("陳小姐已收回訊息", true),
            ("山田がメッセージの送信を取り消しました", true),
            ("☎ Missed call", true),
            ("☎ 未接來電", true),
            ("☎ Call time 3:05", true),
            ("Tom joined the group", true),
            ("Tom left the group", true),
            ("湯姆加入群組", true),
            ("Lily added Tom to the group", true),
            ("山田がグループに参加しました", true),
            ("[Photo] of the sample attached below", false),
            ("I sent the [Photo] yesterday", false),
            ("please pay to my personal Alipay, the platform is under maintenance", false),
            (
                "Our old sales manager left the group last month, I will handle your order from now and the price list \
                 is updated",
                false,
            ),
        ];
        for &(text, system) in table {
            let log = format!("2024/03/12(Tue)\n10:00\tLily\t{text}\n10:01\tTom\tok");
            let m = msgs(&log);
            assert_eq!((m[0].text.as_str(), m[0].system), (text, system));
            assert_eq!(m[1].index, usize::from(!system), "{text}");
        }
        // Without a sender column, any text is the app's.
        let m = msgs("2024/03/12(Tue)\n10:00\t\tAnything at all\n10:01\tSomething else");
        assert!(m.iter().all(|m| m.system && m.sender.is_none()));
    }

    #[test]
    fn lines_point_at_the_message_start() {
        let m = msgs("[LINE] Chat history with A\nSaved on: 2024/03/12 15:20\n\n2024/03/12(Tue)\n10:00\tA\t\"x\ny\"\n10:01\tB\tz");
        assert_eq!(m.iter().map(|m| m.line).collect::<Vec<_>>(), [5, 7]);
    }

    #[test]
    fn detection_does_not_take_other_formats() {
        for log in [
            "Lily: hi\nBob: 10:00\tok",
            "12/01/2024, 10:15 - Lily: hi\n12/01/2024, 10:16 - Bob: ok",
            "李经理 10:00\n您好",
        ] {
            assert_ne!(super::super::detect(log.lines()), InputFormat::Line, "{log}");
        }
        assert_eq!(
            super::super::detect("2024/3/12(火)\n午後3:15\t山田\tこんにちは".lines()),
            InputFormat::Line
        );
    }
}
