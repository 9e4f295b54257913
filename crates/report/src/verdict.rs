//! The verdict at the top of a report: stop or go on, and why, in one sentence.

use redflag::{Category, Risk, Seen};
use serde::Serialize;

use crate::chat::{ConversationNote, ReportedMessage};
use crate::concern::category_label;
use crate::Lang;

/// What the buyer should do, in one word.
///
/// # Example
///
/// ```
/// use redflag::Risk;
/// use redflag_report::Action;
///
/// assert_eq!(Action::of_risk(Risk::High), Action::Stop);
/// assert_eq!(Action::of_risk(Risk::Low), Action::GoOn);
/// assert_eq!(Action::Caution.as_str(), "caution");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Do not pay or go on until verified through the platform (conversation risk `high`).
    Stop,
    /// Go on only on the platform (risk `medium`: a move off the platform, a hint).
    Caution,
    /// Nothing found beyond time pressure (risk `low` or `none`).
    GoOn,
}

impl Action {
    /// The action for a conversation's risk.
    pub fn of_risk(risk: Risk) -> Action {
        match risk {
            Risk::High => Action::Stop,
            Risk::Medium => Action::Caution,
            Risk::Low | Risk::None => Action::GoOn,
        }
    }

    /// The snake_case name: `stop`, `caution`, `go_on`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Stop => "stop",
            Action::Caution => "caution",
            Action::GoOn => "go_on",
        }
    }

    /// The word a buyer sees first.
    ///
    /// # Example
    ///
    /// ```
    /// use redflag_report::{Action, Lang};
    /// assert_eq!(Action::Stop.word(Lang::En), "STOP");
    /// assert_eq!(Action::Stop.word(Lang::Zh), "停止付款");
    /// ```
    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Action::Stop, Lang::En) => "STOP",
            (Action::Caution, Lang::En) => "CAUTION",
            (Action::GoOn, Lang::En) => "GO ON",
            (Action::Stop, Lang::Zh) => "停止付款",
            (Action::Caution, Lang::Zh) => "注意",
            (Action::GoOn, Lang::Zh) => "可以继续",
        }
    }
}

/// Stop or go on, the sentence that says why, and the reasons one per line.
///
/// # Example
///
/// ```
/// use redflag::{Detector, Role};
/// use redflag_chat::{parse, InputFormat};
/// use redflag_report::{Action, ChatReport};
///
/// let log = "Lily: add my whatsapp +86 135 1111 2222\nLily: pay the deposit to my personal account\nTom: ok";
/// let detector = Detector::new();
/// let mut convo = detector.conversation();
/// let mut builder = ChatReport::builder();
/// for m in parse(log, InputFormat::Auto) {
///     let role = if m.sender.as_deref() == Some("Tom") { Role::Buyer } else { Role::Seller };
///     let report = convo.push(role, &m.text);
///     builder.push(&m, role, &report);
/// }
/// let verdict = builder.finish(&convo).verdict;
/// assert_eq!(verdict.action, Action::Stop);
/// assert!(verdict.headline.starts_with("STOP: Lily asked you to pay outside the platform"));
/// assert!(verdict.headline.contains("after moving the chat to WhatsApp"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Stop, caution or go on.
    pub action: Action,
    /// One sentence: the action and the strongest pretext, with the move off the platform when there was one.
    pub headline: String,
    /// What the supplier's messages showed, strongest first, one line each, then the cross-message findings.
    pub reasons: Vec<String>,
}

/// The order in which pretexts lead the headline when they are equally serious: where the money goes first.
const LEAD: [Category; 9] = [
    Category::OffPlatformPayment,
    Category::GatewayMaintenancePretext,
    Category::AdvanceFee,
    Category::FakePaymentLink,
    Category::DisputePressure,
    Category::TaxInvoicePretext,
    Category::CounterfeitHint,
    Category::ContactMove,
    Category::Urgency,
];

