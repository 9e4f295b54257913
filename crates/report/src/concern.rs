//! One line per concern: the findings of a message grouped by category, the strongest rule of each kept.

use std::ops::Range;

use redflag::{Category, Report, Severity};
use serde::Serialize;

use crate::Lang;

/// What one message shows of one category: the strongest of the findings of that category in the message, with
/// the other rules that agreed. A buyer reads one line per concern; `--explain` lists the others.
///
/// # Example
///
/// ```
/// use redflag::{Category, Detector};
/// use redflag_report::concerns;
///
/// let text = "add my wechat lily_88, then pay the deposit to my personal account";
/// let report = Detector::new().scan(text);
/// let c = concerns(text, &report);
/// // Several rules fire; each category appears once.
/// assert!(report.findings().len() > c.len());
/// assert!(c.iter().any(|c| c.category == Category::OffPlatformPayment));
/// assert_eq!(&text[c[0].span.clone()], c[0].quote);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Concern {
    /// The category.
    pub category: Category,
    /// The strongest severity among the category's findings in the message.
    pub severity: Severity,
    /// The rule of the finding kept (the strongest; among equals the widest span, then the first).
    pub rule: String,
    /// The span of the kept finding: a half-open byte range into the message text.
    pub span: Range<usize>,
    /// The text of `span`.
    pub quote: String,
    /// The span covering every finding of the category in the message (what a highlight should cover).
    pub cover: Range<usize>,
    /// The kept rule's one-line description, when it has one.
    pub description: Option<String>,
    /// What the buyer should do, in the message's language.
    pub advice: String,
    /// The other rules of the category that fired in the message.
    pub also: Vec<String>,
}

/// The concerns of one message, strongest first (by severity, then in category order).
///
/// # Example
///
/// ```
/// let text = "hello, is the price per piece?";
/// let report = redflag::Detector::new().scan(text);
/// assert!(redflag_report::concerns(text, &report).is_empty());
/// ```
pub fn concerns(text: &str, report: &Report) -> Vec<Concern> {
    let mut out: Vec<Concern> = Vec::new();
    for f in report.findings() {
        let span = f.span();
        match out.iter_mut().find(|c| c.category == f.category()) {
            Some(c) => {
                c.cover = c.cover.start.min(span.start)..c.cover.end.max(span.end);
                let stronger = (f.severity(), span.len()) > (c.severity, c.span.len());
                if stronger {
                    let old = std::mem::replace(&mut c.rule, f.rule_id().to_string());
                    c.also.push(old);
                    c.severity = f.severity();
                    c.span = span.clone();
                    c.quote = text.get(span).unwrap_or_default().to_string();
                    c.description = f.description().map(str::to_string);
                } else if c.rule != f.rule_id() && !c.also.iter().any(|r| r == f.rule_id()) {
                    c.also.push(f.rule_id().to_string());
                }
            }
            None => out.push(Concern {
                category: f.category(),
                severity: f.severity(),
                rule: f.rule_id().to_string(),
                quote: text.get(span.clone()).unwrap_or_default().to_string(),
                cover: span.clone(),
                span,
                description: f.description().map(str::to_string),
                advice: f.advice().for_text(text).to_string(),
                also: Vec::new(),
            }),
        }
    }
    out.sort_by_key(|c| (std::cmp::Reverse(c.severity), c.category));
    out
}

/// The word for a severity (or a risk's level) in the report's language.
///
/// # Example
///
/// ```
/// use redflag::Severity;
/// use redflag_report::{severity_label, Lang};
///
/// assert_eq!(severity_label(Severity::High, Lang::En), "high");
/// assert_eq!(severity_label(Severity::High, Lang::Zh), "高");
/// ```
pub fn severity_label(severity: Severity, lang: Lang) -> &'static str {
    match (lang, severity) {
        (Lang::En, s) => s.as_str(),
        (Lang::Zh, Severity::High) => "高",
        (Lang::Zh, Severity::Medium) => "中",
        (Lang::Zh, Severity::Low) => "低",
    }
}

/// A short name of a category for a buyer.
///
/// # Example
///
/// ```
/// use redflag::Category;
/// use redflag_report::{category_label, Lang};
///
/// assert_eq!(category_label(Category::ContactMove, Lang::En), "Moving the chat off the platform");
/// assert_eq!(category_label(Category::ContactMove, Lang::Zh), "转到站外聊天");
/// ```
pub fn category_label(category: Category, lang: Lang) -> &'static str {
    let (en, zh) = match category {
        Category::OffPlatformPayment => ("Payment outside the platform", "绕过平台付款"),
        Category::ContactMove => ("Moving the chat off the platform", "转到站外聊天"),
        Category::TaxInvoicePretext => ("Cheaper without an invoice", "不开发票更便宜"),
        Category::GatewayMaintenancePretext => ("Payment channel or account \"problem\"", "付款通道或账户“出问题”"),
        Category::CounterfeitHint => ("Possible counterfeit goods", "疑似仿冒商品"),
        Category::DisputePressure => (
            "Pressure to close a dispute or confirm early",
            "催您撤销纠纷或提前确认收货",
        ),
        Category::FakePaymentLink => ("Payment link outside the platform", "非平台付款链接"),
        Category::AdvanceFee => ("Upfront or surprise fee", "预付或额外费用"),
        Category::Urgency => ("Pressure to pay quickly", "催促付款"),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag::Detector;

    #[test]
    fn one_concern_per_category_strongest_first() {
        let d = Detector::new();
        let cases: &[(&str, &[Category])] = &[
            ("hello there", &[]),
            ("add my wechat lily_88", &[Category::ContactMove]),
            (
                "平台这两天付款通道在维护，直接转到我们财务的个人卡上就行",
                &[Category::OffPlatformPayment, Category::GatewayMaintenancePretext],
            ),
        ];
        for (text, want) in cases {
            let r = d.scan(text);
            let c = concerns(text, &r);
            let mut got: Vec<Category> = c.iter().map(|c| c.category).collect();
            got.sort();
            let mut want = want.to_vec();
            want.sort();
            assert_eq!(got, want, "{text}");
            for c in &c {
                assert_eq!(&text[c.span.clone()], c.quote);
                assert!(c.cover.start <= c.span.start && c.span.end <= c.cover.end);
                assert!(!c.also.contains(&c.rule), "{c:?}");
                assert!(!c.advice.is_empty());
            }
            assert!(c.windows(2).all(|w| w[0].severity >= w[1].severity));
            // Every finding's rule is either kept or listed in `also`, and its span lies in the cover.
            for f in r.findings() {
                let k = c.iter().find(|c| c.category == f.category()).expect("category kept");
                assert!(k.rule == f.rule_id() || k.also.iter().any(|a| a == f.rule_id()));
                assert!(k.cover.start <= f.span().start && f.span().end <= k.cover.end);
            }
        }
    }

    #[test]
    fn every_category_has_labels() {
        for c in Category::ALL {
            for lang in [Lang::En, Lang::Zh] {
                assert!(!category_label(c, lang).is_empty());
            }
        }
    }
}
