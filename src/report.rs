//! What a scan returns: findings with spans into the original text, and the message's risk.

use std::ops::Range;
use std::sync::Arc;

use crate::rules::Advice;
use crate::score::{risk_of, Category, Risk, Severity};

/// The fixed facts about a rule that every finding of it shares.
#[derive(Debug)]
pub(crate) struct RuleInfo {
    pub(crate) id: String,
    pub(crate) category: Category,
    pub(crate) severity: Severity,
    pub(crate) description: Option<String>,
    pub(crate) advice: Arc<Advice>,
}

/// One rule that fired, and where.
///
/// With the `serde` feature it serializes as
/// `{"rule": "...", "category": "...", "severity": "...", "start": 0, "end": 9}`.
///
/// # Example
///
/// ```
/// use redflag::{Category, Detector, Severity};
///
/// let text = "Please send the deposit by Western Union to my name.";
/// let report = Detector::new().scan(text);
/// let f = &report.findings()[0];
/// assert_eq!(f.category(), Category::OffPlatformPayment);
/// assert_eq!(f.severity(), Severity::High);
/// assert!(text[f.span()].to_lowercase().contains("western union"));
/// ```
#[derive(Debug, Clone)]
pub struct Finding {
    pub(crate) rule: Arc<RuleInfo>,
    pub(crate) span: Range<usize>,
    pub(crate) trigger: Range<usize>,
    pub(crate) entity: Option<usize>,
}

impl Finding {
    /// The id of the rule that fired (`category.name`).
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().scan("add me on wechat: lily_88");
    /// assert!(r.findings()[0].rule_id().starts_with("contact_move."));
    /// ```
    pub fn rule_id(&self) -> &str {
        &self.rule.id
    }

    /// The pretext.
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().scan("add me on wechat: lily_88");
    /// assert_eq!(r.findings()[0].category(), redflag::Category::ContactMove);
    /// ```
    pub fn category(&self) -> Category {
        self.rule.category
    }

    /// How serious it is.
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().scan("add me on wechat: lily_88");
    /// assert_eq!(r.findings()[0].severity(), redflag::Severity::Medium);
    /// ```
    pub fn severity(&self) -> Severity {
        self.rule.severity
    }

    /// The half-open byte range of the finding in the ORIGINAL text; always on char boundaries.
    ///
    /// # Example
    ///
    /// ```
    /// let text = "亲，加我 w e c h a t 吧";
    /// let r = redflag::Detector::new().scan(text);
    /// let f = &r.findings()[0];
    /// assert!(text[f.span()].contains("w e c h a t"));
    /// ```
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// Where the term that triggered the rule is (for a composed rule, a hit of its first concept), in the original
    /// text, inside or near [`Finding::span`].
    ///
    /// # Example
    ///
    /// ```
    /// let text = "pls add my wechat: lily_88";
    /// let r = redflag::Detector::new().scan(text);
    /// let f = &r.findings()[0];
    /// assert!(f.span().start <= f.trigger().start && f.trigger().end <= f.span().end);
    /// ```
    pub fn trigger(&self) -> Range<usize> {
        self.trigger.clone()
    }

    /// The index in [`Report::entities`] of the entity this finding rests on (the handle after "add my WeChat",
    /// the look-alike link), when its span overlaps one.
    ///
    /// # Example
    ///
    /// ```
    /// let text = "pls add my wechat: lily_8899";
    /// let r = redflag::Detector::new().scan(text);
    /// let f = r.findings().iter().find(|f| f.entity().is_some()).unwrap();
    /// assert_eq!(r.entities()[f.entity().unwrap()].value(), "lily_8899");
    /// ```
    pub fn entity(&self) -> Option<usize> {
        self.entity
    }

    /// The rule's one-line description, when it has one.
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().scan("add me on wechat: lily_88");
    /// assert!(r.findings()[0].description().is_some());
    /// ```
    pub fn description(&self) -> Option<&str> {
        self.rule.description.as_deref()
    }