/// What the supplier did, as a verb phrase after the subject.
fn phrase(category: Category, lang: Lang) -> &'static str {
    let (en, zh) = match category {
        Category::OffPlatformPayment => ("asked you to pay outside the platform", "要求您绕过平台付款"),
        Category::ContactMove => ("moved the chat off the platform", "把聊天转到了站外"),
        Category::TaxInvoicePretext => (
            "offered a lower price for skipping the invoice",
            "以“不开发票更便宜”为由让您换方式付款",
        ),
        Category::GatewayMaintenancePretext => (
            "claimed a payment channel or account problem to send your money elsewhere",
            "借口付款通道或账户“出问题”让您换账户付款",
        ),
        Category::CounterfeitHint => ("hinted that the goods are counterfeit", "暗示商品是仿品"),
        Category::DisputePressure => (
            "pressed you to close a dispute or confirm receipt early",
            "催您撤销纠纷或提前确认收货",
        ),
        Category::FakePaymentLink => (
            "sent a payment link that is not the platform's checkout",
            "发来了不是平台收银台的付款链接",
        ),
        Category::AdvanceFee => ("asked for an upfront or surprise fee", "要求您预付或额外付费"),
        Category::Urgency => ("pressed you to pay quickly", "催您尽快付款"),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// Chat apps a move off the platform names, matched on the lowercased text without spaces (so `薇 信` and
/// `whats app` are found): the name shown, and the spellings.
const APPS: &[(&str, &str, &[&str])] = &[
    (
        "WeChat",
        "微信",
        &["wechat", "weixin", "微信", "薇信", "威信", "维信", "vx", "v信", "wx"],
    ),
    (
        "WhatsApp",
        "WhatsApp",
        &["whatsapp", "whatapp", "wh@tsapp", "watsap", "wsp", "wa.me"],
    ),
    ("Telegram", "Telegram", &["telegram", "电报", "飞机", "t.me", "tg"]),
    ("LINE", "LINE", &["line"]),
    ("QQ", "QQ", &["qq"]),
    ("Skype", "Skype", &["skype"]),
    ("e-mail", "邮箱", &["e-mail", "email", "邮箱", "邮件", "gmail"]),
];

/// The app a move off the platform names in `quote`, if exactly one is clear. Latin names of two letters or
/// `line` count only as whole words of the original text (so "online" or "two" do not).
fn app_of(quote: &str, lang: Lang) -> Option<&'static str> {
    let lower = quote.to_lowercase();
    // Without spaces and the dots or dashes put between letters to dodge filters (`w.e.c.h.a.t`).
    let squeezed: String = lower.chars().filter(|c| c.is_alphanumeric() || *c == '@').collect();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '@' || c == '.' || c == '-'))
        .collect();
    let found = APPS.iter().find(|(_, _, names)| {
        names.iter().any(|n| {
            if n.contains('.') {
                lower.contains(n)
            } else if n.is_ascii() && n.len() <= 4 {
                words.contains(n)
            } else {
                squeezed.contains(&n.replace('-', ""))
            }
        })
    })?;
    Some(match lang {
        Lang::En => found.0,
        Lang::Zh => found.1,
    })
}

pub(crate) struct VerdictInput<'a> {
    pub risk: Risk,
    pub seen: &'a [Seen],
    pub escalations: &'a [ConversationNote],
    /// Flagged messages at least (every message when the report keeps them all), by index.
    pub messages: &'a [ReportedMessage],
    pub lang: Lang,
}

pub(crate) fn verdict(input: VerdictInput<'_>) -> Verdict {
    let VerdictInput {
        risk,
        seen,
        escalations,
        messages,
        lang,
    } = input;
    let action = Action::of_risk(risk);
    let message = |i: usize| messages.iter().find(|m| m.index == i);
    // The strongest pretext leads; among equals, the one about money.
    let lead = seen
        .iter()
        .max_by_key(|s| (s.risk, std::cmp::Reverse(LEAD.iter().position(|c| *c == s.category))));
    let reasons = reasons(seen, escalations, lang);
    let Some(lead) = lead.filter(|_| risk > Risk::None) else {
        let headline = match lang {
            Lang::En => format!("{}: no scam pretext was seen in this chat.", action.word(lang)),
            Lang::Zh => format!("{}：这段聊天里没有发现诈骗话术。", action.word(lang)),
        };
        return Verdict {
            action,
            headline,
            reasons,
        };
    };
    let first = lead.messages.first().copied();
    let who = first
        .and_then(message)
        .and_then(|m| m.sender.clone())
        .unwrap_or_else(|| match lang {
            Lang::En => "the supplier".to_string(),
            Lang::Zh => "对方".to_string(),
        });
    // The move off the platform, told with the app it named.
    let contact = seen
        .iter()
        .find(|s| s.category == Category::ContactMove && lead.category != Category::ContactMove);
    let app = |s: &Seen| {
        s.messages.iter().filter_map(|&i| message(i)).find_map(|m| {
            m.concerns
                .iter()
                .filter(|c| c.category == Category::ContactMove)
                .find_map(|c| app_of(&m.text[c.cover.clone()], lang))
        })
    };
    let lead_phrase = match (lead.category, lang) {
        (Category::ContactMove, Lang::En) => app(lead).map_or_else(
            || phrase(lead.category, lang).to_string(),
            |a| format!("moved the chat to {a}"),
        ),
        (Category::ContactMove, Lang::Zh) => app(lead).map_or_else(
            || phrase(lead.category, lang).to_string(),
            |a| format!("把聊天转到了{a}"),
        ),
        _ => phrase(lead.category, lang).to_string(),
    };
    let second = seen
        .iter()
        .filter(|s| s.category != lead.category && s.category != Category::ContactMove && s.risk >= Risk::Medium)
        .max_by_key(|s| (s.risk, std::cmp::Reverse(LEAD.iter().position(|c| *c == s.category))));
    let mut headline = match lang {
        Lang::En => format!("{}: {who} {lead_phrase}", action.word(lang)),
        Lang::Zh => format!("{}：{who}{lead_phrase}", action.word(lang)),
    };
    if let Some(c) = contact {
        // "After" only when the move came in an earlier message; in the same message it is one more thing said.
        let before = c.messages.first() < lead.messages.first();
        let where_to = app(c);
        match (lang, before, where_to) {
            (Lang::En, true, Some(a)) => headline += &format!(" after moving the chat to {a}"),
            (Lang::En, true, None) => headline += " after moving the chat off the platform",
            (Lang::En, false, Some(a)) => headline += &format!(" and moved the chat to {a}"),
            (Lang::En, false, None) => headline += " and moved the chat off the platform",
            (Lang::Zh, true, Some(a)) => {
                headline = format!("{}：{who}先把聊天转到{a}，又{lead_phrase}", action.word(lang))
            }
            (Lang::Zh, true, None) => {
                headline = format!("{}：{who}先把聊天转到站外，又{lead_phrase}", action.word(lang))
            }
            (Lang::Zh, false, Some(a)) => headline += &format!("，还把聊天转到了{a}"),
            (Lang::Zh, false, None) => headline += "，还把聊天转到了站外",
        }
    } else if let Some(s) = second {
        match lang {
            Lang::En => headline += &format!(", and {}", phrase(s.category, lang)),
            Lang::Zh => headline += &format!("，还{}", phrase(s.category, lang)),
        }
    }
    headline += match (action, lang) {
        (Action::Stop, Lang::En) => ". Do not pay until you have checked through the platform.",
        (Action::Stop, Lang::Zh) => "。通过平台核实之前不要付款。",
        (Action::Caution, Lang::En) => ". Keep the chat and the payment on the platform.",
        (Action::Caution, Lang::Zh) => "。请把沟通和付款都留在平台上。",
        (Action::GoOn, Lang::En) => ". No other scam pretext was seen; pay only through the platform.",
        (Action::GoOn, Lang::Zh) => "。没有发现其他诈骗话术；只通过平台付款。",
    };
    Verdict {
        action,
        headline,
        reasons,
    }
}

