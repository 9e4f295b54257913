//! A self-contained HTML page of a scanned chat: the verdict and next steps at the top, then the chat as it was,
//! bubbles per sender, each finding highlighted in place with its explanation on hover and keyboard focus.
//!
//! The page needs nothing but itself: one inline `<style>`, no script, no font, image or other request. A
//! `Content-Security-Policy` meta tag forbids scripts and network loads, so even a mistake in escaping could not run
//! a message's script or reach the network.
//!
//! # Untrusted input
//!
//! Message text, sender names, times and the title come from a chat log a scammer may have written. All of it is
//! escaped (`& < > " '`), in text and in attribute values alike. Byte ranges that do not fall on char boundaries
//! are widened to the nearest ones and ranges past the end are clipped, so rendering never panics. The page grows
//! linearly with the chat: each byte of text becomes at most six bytes (`&quot;`), plus the marks and their
//! explanations.

use std::fmt::Write as _;
use std::ops::Range;

use redflag::{Role, Severity};

use crate::chat::{ChatReport, ReportedMessage};
use crate::concern::{category_label, Concern};
use crate::Lang;

/// The page's HTML document, complete: write it to a `.html` file and open it in any browser, offline.
///
/// `title` names the page (the browser tab and the top heading), for example the log's file name. Every piece of
/// text (the title, message text, sender names, times, rule descriptions) is escaped, so a message such as
/// `<script>alert(1)</script>` shows as text.
///
/// What the page shows:
///
/// - the verdict (the action word as text and colour, the headline, the reasons), the platform when known, the
///   message counts and the next steps, in the report's language;
/// - every message kept in the report (build it with [`ChatReportBuilder::keep_all`] to keep the whole chat) as a
///   bubble with its sender and time, the buyer's on the right, system lines as small centred notes;
/// - each concern's [`cover`](Concern::cover) as a `<mark>` with `data-category` (the strongest category, snake_case),
///   `data-categories` (all categories of the region, space-separated) and `data-severity`. Covers that overlap are
///   merged into one mark, so marks never nest or overlap. A mark is focusable (`tabindex="0"`) and its explanation
///   (label, severity, the rule's description, the advice, the other rules) is shown on hover and focus and read by
///   screen readers through `aria-describedby`.
///
/// [`ChatReportBuilder::keep_all`]: crate::ChatReportBuilder::keep_all
///
/// # Example
///
/// ```
/// use redflag::{Detector, Role};
/// use redflag_chat::{parse, InputFormat};
/// use redflag_report::{html, ChatReport};
///
/// let log = "Lily: add my whatsapp +86 135 1111 2222\nTom: <b>ok</b>";
/// let detector = Detector::new();
/// let mut convo = detector.conversation();
/// let mut builder = ChatReport::builder();
/// builder.keep_all(true);
/// for m in parse(log, InputFormat::Auto) {
///     // A chat app's line is shown but not scanned, so the conversation numbers people's messages only.
///     if m.system {
///         builder.push_system(&m);
///         continue;
///     }
///     let role = if m.sender.as_deref() == Some("Tom") { Role::Buyer } else { Role::Seller };
///     builder.push(&m, role, &convo.push(role, &m.text));
/// }
/// let page = html::render(&builder.finish(&convo), "chat.txt");
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(page.contains(r#"data-category="contact_move""#));
/// assert!(page.contains("&lt;b&gt;ok&lt;/b&gt;"));
/// assert!(!page.contains("<script"));
/// ```
pub fn render(report: &ChatReport, title: &str) -> String {
    let w = Words::of(report.lang);
    // An empty heading is announced as nothing by screen readers: name the page anyway.
    let title = if title.trim().is_empty() { w.untitled } else { title };
    let mut out = String::with_capacity(16 * 1024 + report.messages.iter().map(|m| m.text.len() * 2).sum::<usize>());
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    out.push_str(match report.lang {
        Lang::En => "en",
        Lang::Zh => "zh-Hans",
    });
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(CSP);
    out.push('\n');
    out.push_str("<meta name=\"color-scheme\" content=\"light dark\">\n");
    out.push_str("<meta name=\"generator\" content=\"redflag\">\n<title>");
    escape_into(
        &mut out,
        &format!("{} · {}", report.verdict.action.word(report.lang), title),
    );
    out.push_str("</title>\n<style>");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n<header class=\"top\">\n<h1>");
    escape_into(&mut out, title);
    out.push_str("</h1>\n</header>\n<main>\n");
    verdict_section(&mut out, report, &w);
    steps_section(&mut out, report, &w);
    chat_section(&mut out, report, &w);
    out.push_str("</main>\n<footer>\n<p>");
    escape_into(&mut out, w.footer);
    out.push_str("</p>\n</footer>\n</body>\n</html>\n");
    out
}

/// No script, no request: only the inline style sheet. Defence in depth behind the escaping.
const CSP: &str =
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">";

fn verdict_section(out: &mut String, report: &ChatReport, w: &Words) {
    let action = report.verdict.action;
    let word = action.word(report.lang);
    // The headline starts with the action word, which the badge already shows.
    let headline = report.verdict.headline.as_str();
    let rest = headline
        .strip_prefix(word)
        .and_then(|r| r.strip_prefix(':').or_else(|| r.strip_prefix('：')))
        .map(str::trim_start)
        .filter(|r| !r.is_empty())
        .unwrap_or(headline);
    let _ = write!(
        out,
        "<section class=\"verdict\" data-action=\"{}\" aria-labelledby=\"verdict-title\">\n<h2 id=\"verdict-title\"><span class=\"badge\">",
        action.as_str()
    );
    escape_into(out, word);
    out.push_str("</span> <span class=\"headline\">");
    escape_into(out, rest);
    out.push_str("</span></h2>\n");
    if !report.verdict.reasons.is_empty() {
        out.push_str("<ul class=\"reasons\">\n");
        for r in &report.verdict.reasons {
            out.push_str("<li>");
            escape_into(out, r);
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<p class=\"facts\">");
    if let Some(p) = report.platform {
        out.push_str("<span>");
        escape_into(out, w.platform);
        out.push_str("<b>");
        escape_into(out, p.name());
        out.push_str("</b></span> ");
    }
    out.push_str("<span>");
    escape_into(out, &(w.counts)(report));
    out.push_str("</span></p>\n</section>\n");
}

fn steps_section(out: &mut String, report: &ChatReport, w: &Words) {
    if report.steps.is_empty() {
        return;
    }
    out.push_str("<section class=\"steps\" aria-labelledby=\"steps-title\">\n<h2 id=\"steps-title\">");
    escape_into(out, w.steps);
    out.push_str("</h2>\n<ol>\n");
    for s in &report.steps {
        out.push_str("<li>");
        escape_into(out, s);
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</section>\n");
}

fn chat_section(out: &mut String, report: &ChatReport, w: &Words) {
    out.push_str("<section class=\"chat\" aria-labelledby=\"chat-title\">\n<h2 id=\"chat-title\">");
    escape_into(out, w.chat);
    out.push_str("</h2>\n");
    if report.messages.iter().any(|m| !m.concerns.is_empty()) {
        out.push_str("<p class=\"hint\">");
        escape_into(out, w.hint);
        out.push_str("</p>\n");
    }
    if report.messages.is_empty() {
        out.push_str("<p class=\"empty\">");
        escape_into(out, w.empty);
        out.push_str("</p>\n</section>\n");
        return;
    }
    out.push_str("<ol class=\"messages\">\n");
    // Senders of unknown role alternate sides in the order they first speak, so a two-person chat still reads as one.
    let mut seen_senders: Vec<&str> = Vec::new();
    for (pos, m) in report.messages.iter().enumerate() {
        if m.system {
            out.push_str("<li class=\"system\"><span>");
            escape_into(out, &m.text);
            out.push_str("</span></li>\n");
            continue;
        }
        let side = match m.role {
            Role::Buyer => "right",
            Role::Seller => "left",
            Role::Unknown => {
                let name = m.sender.as_deref().unwrap_or("");
                let i = seen_senders.iter().position(|s| *s == name).unwrap_or_else(|| {
                    seen_senders.push(name);
                    seen_senders.len() - 1
                });
                if i % 2 == 0 {
                    "left"
                } else {
                    "right"
                }
            }
        };
        let _ = write!(
            out,
            "<li class=\"msg {side}\" id=\"m{pos}\" data-role=\"{}\" data-risk=\"{}\">\n<div class=\"bubble\">\n",
            m.role.as_str(),
            m.risk.as_str()
        );
        {
            // The number the verdict's reasons use ("message #7").
            let _ = write!(out, "<p class=\"meta\"><span class=\"num\">#{}</span> ", m.index + 1);
            if let Some(s) = &m.sender {
                out.push_str("<span class=\"sender\">");
                escape_into(out, s);
                out.push_str("</span>");
                if m.role == Role::Buyer {
                    out.push_str(" <span class=\"you\">");
                    escape_into(out, w.you);
                    out.push_str("</span>");
                }
            }
            if let Some(t) = &m.time {
                out.push_str(" <span class=\"time\">");
                escape_into(out, t);
                out.push_str("</span>");
            }
            out.push_str("</p>\n");
        }
        out.push_str("<div class=\"text\">");
        message_text(out, m, pos, report.lang, w);
        out.push_str("</div>\n");
        if !m.concerns.is_empty() {
            out.push_str("<ul class=\"flags\">");
            for c in &m.concerns {
                let _ = write!(out, "<li data-severity=\"{}\">", c.severity.as_str());
                escape_into(out, category_label(c.category, report.lang));
                out.push_str(" · ");
                escape_into(out, (w.severity)(c.severity));
                out.push_str("</li>");
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</div>\n</li>\n");
    }
    out.push_str("</ol>\n</section>\n");
}

/// The message text with one `<mark>` per merged region, each followed by its (hidden until hover or focus)
/// explanation. No whitespace is added between elements: the text is shown with `white-space: pre-wrap`.
fn message_text(out: &mut String, m: &ReportedMessage, pos: usize, lang: Lang, w: &Words) {
    let text = m.text.as_str();
    let mut at = 0;
    for (k, region) in regions(text, &m.concerns).iter().enumerate() {
        // Regions are sorted, disjoint and on char boundaries, so these slices cannot fail; `get` keeps it so.
        escape_into(out, text.get(at..region.range.start).unwrap_or_default());
        let strongest = &m.concerns[region.concerns[0]];
        let categories: Vec<&str> = region
            .concerns
            .iter()
            .map(|&i| m.concerns[i].category.as_str())
            .collect();
        let _ = write!(
            out,
            "<mark tabindex=\"0\" aria-describedby=\"tip-{pos}-{k}\" data-category=\"{}\" data-categories=\"{}\" data-severity=\"{}\">",
            strongest.category.as_str(),
            categories.join(" "),
            strongest.severity.as_str()
        );
        escape_into(out, text.get(region.range.clone()).unwrap_or_default());
        let _ = write!(out, "</mark><span class=\"tip\" id=\"tip-{pos}-{k}\" role=\"tooltip\">");
        for &i in &region.concerns {
            explanation(out, &m.concerns[i], lang, w);
        }
        out.push_str("</span>");
        at = region.range.end;
    }
    escape_into(out, text.get(at..).unwrap_or_default());
}

fn explanation(out: &mut String, c: &Concern, lang: Lang, w: &Words) {
    out.push_str("<span class=\"tip-item\"><span class=\"tip-head\"><b>");
    escape_into(out, category_label(c.category, lang));
    out.push_str("</b> · ");
    escape_into(out, (w.severity)(c.severity));
    out.push_str("</span>");
    if let Some(d) = &c.description {
        out.push_str("<span>");
        escape_into(out, d);
        out.push_str("</span>");
    }
    out.push_str("<span><b>");
    escape_into(out, w.advice);
    out.push_str("</b> ");
    escape_into(out, &c.advice);
    out.push_str("</span><span class=\"rules\">");
    escape_into(out, w.rule);
    out.push(' ');
    escape_into(out, &c.rule);
    if !c.also.is_empty() {
        out.push_str("; ");
        escape_into(out, w.also);
        out.push(' ');
        escape_into(out, &c.also.join(", "));
    }
    out.push_str("</span></span>");
}

/// One highlight: a byte range of the text and the concerns (indices, strongest first) whose covers it merges.
#[derive(Debug, PartialEq, Eq)]
struct Region {
    range: Range<usize>,
    concerns: Vec<usize>,
}

/// The concerns' covers, snapped outwards to char boundaries and merged where they overlap, in text order.
/// Covers that only touch stay apart: each keeps its own explanation.
fn regions(text: &str, concerns: &[Concern]) -> Vec<Region> {
    let mut spans: Vec<(Range<usize>, usize)> = concerns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| snap(text, c.cover.clone()).map(|r| (r, i)))
        .collect();
    spans.sort_by_key(|(r, i)| (r.start, *i));
    let mut out: Vec<Region> = Vec::new();
    for (r, i) in spans {
        match out.last_mut() {
            Some(last) if r.start < last.range.end => {
                last.range.end = last.range.end.max(r.end);
                last.concerns.push(i);
            }
            _ => out.push(Region {
                range: r,
                concerns: vec![i],
            }),
        }
    }
    // Concerns come strongest first, so the smallest index leads the region.
    for r in &mut out {
        r.concerns.sort_unstable();
    }
    out
}

/// A byte range clamped to the text and widened to char boundaries (a finding is never cut off); `None` if empty.
fn snap(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let mut start = r.start.min(text.len());
    let mut end = r.end.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start < end).then_some(start..end)
}

/// Appends `s` with `& < > " '` escaped, safe in text and in quoted attribute values.
fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The escaped bytes are ASCII, so `i` and `i + 1` are char boundaries.
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// `s` with `& < > " '` escaped.
#[cfg(test)]
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// The page's own words in the report's language.
struct Words {
    untitled: &'static str,
    platform: &'static str,
    counts: fn(&ChatReport) -> String,
    steps: &'static str,
    chat: &'static str,
    hint: &'static str,
    empty: &'static str,
    you: &'static str,
    advice: &'static str,
    rule: &'static str,
    also: &'static str,
    severity: fn(Severity) -> &'static str,
    footer: &'static str,
}

impl Words {
    fn of(lang: Lang) -> Words {
        match lang {
            Lang::En => Words {
                untitled: "Chat report",
                platform: "Platform: ",
                counts: |r| {
                    let c = r.counts;
                    format!(
                        "{} messages, {} flagged ({} high, {} medium, {} low)",
                        c.messages, c.flagged, c.high, c.medium, c.low
                    )
                },
                steps: "What to do next",
                chat: "The chat",
                hint: "Highlighted text raised a concern: point at it, tap it or reach it with Tab to see why.",
                empty: "This chat has no messages.",
                you: "(you)",
                advice: "What to do:",
                rule: "Rule:",
                also: "also matched:",
                severity: |s| match s {
                    Severity::High => "high risk",
                    Severity::Medium => "medium risk",
                    Severity::Low => "low risk",
                },
                footer: "Made by redflag from a chat log; this page works offline and loads nothing. A highlight is a \
                         reason to check, not proof of a scam.",
            },
            Lang::Zh => Words {
                untitled: "聊天记录报告",
                platform: "平台：",
                counts: |r| {
                    let c = r.counts;
                    format!(
                        "共 {} 条消息，{} 条有风险（高 {}，中 {}，低 {}）",
                        c.messages, c.flagged, c.high, c.medium, c.low
                    )
                },
                steps: "下一步怎么做",
                chat: "聊天记录",
                hint: "高亮的文字有风险：鼠标指向、轻点或用 Tab 键选中即可查看原因。",
                empty: "这段聊天没有消息。",
                you: "（您）",
                advice: "建议：",
                rule: "规则：",
                also: "同时命中：",
                severity: |s| match s {
                    Severity::High => "高风险",
                    Severity::Medium => "中风险",
                    Severity::Low => "低风险",
                },
                footer: "由 redflag 根据聊天记录生成；本页面离线可用，不加载任何外部内容。高亮只提示需要核实，并不证明对方是骗子。",
            },
        }
    }
}

/// Colours meet WCAG AA (4.5:1) for text on every background, in light and dark mode; severity is also written out
/// in words, so nothing relies on colour alone.
const CSS: &str = r#"
:root{--bg:#f3f4f6;--fg:#16181d;--muted:#4a4f59;--card:#fff;--line:#d5d8de;--seller:#fff;--buyer:#dcf3e3;--other:#e6ecfa;
--high:#ffd3d0;--high-line:#b3261e;--medium:#ffe7a3;--medium-line:#8a5a00;--low:#dbe6ff;--low-line:#2a4db3;
--stop:#b3261e;--caution:#8a5a00;--go_on:#1d6b38;--tip-bg:#1f232b;--tip-fg:#f5f6f8;--focus:#1a56db}
@media (prefers-color-scheme:dark){:root{--bg:#111317;--fg:#e9eaee;--muted:#b3b8c2;--card:#1b1e24;--line:#353a44;
--seller:#20242b;--buyer:#183826;--other:#1f2940;--high:#6e1f1b;--high-line:#ff8f86;--medium:#5c4300;--medium-line:#ffcf5c;
--low:#22386b;--low-line:#9db8ff;--stop:#c7352b;--caution:#9a6500;--go_on:#1f7a41;--tip-bg:#eef0f3;--tip-fg:#15171c;
--focus:#8ab4ff}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif;overflow-wrap:anywhere}
header.top,main,footer{max-width:44rem;margin:0 auto;padding:0 .75rem}
h1{font-size:1rem;font-weight:600;color:var(--muted);margin:.75rem 0}
h2{font-size:1.15rem;margin:0 0 .5rem}
section{background:var(--card);border:1px solid var(--line);border-radius:.75rem;padding:.9rem 1rem;margin:0 0 .9rem}
.verdict{border-left:.5rem solid var(--action)}
.verdict[data-action=stop]{--action:var(--stop)}
.verdict[data-action=caution]{--action:var(--caution)}
.verdict[data-action=go_on]{--action:var(--go_on)}
.verdict h2{font-size:1.1rem;line-height:1.4}
.badge{display:inline-block;background:var(--action);color:#fff;border-radius:.35rem;padding:0 .45rem;
margin-right:.2rem;letter-spacing:.03em}
.reasons{margin:.5rem 0;padding-left:1.25rem;font-size:.9rem;line-height:1.4}
.reasons li+li{margin-top:.2rem}
.facts{margin:.5rem 0 0;color:var(--muted);font-size:.9rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.steps ol{margin:0;padding-left:1.4rem}
.steps li{margin:.3rem 0}
.chat{background:transparent;border:0;padding:0}
.hint{color:var(--muted);font-size:.9rem;margin:0 0 .75rem}
.empty{color:var(--muted)}
.messages{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.6rem}
.msg{display:flex}
.msg.right{justify-content:flex-end}
.bubble{position:relative;max-width:85%;min-width:6rem;background:var(--seller);border:1px solid var(--line);
border-radius:.9rem;padding:.45rem .75rem .55rem}
.left .bubble{border-top-left-radius:.2rem}
.right .bubble{background:var(--other);border-top-right-radius:.2rem}
.msg[data-role=buyer] .bubble{background:var(--buyer)}
.meta{margin:0 0 .15rem;font-size:.8rem;color:var(--muted)}
.sender{font-weight:600;color:var(--fg)}
.time{margin-left:.4rem}
.num{margin-right:.2rem}
.text{white-space:pre-wrap}
mark{color:var(--fg);border-radius:.2rem;padding:0 .1rem;cursor:help;text-decoration:underline;
text-decoration-thickness:2px;text-underline-offset:.2em;-webkit-box-decoration-break:clone;box-decoration-break:clone}
mark[data-severity=high]{background:var(--high);text-decoration-color:var(--high-line)}
mark[data-severity=medium]{background:var(--medium);text-decoration-color:var(--medium-line);
text-decoration-style:dashed}
mark[data-severity=low]{background:var(--low);text-decoration-color:var(--low-line);text-decoration-style:dotted}
mark:focus{outline:3px solid var(--focus);outline-offset:2px}
mark:focus:not(:focus-visible){outline-width:2px}
.tip{display:none;position:absolute;z-index:10;top:calc(100% + .3rem);left:0;width:min(22rem,86vw);
white-space:normal;background:var(--tip-bg);color:var(--tip-fg);border-radius:.5rem;padding:.55rem .7rem;
font-size:.875rem;line-height:1.45;box-shadow:0 4px 16px rgba(0,0,0,.25)}
.right .tip{left:auto;right:0}
mark:hover+.tip,mark:focus+.tip{display:block}
.tip-item{display:block}
.tip-item+.tip-item{margin-top:.5rem;padding-top:.5rem;border-top:1px solid currentColor}
.tip-item>span{display:block}
.tip-head{font-size:.95rem}
.rules{opacity:.85;font-size:.8rem}
.flags{list-style:none;margin:.35rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}
.flags li{font-size:.75rem;border:1px solid var(--line);border-left-width:.3rem;border-radius:.3rem;
padding:0 .35rem;color:var(--fg)}
.flags li[data-severity=high]{border-left-color:var(--high-line)}
.flags li[data-severity=medium]{border-left-color:var(--medium-line)}
.flags li[data-severity=low]{border-left-color:var(--low-line)}
.system{text-align:center;font-size:.8rem;color:var(--muted)}
.system span{display:inline-block;max-width:90%;background:var(--card);border:1px solid var(--line);
border-radius:.5rem;padding:.1rem .6rem;white-space:pre-wrap}
footer p{color:var(--muted);font-size:.8rem;margin:.5rem 0 1.5rem}
@media print{:root{--bg:#fff;--card:#fff;--seller:#fff;--buyer:#f2f2f2;--other:#f2f2f2}
body{font-size:11pt}section,.bubble{break-inside:avoid}
.tip{display:block;position:static;width:auto;box-shadow:none;background:#fff;color:#000;border:1px solid #999;
margin:.3rem 0}
.hint{display:none}}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::Counts;
    use crate::verdict::{Action, Verdict};
    use redflag::{Category, Risk};

    #[test]
    fn escape_table() {
        let cases = [
            ("", ""),
            ("plain text 你好 😊", "plain text 你好 😊"),
            ("a & b", "a &amp; b"),
            ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("\" onmouseover=\"x", "&quot; onmouseover=&quot;x"),
            ("it's", "it&#39;s"),
            ("&amp;", "&amp;amp;"),
            ("<<>>", "&lt;&lt;&gt;&gt;"),
            ("价格<100元>", "价格&lt;100元&gt;"),
            ("end&", "end&amp;"),
        ];
        for (input, want) in cases {
            assert_eq!(escape(input), want, "{input:?}");
        }
    }

    fn concern(category: Category, severity: Severity, cover: Range<usize>) -> Concern {
        Concern {
            category,
            severity,
            rule: format!("{}.rule", category.as_str()),
            span: cover.clone(),
            quote: String::new(),
            cover,
            description: Some(format!("{} <desc>", category.as_str())),
            advice: "Pay only through the platform's checkout & keep the chat there.".to_string(),
            also: vec!["other.rule".to_string()],
        }
    }

    fn message(sender: &str, role: Role, text: &str, mut concerns: Vec<Concern>) -> ReportedMessage {
        concerns.sort_by_key(|c| (std::cmp::Reverse(c.severity), c.category));
        for c in &mut concerns {
            c.quote = text.get(c.span.clone()).unwrap_or_default().to_string();
        }
        ReportedMessage {
            index: 0,
            line: 1,
            sender: Some(sender.to_string()),
            time: Some("10:00".to_string()),
            text: text.to_string(),
            role,
            system: false,
            risk: concerns.first().map_or(Risk::None, |c| c.severity.into()),
            concerns,
        }
    }

    fn system(text: &str) -> ReportedMessage {
        ReportedMessage {
            index: 0,
            line: 1,
            sender: None,
            time: Some("09:59".to_string()),
            text: text.to_string(),
            role: Role::Unknown,
            system: true,
            risk: Risk::None,
            concerns: Vec::new(),
        }
    }

    fn report(lang: Lang, messages: Vec<ReportedMessage>) -> ChatReport {
        ChatReport {
            lang,
            platform: None,
            risk: Risk::High,
            verdict: Verdict {
                action: Action::Stop,
                headline: format!(
                    "{}: Lily <b>asked</b> you to pay outside the platform.",
                    Action::Stop.word(lang)
                ),
                reasons: vec!["A \"reason\" & more".to_string()],
            },
            steps: vec!["Step <one>".to_string(), "Step two".to_string()],
            conversation: Vec::new(),
            counts: Counts::default(),
            messages,
        }
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    /// What a reader sees of one bubble's text: the text without tags and hidden explanations, and the byte ranges
    /// (in that text) and attributes of its marks. Panics on a mark inside a mark.
    fn read_back(page: &str, pos: usize) -> (String, Vec<(Range<usize>, String)>) {
        let start_tag = "<li class=\"msg ";
        let id = format!("id=\"m{pos}\"");
        let li = page
            .match_indices(start_tag)
            .map(|(i, _)| i)
            .find(|&i| page[i..].split('>').next().is_some_and(|t| t.contains(&id)))
            .expect("bubble");
        let body = &page[li..];
        let text_start = body.find("<div class=\"text\">").expect("text div") + "<div class=\"text\">".len();
        let body = &body[text_start..];
        let mut text = String::new();
        let mut marks = Vec::new();
        let mut open_mark: Option<(usize, String)> = None;
        let mut tip_depth = 0usize;
        let mut rest = body;
        loop {
            let lt = rest.find('<').expect("closing div");
            let chunk = &rest[..lt];
            if tip_depth == 0 {
                text.push_str(&unescape(chunk));
            }
            let gt = rest[lt..].find('>').expect("tag end") + lt;
            let tag = &rest[lt + 1..gt];
            rest = &rest[gt + 1..];
            if tip_depth > 0 {
                if tag.starts_with("span") {
                    tip_depth += 1;
                } else if tag == "/span" {
                    tip_depth -= 1;
                }
                continue;
            }
            if tag == "/div" {
                break;
            } else if tag.starts_with("mark ") {
                assert!(open_mark.is_none(), "nested mark in bubble {pos}");
                open_mark = Some((text.len(), tag.to_string()));
            } else if tag == "/mark" {
                let (s, attrs) = open_mark.take().expect("mark open");
                marks.push((s..text.len(), attrs));
            } else if tag.starts_with("span class=\"tip\"") {
                tip_depth = 1;
            } else {
                panic!("unexpected tag <{tag}> in message text");
            }
        }
        (text, marks)
    }

    #[test]
    fn marks_cover_every_concern_without_overlap() {
        use Category::*;
        use Severity::*;
        let zh = "亲，平台付款通道在维护，直接转到我们财务的个人卡上就行";
        let emoji = "😊 pay to my personal account 😊";
        // (name, text, concerns' covers, expected marks as (text, data-category, data-categories))
        type Case<'a> = (&'a str, &'a str, Vec<Concern>, Vec<(&'a str, &'a str, &'a str)>);
        let cases: Vec<Case> = vec![
            ("clean", "hello there", vec![], vec![]),
            (
                "start and end",
                "whatsapp me then pay my personal account",
                vec![
                    concern(ContactMove, Medium, 0..11),
                    concern(OffPlatformPayment, High, 17..40),
                ],
                vec![
                    ("whatsapp me", "contact_move", "contact_move"),
                    (
                        "pay my personal account",
                        "off_platform_payment",
                        "off_platform_payment",
                    ),
                ],
            ),
            (
                "overlap merges, strongest leads",
                "urgent: pay today to my personal account",
                vec![concern(Urgency, Low, 0..18), concern(OffPlatformPayment, High, 8..40)],
                vec![(
                    "urgent: pay today to my personal account",
                    "off_platform_payment",
                    "off_platform_payment urgency",
                )],
            ),
            (
                "contained and chained overlaps merge into one",
                "abcdefghij",
                vec![
                    concern(AdvanceFee, Medium, 0..4),
                    concern(Urgency, Low, 3..6),
                    concern(ContactMove, Medium, 5..8),
                    concern(FakePaymentLink, High, 1..2),
                ],
                vec![(
                    "abcdefgh",
                    "fake_payment_link",
                    "fake_payment_link contact_move advance_fee urgency",
                )],
            ),
            (
                "touching covers stay apart",
                "abcdef",
                vec![concern(Urgency, Low, 0..3), concern(AdvanceFee, Medium, 3..6)],
                vec![("abc", "urgency", "urgency"), ("def", "advance_fee", "advance_fee")],
            ),
            (
                "chinese, mid-char offsets widen to whole chars",
                zh,
                vec![
                    concern(GatewayMaintenancePretext, High, 7..32),
                    concern(OffPlatformPayment, High, 37..74),
                ],
                vec![
                    (
                        "平台付款通道在维护",
                        "gateway_maintenance_pretext",
                        "gateway_maintenance_pretext",
                    ),
                    (
                        "直接转到我们财务的个人卡上",
                        "off_platform_payment",
                        "off_platform_payment",
                    ),
                ],
            ),
            (
                "emoji at both ends, cover past the end is clamped",
                emoji,
                vec![concern(OffPlatformPayment, High, 1..33), concern(Urgency, Low, 30..90)],
                vec![(emoji, "off_platform_payment", "off_platform_payment urgency")],
            ),
            (
                "escaped text in a mark",
                "pay <b>\"here\"</b> & 'now'",
                vec![concern(FakePaymentLink, High, 4..17)],
                vec![("<b>\"here\"</b>", "fake_payment_link", "fake_payment_link")],
            ),
            (
                "empty cover gives no mark",
                "pay",
                vec![concern(Urgency, Low, 2..2)],
                vec![],
            ),
        ];
        for (name, text, concerns, want) in cases {
            let covers: Vec<Range<usize>> = concerns.iter().map(|c| c.cover.clone()).collect();
            let r = report(Lang::En, vec![message("Lily", Role::Seller, text, concerns)]);
            let page = render(&r, "t");
            let (seen, marks) = read_back(&page, 0);
            assert_eq!(seen, text, "{name}: the text reads back whole");
            let got: Vec<(&str, String, String)> = marks
                .iter()
                .map(|(range, attrs)| {
                    (
                        &seen[range.clone()],
                        attr(attrs, "data-category"),
                        attr(attrs, "data-categories"),
                    )
                })
                .collect();
            let want: Vec<(&str, String, String)> = want
                .iter()
                .map(|(t, c, cs)| (*t, c.to_string(), cs.to_string()))
                .collect();
            assert_eq!(got, want, "{name}");
            assert!(
                marks.windows(2).all(|w| w[0].0.end <= w[1].0.start),
                "{name}: marks in order, apart"
            );
            // Every non-empty cover (snapped) sits inside one mark.
            for cover in covers {
                let Some(c) = snap(text, cover.clone()) else { continue };
                assert!(
                    marks.iter().any(|(m, _)| m.start <= c.start && c.end <= m.end),
                    "{name}: cover {cover:?} not inside a mark"
                );
            }
            for (_, attrs) in &marks {
                let tip = attr(attrs, "aria-describedby");
                assert!(
                    page.contains(&format!("<span class=\"tip\" id=\"{tip}\" role=\"tooltip\">")),
                    "{name}"
                );
                assert!(attrs.contains("tabindex=\"0\""), "{name}");
            }
        }
    }

    fn attr(tag: &str, name: &str) -> String {
        let key = format!("{name}=\"");
        let i = tag.find(&key).map(|i| i + key.len()).unwrap_or(tag.len());
        tag[i..].split('"').next().unwrap_or_default().to_string()
    }

    #[test]
    fn page_structure() {
        let msgs = vec![
            system("Messages and calls are end-to-end encrypted. <Tap>"),
            message(
                "Lily \" onmouseover=\"x",
                Role::Seller,
                "<script>alert(1)</script>",
                vec![],
            ),
            message("Tom", Role::Buyer, "line one\nline two", vec![]),
        ];
        let page = render(&report(Lang::En, msgs), "chat <log> \"1\".txt");
        let cases = [
            ("lang", "<html lang=\"en\">", true),
            ("viewport", "<meta name=\"viewport\"", true),
            ("csp", CSP, true),
            ("title escaped", "<h1>chat &lt;log&gt; &quot;1&quot;.txt</h1>", true),
            ("badge", "<span class=\"badge\">STOP</span>", true),
            (
                "headline without the word",
                "<span class=\"headline\">Lily &lt;b&gt;asked&lt;/b&gt;",
                true,
            ),
            ("reason escaped", "<li>A &quot;reason&quot; &amp; more</li>", true),
            ("step escaped", "<li>Step &lt;one&gt;</li>", true),
            (
                "system note",
                "<li class=\"system\"><span>Messages and calls are end-to-end encrypted. &lt;Tap&gt;</span></li>",
                true,
            ),
            ("script as text", "&lt;script&gt;alert(1)&lt;/script&gt;", true),
            ("sender escaped", "Lily &quot; onmouseover=&quot;x", true),
            ("multi-line kept", "line one\nline two", true),
            (
                "buyer on the right",
                "<li class=\"msg right\" id=\"m2\" data-role=\"buyer\"",
                true,
            ),
            (
                "seller on the left",
                "<li class=\"msg left\" id=\"m1\" data-role=\"seller\"",
                true,
            ),
            ("no script", "<script", false),
            ("no raw attribute injection", "\" onmouseover=\"x", false),
            ("no link or image", "src=", false),
        ];
        for (name, needle, want) in cases {
            assert_eq!(page.contains(needle), want, "{name}: {needle}\n{page}");
        }
        // The hint about highlights appears only when something is highlighted.
        assert!(!page.contains("class=\"hint\""));
    }

    #[test]
    fn chinese_page_and_unknown_roles_alternate() {
        let msgs = vec![
            message("小陈", Role::Unknown, "亲，在吗", vec![]),
            message("王", Role::Unknown, "在", vec![]),
            message("小陈", Role::Unknown, "好的", vec![]),
            message(
                "小陈",
                Role::Unknown,
                "转到个人卡",
                vec![concern(Category::OffPlatformPayment, Severity::High, 0..15)],
            ),
        ];
        let mut r = report(Lang::Zh, msgs);
        r.verdict.headline = "停止付款：小陈要求您绕过平台付款。".to_string();
        let page = render(&r, "聊天");
        for (name, needle) in [
            ("lang", "<html lang=\"zh-Hans\">"),
            (
                "headline",
                "<span class=\"badge\">停止付款</span> <span class=\"headline\">小陈要求您绕过平台付款。</span>",
            ),
            ("first sender left", "<li class=\"msg left\" id=\"m0\""),
            ("second sender right", "<li class=\"msg right\" id=\"m1\""),
            ("first sender again left", "<li class=\"msg left\" id=\"m2\""),
            ("label", "绕过平台付款</b> · 高风险"),
            ("chip", "<li data-severity=\"high\">绕过平台付款 · 高风险</li>"),
            ("hint", "<p class=\"hint\">"),
        ] {
            assert!(page.contains(needle), "{name}: {needle}");
        }
        let (text, marks) = read_back(&page, 3);
        assert_eq!(text, "转到个人卡");
        assert_eq!(marks.len(), 1);
    }

    /// Covers anywhere, on or off char boundaries, past the end, overlapping or not: rendering never panics, the
    /// text reads back whole, marks never nest, and every non-empty cover sits inside one mark.
    #[test]
    fn arbitrary_covers_read_back() {
        let texts = [
            "",
            "a",
            "价格😊ok",
            "😊",
            "pay 个人卡 <b>&\"'\n第二行 🇨🇳 é",
            "abc\ndef\n\n",
        ];
        let categories = Category::ALL;
        let severities = [Severity::Low, Severity::Medium, Severity::High];
        // A small linear congruential generator: deterministic cases without a dev-dependency.
        let mut seed: u64 = 0x5eed;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n.max(1)
        };
        for round in 0..400 {
            let text = texts[round % texts.len()];
            let concerns: Vec<Concern> = (0..next(5))
                .map(|_| {
                    let start = next(text.len() + 3);
                    let end = start + next(text.len() + 3);
                    concern(categories[next(categories.len())], severities[next(3)], start..end)
                })
                .collect();
            let covers: Vec<Range<usize>> = concerns.iter().map(|c| c.cover.clone()).collect();
            let page = render(&report(Lang::En, vec![message("x", Role::Seller, text, concerns)]), "t");
            let (seen, marks) = read_back(&page, 0);
            assert_eq!(seen, text, "round {round}: {covers:?}");
            assert!(marks.windows(2).all(|w| w[0].0.end <= w[1].0.start), "round {round}");
            for cover in covers {
                if let Some(c) = snap(text, cover.clone()) {
                    assert!(
                        marks.iter().any(|(m, _)| m.start <= c.start && c.end <= m.end),
                        "round {round}: cover {cover:?} of {text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn empty_chat_renders() {
        for lang in [Lang::En, Lang::Zh] {
            let mut r = report(lang, Vec::new());
            r.steps.clear();
            r.verdict.reasons.clear();
            let page = render(&r, "");
            assert!(page.ends_with("</html>\n"));
            assert!(page.contains("class=\"empty\""));
            assert!(!page.contains("<ol class=\"messages\">"));
            assert!(!page.contains("steps-title"));
            assert!(!page.contains("<h1></h1>"), "an empty title is replaced");
        }
    }
}