    /// What the buyer should do (the rule's advice, or its category's).
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().scan("add me on wechat: lily_88");
    /// assert!(!r.findings()[0].advice().en.is_empty());
    /// ```
    pub fn advice(&self) -> &Advice {
        &self.rule.advice
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Finding", 5)?;
        st.serialize_field("rule", self.rule_id())?;
        st.serialize_field("category", &self.category())?;
        st.serialize_field("severity", &self.severity())?;
        st.serialize_field("start", &self.span.start)?;
        st.serialize_field("end", &self.span.end)?;
        if let Some(e) = self.entity {
            st.serialize_field("entity", &e)?;
        }
        st.end()
    }
}

/// The result of scanning one message: its findings (ordered by position) and its [`Risk`].
///
/// With the `serde` feature it serializes as `{"risk": "high", "findings": [...]}`.
///
/// # Example
///
/// ```
/// use redflag::{Detector, Risk};
///
/// let report = Detector::new().scan("Price is $2.35/pc FOB Ningbo, MOQ 500.");
/// assert_eq!(report.risk(), Risk::None);
/// assert!(report.findings().is_empty());
/// ```
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Report {
    risk: Risk,
    findings: Vec<Finding>,
    entities: Vec<crate::entities::Entity>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    suppressed: Vec<Suppressed>,
}

/// Why a candidate finding was dropped.
///
/// # Example
///
/// ```
/// use redflag::{Detector, Reason};
///
/// let text = "平台提醒：请勿添加微信私下交易";
/// let r = Detector::new().explain(text);
/// assert!(r.findings().is_empty());
/// assert!(r.suppressed().iter().any(|s| matches!(s.reason(), Reason::Negation { .. } | Reason::Warning { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "reason", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Reason {
    /// A negation or refusal cue before it in the same clause (`never`, `请勿`, `不要`).
    Negation {
        /// The cue's byte range in the original text.
        cue: Range<usize>,
    },
    /// A warning word in the same sentence (`scam`, `骗子`).
    Warning {
        /// The warning word's byte range in the original text.
        cue: Range<usize>,
    },
    /// An allowlist phrase of the rule overlaps it (`微信支付` over `微信`).
    Allowlist {
        /// The phrase, as folded.
        phrase: String,
    },
    /// One of the rule's `unless` atoms matched near the keyword.
    Unless,
    /// The Han keyword is not a word of its own in its neighbourhood (`原单` in `原单号`).
    NotAWord,
    /// It follows a sign-off that opens a signature block (`Best regards,`, `此致敬礼`): contact details listed
    /// under a name are no request.
    Signature {
        /// The sign-off's byte range in the original text.
        cue: Range<usize>,
    },
}

/// A candidate finding that context dropped, from [`Detector::explain`](crate::Detector::explain).
///
/// # Example
///
/// ```
/// let r = redflag::Detector::new().explain("WeChat Pay is accepted at the checkout");
/// for s in r.suppressed() {
///     println!("{} at {:?}: {:?}", s.rule_id(), s.span(), s.reason());
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub(crate) rule: Arc<RuleInfo>,
    pub(crate) span: Range<usize>,
    pub(crate) reason: Reason,
}

impl Suppressed {
    /// The rule that would have fired.
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().explain("请勿添加微信私下交易");
    /// assert!(r.suppressed().iter().all(|s| s.rule_id().contains('.')));
    /// ```
    pub fn rule_id(&self) -> &str {
        &self.rule.id
    }

    /// Where the dropped candidate was, in the original text.
    ///
    /// # Example
    ///
    /// ```
    /// let text = "请勿添加微信私下交易";
    /// let r = redflag::Detector::new().explain(text);
    /// assert!(r.suppressed().iter().all(|s| text.get(s.span()).is_some()));
    /// ```
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// Why it was dropped.
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().explain("请勿添加微信私下交易");
    /// assert!(!r.suppressed().is_empty());
    /// let _ = r.suppressed()[0].reason();
    /// ```
    pub fn reason(&self) -> &Reason {
        &self.reason
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Suppressed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Suppressed", 4)?;
        st.serialize_field("rule", self.rule_id())?;
        st.serialize_field("start", &self.span.start)?;
        st.serialize_field("end", &self.span.end)?;
        st.serialize_field("why", &self.reason)?;
        st.end()
    }
}