/// One line per category the supplier showed, strongest first, then one per cross-message finding.
fn reasons(seen: &[Seen], escalations: &[ConversationNote], lang: Lang) -> Vec<String> {
    let mut sorted: Vec<&Seen> = seen.iter().collect();
    sorted.sort_by_key(|s| (std::cmp::Reverse(s.risk), LEAD.iter().position(|c| *c == s.category)));
    // Message numbers from 1, in the order of the chat.
    let sorted_numbers = |ms: &[usize]| {
        let mut ms = ms.to_vec();
        ms.sort_unstable();
        ms.dedup();
        ms.into_iter().map(|i| i + 1)
    };
    let numbers = |ms: &[usize]| {
        sorted_numbers(ms)
            .map(|n| format!("#{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let numbers_zh = |ms: &[usize]| sorted_numbers(ms).map(|n| n.to_string()).collect::<Vec<_>>().join("、");
    let mut out: Vec<String> = sorted
        .iter()
        .map(|s| match lang {
            Lang::En => format!(
                "{} ({}): message{} {}",
                category_label(s.category, lang),
                s.risk.as_str(),
                if s.messages.len() > 1 { "s" } else { "" },
                numbers(&s.messages)
            ),
            Lang::Zh => format!(
                "{}（{}）：第{}条消息",
                category_label(s.category, lang),
                risk_zh(s.risk),
                numbers_zh(&s.messages)
            ),
        })
        .collect();
    for e in escalations {
        out.push(match lang {
            Lang::En => format!(
                "Across messages {}: {} ({})",
                numbers(&e.messages),
                e.description,
                e.risk.as_str()
            ),
            Lang::Zh => format!(
                "第{}条消息合起来：{}（{}）",
                numbers_zh(&e.messages),
                e.description,
                risk_zh(e.risk)
            ),
        });
    }
    out
}

fn risk_zh(r: Risk) -> &'static str {
    match r {
        Risk::High => "高",
        Risk::Medium => "中",
        Risk::Low => "低",
        Risk::None => "无",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apps_are_named_only_when_clear() {
        let cases = [
            ("add my wechat lily_88", Some("WeChat")),
            ("加我薇 信 chen_hw2025 聊", Some("WeChat")),
            ("text me on whats app +86 135", Some("WhatsApp")),
            ("message me on LINE: lily88", Some("LINE")),
            ("we are online now, add me", None),
            ("t.me/lily_shop", Some("Telegram")),
            ("send me an email", Some("e-mail")),
            ("photos I only send on my w.e.c.h.a.t", Some("WeChat")),
            ("contact me privately", None),
        ];
        for (text, want) in cases {
            assert_eq!(app_of(text, Lang::En), want, "{text}");
        }
        assert_eq!(app_of("加我微信", Lang::Zh), Some("微信"));
    }
}
