//! WhatsApp's "Export chat" text, Android and iOS, in any locale's date order and clock.
//!
//! ```text
//! 12/03/2025, 10:00 - Messages and calls are end-to-end encrypted. …   (Android; system line)
//! 12/03/2025, 10:15 - Lily: hi                                          (Android)
//! [12/3/25, 3:15:02 PM] Lily: hi                                        (iOS, 12-hour clock, U+202F before PM)
//! ‎[12/3/25, 3:16:00 PM] Lily: ‎image omitted                            (iOS attachment, U+200E marks; system)
//! 12.03.24, 15:20 - Lily: Hallo                                         (German / European)
//! 2025/3/12 下午3:15 - 王: 你好                                          (Chinese locale)
//! ```
//!
//! The app's own lines are [`Message::system`](super::Message::system): a dated line without `Name:`, media and
//! deleted-message placeholders (`<Media omitted>`, `image omitted`, `<attached: 00000012-PHOTO-….jpg>`,
//! `此消息已删除`), missed calls, the encryption notice, security-code changes, and group notices (joins, adds,
//! leaves, subject and icon changes, "You're now an admin"), which iOS writes with the group's name as sender and a
//! U+200E mark before the text. A person's sentence that only mentions these words stays a message.

use std::sync::LazyLock;

use regex::Regex;

use super::{Acc, Draft, DATE, TIME};

static WA_ANDROID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\u{{200e}}?({DATE}),?\s+({TIME})\s+-\s+(.*)$")).expect("static regex"));
static WA_IOS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\u{{200e}}?\[({DATE}),?\s+({TIME})\]\s+(.*)$")).expect("static regex"));

/// Group notices: a name, then what happened. Only trusted where WhatsApp marks the line as its own (no `Name:`,
/// or the U+200E mark iOS puts before a notice), since a person could write "Tom left".
static GROUP_NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^.{1,80}?\s?(?:
            joined\ using\ this\ (?:group|community)'s\ invite\ link | joined | left | was\ added | was\ removed
            | added\ .{1,200} | removed\ .{1,200} | created\ (?:group|this\ group).* | changed\ the\ subject.*
            | changed\ this\ group's\ (?:icon|settings).* | deleted\ this\ group's\ icon | changed\ the\ group\ description.*
            | changed\ their\ phone\ number.* | changed\ to\ .{1,40}
            | 通过此群组的邀请链接加入 | 通過此群組的邀請連結加入 | 已加入 | 加入了群组 | 加入了群組 | 已退出 | 退出了群组
            | 添加了.{1,200} | 新增了.{1,200} | 移除了.{1,200} | 创建了群组.* | 建立了群組.* | 更改了群组名称.* | 更改了群組名稱.*
            | 更改了此群组的图标 | 更改了此群組的圖示 | 更改了群组描述.* | 更改了群組說明.* | 更改了电话号码.*
          )$",
    )
    .expect("static regex")
});

/// Whether a line starts a WhatsApp message (has the date and time prefix).
pub(super) fn is_dated(l: &str) -> bool {
    WA_ANDROID.is_match(l) || WA_IOS.is_match(l)
}

/// One line of a WhatsApp export.
pub(super) fn line(acc: &mut Acc, n: usize, l: &str, out: &mut Vec<Draft>) {
    if let Some(c) = WA_ANDROID.captures(l).or_else(|| WA_IOS.captures(l)) {
        let time = format!("{} {}", &c[1], &c[2]);
        let rest = &c[3];
        let (sender, body) = split_sender(rest);
        acc.start(Draft::new(n, sender, Some(time), body.to_string()), out);
    } else if acc.cur.is_some() {
        acc.push(n, l, true, out);
    } else if !l.trim().is_empty() {
        acc.start(Draft::new(n, None, None, l.to_string()), out);
    }
}

/// `Name: text`, or no sender: a notice without a name whose text has a colon in it (a subject
/// `"Pay: now"`) must not make up a sender.
fn split_sender(rest: &str) -> (Option<String>, &str) {
    if GROUP_NOTICE.is_match(rest) && is_strong_notice(rest) {
        return (None, rest);
    }
    match rest.split_once(": ") {
        Some((name, body)) if name.chars().count() <= 40 => (Some(name.trim().to_string()), body),
        _ => (None, rest),
    }
}

/// Notices whose wording a person would hardly write: safe to recognise even without WhatsApp's marks.
fn is_strong_notice(t: &str) -> bool {
    let lower = clean(t).to_lowercase();
    [
        "joined using this group's invite link",
        "joined using this community's invite link",
        "changed this group's icon",
        "changed the group description",
        "changed the subject from",
        "changed the subject to",
        "通过此群组的邀请链接加入",
        "通過此群組的邀請連結加入",
        "更改了此群组的图标",
        "更改了群组名称",
    ]
    .iter()
    .any(|p| lower.contains(p))
}