impl Report {
    pub(crate) fn new(
        text: &str,
        mut findings: Vec<Finding>,
        entities: Vec<crate::entities::Entity>,
        suppressed: Vec<Suppressed>,
    ) -> Report {
        findings.sort_by(|a, b| (a.span.start, a.span.end, &a.rule.id).cmp(&(b.span.start, b.span.end, &b.rule.id)));
        // A finding rests on the entity its span overlaps, or else on one that follows it closely in the same
        // clause ("add my wechat: lily_88").
        let breaks = ['.', '!', '?', '\n', '。', '！', '？', '，', ','];
        for f in &mut findings {
            let overlapping = entities
                .iter()
                .position(|e| e.span().start < f.span.end && f.span.start < e.span().end);
            f.entity = overlapping.or_else(|| {
                entities.iter().position(|e| {
                    let gap = text.get(f.span.end..e.span().start);
                    gap.is_some_and(|g| g.len() <= 24 && !g.contains(breaks))
                })
            });
        }
        Report {
            risk: risk_of(findings.iter().map(Finding::severity)),
            findings,
            entities,
            suppressed,
        }
    }

    /// The contacts, numbers, accounts, addresses and links found in the message, in text order, with normalised
    /// values and spans in the original text.
    ///
    /// # Example
    ///
    /// ```
    /// use redflag::EntityKind;
    ///
    /// let r = redflag::Detector::new().scan("加我微信：lucky_mold99，或者打电话 138 0013 8000");
    /// let kinds: Vec<EntityKind> = r.entities().iter().map(|e| e.kind()).collect();
    /// assert!(kinds.contains(&EntityKind::Wechat) && kinds.contains(&EntityKind::Phone), "{kinds:?}");
    /// ```
    pub fn entities(&self) -> &[crate::entities::Entity] {
        &self.entities
    }

    /// The candidates context dropped, and why. Filled only by [`Detector::explain`](crate::Detector::explain);
    /// empty after [`Detector::scan`](crate::Detector::scan).
    ///
    /// # Example
    ///
    /// ```
    /// let d = redflag::Detector::new();
    /// assert!(d.scan("never pay to a personal account").suppressed().is_empty());
    /// assert!(!d.explain("never pay to a personal account").suppressed().is_empty());
    /// ```
    pub fn suppressed(&self) -> &[Suppressed] {
        &self.suppressed
    }

    /// The message's risk: the highest severity among its findings, [`Risk::None`] when there are none.
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().scan("不开票的话直接打我私人账户，再便宜3个点");
    /// assert_eq!(r.risk(), redflag::Risk::High);
    /// ```
    pub fn risk(&self) -> Risk {
        self.risk
    }

    /// The findings, ordered by their start in the text.
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().scan("hello");
    /// assert!(r.findings().is_empty());
    /// ```
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The distinct categories found, in [`Category::ALL`] order.
    ///
    /// # Example
    ///
    /// ```
    /// use redflag::Category;
    /// let r = redflag::Detector::new().scan("有事加我vx：lucky_mold99，图纸那边发");
    /// assert!(r.categories().contains(&Category::ContactMove));
    /// ```
    pub fn categories(&self) -> Vec<Category> {
        let mut c: Vec<Category> = self.findings.iter().map(Finding::category).collect();
        c.sort();
        c.dedup();
        c
    }

    /// `true` when the risk is [`Risk::High`] (an alert).
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!redflag::Detector::new().scan("hello").is_alert());
    /// ```
    pub fn is_alert(&self) -> bool {
        self.risk == Risk::High
    }
}
