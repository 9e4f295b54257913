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
}

impl Report {
    pub(crate) fn new(mut findings: Vec<Finding>) -> Report {
        findings.sort_by(|a, b| (a.span.start, a.span.end, &a.rule.id).cmp(&(b.span.start, b.span.end, &b.rule.id)));
        Report {
            risk: risk_of(findings.iter().map(Finding::severity)),
            findings,
        }
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