/// Texts WhatsApp writes in place of a message (exports in English and Chinese, Android and iOS), compared after
/// removing the invisible marks iOS puts before them and lowercasing.
const PLACEHOLDERS: &[&str] = &[
    "<media omitted>",
    "image omitted",
    "video omitted",
    "audio omitted",
    "sticker omitted",
    "gif omitted",
    "document omitted",
    "contact card omitted",
    "video note omitted",
    "this message was deleted",
    "you deleted this message",
    "this message was edited",
    "missed voice call",
    "missed video call",
    "missed group voice call",
    "missed group video call",
    "null",
    "waiting for this message. this may take a while.",
    "you're now an admin",
    "you are now an admin",
    "you're no longer an admin",
    "<省略影音内容>",
    "<媒体文件已省略>",
    "<媒體已略去>",
    "图片已省略",
    "视频已省略",
    "音频已省略",
    "贴图已省略",
    "文档已省略",
    "图像已忽略",
    "此消息已删除",
    "你删除了此消息",
    "您删除了此消息",
    "此訊息已刪除",
    "你已刪除此訊息",
    "未接语音通话",
    "未接视频通话",
    "未接來電",
    "语音通话未接",
    "你现在是管理员",
    "您现在是管理员",
    "你現在是管理員",
];

/// Beginnings of WhatsApp's system notices, which iOS exports sometimes write with the chat's name as sender.
const NOTICES: &[&str] = &[
    "messages and calls are end-to-end encrypted",
    "messages to this group are now secured with end-to-end",
    "your security code with",
    "this chat is with a business account",
    "this business uses a secure service",
    "disappearing messages",
    "you blocked this contact",
    "you unblocked this contact",
    "<attached:",
    "消息和通话已进行端到端加密",
    "訊息和通話已進行端對端加密",
    "訊息和通話均經端對端加密",
    "与您的安全码已更改",
    "你与",
    "的安全代码已更改",
    "这是与企业账号的聊天",
    "這是與商業帳號的對話",
    "<附件：",
    "<附件:",
];

/// Removes the invisible direction marks iOS puts around the app's texts.
fn clean(text: &str) -> &str {
    text.trim_start_matches(['\u{200e}', '\u{200f}', '\u{202a}', '\u{202c}', ' '])
        .trim_end_matches(['\u{200e}', '\u{200f}', '\u{202a}', '\u{202c}', ' '])
}

/// Whether a WhatsApp message is the app's rather than a person's: a dated line without a `Name:` part, a
/// placeholder for media or a deleted message, or a system notice.
pub(super) fn is_system(sender: Option<&str>, dated: bool, text: &str) -> bool {
    if dated && sender.is_none() {
        return true;
    }
    let t = clean(text);
    let lower = t.to_lowercase();
    // "你与 X 的安全代码已更改" starts with "你与", which alone is too common: require the ending too.
    let notice = NOTICES.iter().any(|n| lower.starts_with(n))
        && (!lower.starts_with("你与") || lower.contains("安全代码已更改") || lower.contains("安全码已更改"));
    // iOS ends some of them with a full stop ("This message was deleted.").
    PLACEHOLDERS.contains(&lower.strip_suffix('.').unwrap_or(&lower))
        || PLACEHOLDERS.contains(&lower.as_str())
        || notice
        // "contact card omitted", "GIF omitted": a short media name, not a sentence that ends with the word.
        || (lower.ends_with(" omitted") && lower.split_whitespace().count() <= 3 && !lower.contains('\n'))
        || is_attached_file(&lower)
        || is_omitted_media(t)
        || (text.starts_with('\u{200e}') && !t.contains('\n') && GROUP_NOTICE.is_match(t))
        || (!t.contains('\n') && is_strong_notice(t) && GROUP_NOTICE.is_match(t))
}

/// iOS's Chinese placeholders: a media word, then "omitted" (`图片已忽略`, `视频已省略`, `貼圖已略去`), nothing else.
fn is_omitted_media(t: &str) -> bool {
    const MEDIA: &[&str] = &[
        "图片",
        "图像",
        "照片",
        "视频",
        "音频",
        "语音",
        "贴纸",
        "贴图",
        "GIF",
        "文档",
        "文件",
        "名片",
        "联系人名片",
        "圖片",
        "圖像",
        "相片",
        "影片",
        "音訊",
        "語音",
        "貼圖",
        "文件",
        "聯絡人名片",
    ];
    ["已忽略", "已省略", "已略去"]
        .iter()
        .find_map(|s| t.strip_suffix(s))
        .is_some_and(|media| MEDIA.contains(&media.trim()))
}

/// Android's "with media" export: the attachment's file name, then "(file attached)" (`文件已附加` in Chinese):
/// `IMG-20241203-WA0003.jpg (file attached)`. One name, no sentence.
fn is_attached_file(lower: &str) -> bool {
    [
        "(file attached)",
        "(文件已附加)",
        "（文件已附加）",
        "(已附加文件)",
        "（已附加文件）",
    ]
    .iter()
    .find_map(|s| lower.strip_suffix(s))
    .is_some_and(|name| {
        let name = name.trim();
        !name.is_empty() && !name.contains('\n') && name.split_whitespace().count() <= 2 && name.contains('.')
    })
}

#[cfg(test)]
mod tests {
    use super::super::{parse, InputFormat};

    #[test]
    fn system_lines_are_marked_and_not_counted() {
        // (line, system)
        let table: &[(&str, bool)] = &[
            (
                "12/03/2025, 10:00 - Messages and calls are end-to-end encrypted. Tap to learn more.",
                true,
            ),
            (
                "[12/03/2025, 10:00:01] Kelly Chen: \u{200e}Messages and calls are end-to-end encrypted.",
                true,
            ),
            ("12/03/2025, 10:01 - Lily: <Media omitted>", true),
            ("[12/03/2025, 10:01:02] Lily: \u{200e}image omitted", true),
            (
                "[12/03/2025, 10:01:02] Lily: \u{200e}<attached: 00000012-PHOTO-2024-03-12-10-01-02.jpg>",
                true,
            ),
            ("12/03/2025, 10:02 - Lily: This message was deleted", true),
            ("12/03/2025, 10:02 - Lily: Missed voice call", true),
            ("2025/3/12 10:02 - 王: 此消息已删除", true),
            ("[2025/3/12 上午10:03:52] 王: \u{200e}图片已忽略", true),
            ("[2025/3/12 上午10:03:52] 王: \u{200e}视频已忽略", true),
            ("[2025/3/12 上午10:03:52] 王: \u{200e}貼圖已略去", true),
            ("[2025/3/12 上午10:03:52] 王: 那张图片已忽略了吗", false),
            ("[2025/3/12 上午10:03:52] 王: 有的亲，图片已忽略", false),
            ("12/03/2025, 10:03 - Tom joined using this group's invite link", true),
            (
                "12/03/2025, 10:03 - Your security code with Lily changed. Tap to learn more.",
                true,
            ),
            ("12/03/2025, 10:03 - Tom added Lily", true),
            ("12/03/2025, 10:03 - Lily left", true),
            (
                "12/03/2025, 10:03 - Tom changed the subject from \"A\" to \"Pay: now\"",
                true,
            ),
            ("12/03/2025, 10:03 - Tom changed this group's icon", true),
            ("12/03/2025, 10:03 - You're now an admin", true),
            ("[12/03/2025, 10:03:01] Supplier Group: \u{200e}Tom added Lily", true),
            ("[12/03/2025, 10:03:01] Supplier Group: \u{200e}Lily left", true),
            (
                "[12/03/2025, 10:03:01] Supplier Group: \u{200e}You're now an admin",
                true,
            ),
            (
                "[12/03/2025, 10:03:01] Supplier Group: Tom joined using this group's invite link",
                true,
            ),
            ("2025/3/12 10:03 - 汤姆 通过此群组的邀请链接加入", true),
            ("2025/3/12 10:03 - 汤姆添加了莉莉", true),
            ("2025/3/12 10:03 - 莉莉已退出", true),
            ("[2025/3/12 10:03:01] 供应商群: \u{200e}你现在是管理员", true),
            ("[2025/3/12 10:03:01] 供应商群: \u{200e}汤姆更改了此群组的图标", true),
            (
                "12/03/2025, 10:04 - Lily: the image omitted the logo, I send again",
                false,
            ),
            ("12/03/2025, 10:04 - Lily: sorry the image omitted", false),
            (
                "12/3/24, 10:16 AM - Lily: IMG-20241203-WA0003.jpg (file attached)",
                true,
            ),
            ("12/3/24, 10:16 AM - Lily: PI-2024-118.pdf (file attached)", true),
            (
                "12/3/24, 10:16 AM - Lily: the PI is in the email (file attached)",
                false,
            ),
            ("12/03/2025, 10:04 - Lily: add my WhatsApp for photos", false),
            (
                "12/03/2025, 10:04 - Lily: Tom left the factory, I am the new sales",
                false,
            ),
            ("12/03/2025, 10:04 - Lily: I added you to the group", false),
            ("12.03.24, 15:20 - Lily: Bitte zahlen Sie auf mein Privatkonto", false),
            ("[12.03.24, 15:20:11] Lily: Hallo", false),
            ("12.03.24, 15:20 - Tom hat Lily hinzugefügt", true),
        ];
        for &(line, system) in table {
            let log = format!("{line}\n12/03/2025, 10:09 - Tom: ok");
            let m = parse(&log, InputFormat::WhatsApp);
            assert!(m[0].time.is_some(), "{line}");
            assert_eq!(m[0].system, system, "{line}");
            assert_eq!(m[1].index, usize::from(!system), "{line}");
        }
    }
}
