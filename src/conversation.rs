//! Conversation state: the pretexts of one chat, across messages, with sender roles.
//!
//! Scam scripts are spread over a chat: a move to WhatsApp in message 2, "our account is under audit" in message
//! 9, "pay today" in message 11. No message alone may be an alert; together they are. A [`Conversation`] keeps
//! what the supplier's messages showed and applies the escalation rules of `data/escalation.toml`.

use std::sync::Arc;

use crate::detector::Detector;
use crate::report::Report;
use crate::rules::EscalationRule;
use crate::score::{Category, Risk};

/// Who wrote a message.
///
/// Only the supplier's messages (`Seller`, and `Unknown` when roles are not known) feed the conversation's
/// escalation; the buyer's own messages are scanned and reported but never raise the conversation's risk.
///
/// # Example
///
/// ```
/// use redflag::{Detector, Role};
///
/// let mut convo = Detector::new().conversation();
/// convo.push(Role::Buyer, "can I pay to your personal account?");
/// assert_eq!(convo.risk(), redflag::Risk::None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "snake_case"))]
pub enum Role {
    /// The supplier (the party that is not the buyer).
    Seller,
    /// The buyer, on whose behalf the detector works.
    Buyer,
    /// Not known (treated like `Seller` for escalation, since a buyer pasting a chat is warned about the other
    /// side).
    Unknown,
}

impl Role {
    /// The snake_case name, as serialized: `seller`, `buyer`, `unknown`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(redflag::Role::Buyer.as_str(), "buyer");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Seller => "seller",
            Role::Buyer => "buyer",
            Role::Unknown => "unknown",
        }
    }
}

/// A conversation-level finding: an escalation rule met by several supplier messages together.
///
/// With the `serde` feature it serializes as
/// `{"rule": "...", "risk": "high", "description": "...", "messages": [1, 4], "categories": ["contact_move", ...]}`.
///
/// # Example
///
/// ```
/// use redflag::{Detector, Risk, Role};
///
/// let mut convo = Detector::new().conversation();
/// convo.push(Role::Seller, "we can talk on whatsapp, my number 86 135 1111 2222");
/// convo.push(Role::Seller, "our company account is under annual audit this week");
/// let e = &convo.escalations()[0];
/// assert_eq!(e.risk(), Risk::High);
/// assert_eq!(e.messages(), &[0, 1]);
/// ```
#[derive(Debug, Clone)]
pub struct Escalation {
    rule: Arc<EscalationRule>,
    messages: Vec<usize>,
    categories: Vec<Category>,
}

impl Escalation {
    /// The escalation rule's id (`conversation.*`).
    ///
    /// # Example
    ///
    /// ```
    /// # use redflag::{Detector, Role};
    /// # let mut convo = Detector::new().conversation();
    /// # convo.push(Role::Seller, "add my wechat lily_8899 please");
    /// # convo.push(Role::Seller, "pay the deposit to my personal account");
    /// assert!(convo.escalations()[0].rule_id().starts_with("conversation."));
    /// ```
    pub fn rule_id(&self) -> &str {
        &self.rule.id
    }

    /// What the escalation means.
    ///
    /// # Example
    ///
    /// ```
    /// # use redflag::{Detector, Role};
    /// # let mut convo = Detector::new().conversation();
    /// # convo.push(Role::Seller, "add my wechat lily_8899 please");
    /// # convo.push(Role::Seller, "pay the deposit to my personal account");
    /// assert!(!convo.escalations()[0].description().is_empty());
    /// ```
    pub fn description(&self) -> &str {
        &self.rule.description
    }

    /// What it means, in Chinese (simplified), when the rule has it (every built-in rule does).
    ///
    /// # Example
    ///
    /// ```
    /// # use redflag::{Detector, Role};
    /// # let mut convo = Detector::new().conversation();
    /// # convo.push(Role::Seller, "add my wechat lily_8899 please");
    /// # convo.push(Role::Seller, "pay the deposit to my personal account");
    /// assert!(convo.escalations()[0].description_zh().is_some_and(|d| d.contains("站外")));
    /// ```
    pub fn description_zh(&self) -> Option<&str> {
        self.rule.description_zh.as_deref()
    }

    /// The risk it gives the conversation.
    ///
    /// # Example
    ///
    /// ```
    /// # use redflag::{Detector, Role};
    /// # let mut convo = Detector::new().conversation();
    /// # convo.push(Role::Seller, "add my wechat lily_8899 please");
    /// # convo.push(Role::Seller, "pay the deposit to my personal account");
    /// assert_eq!(convo.escalations()[0].risk(), redflag::Risk::High);
    /// ```
    pub fn risk(&self) -> Risk {
        self.rule.risk
    }

    /// The indices (from 0, in push order) of the messages that met it, one per `needs` group.
    ///
    /// # Example
    ///
    /// ```
    /// # use redflag::{Detector, Role};
    /// # let mut convo = Detector::new().conversation();
    /// # convo.push(Role::Seller, "add my wechat lily_8899 please");
    /// # convo.push(Role::Seller, "pay the deposit to my personal account");
    /// assert_eq!(convo.escalations()[0].messages(), &[0, 1]);
    /// ```
    pub fn messages(&self) -> &[usize] {
        &self.messages
    }

    /// The category each of those messages contributed.
    ///
    /// # Example
    ///
    /// ```
    /// # use redflag::{Category, Detector, Role};
    /// # let mut convo = Detector::new().conversation();
    /// # convo.push(Role::Seller, "add my wechat lily_8899 please");
    /// # convo.push(Role::Seller, "pay the deposit to my personal account");
    /// assert_eq!(convo.escalations()[0].categories()[0], Category::ContactMove);
    /// ```
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Escalation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Escalation", 5)?;
        st.serialize_field("rule", self.rule_id())?;
        st.serialize_field("risk", &self.risk())?;
        st.serialize_field("description", self.description())?;
        st.serialize_field("messages", &self.messages)?;
        st.serialize_field("categories", &self.categories)?;
        st.end()
    }
}

/// What one category looked like over a conversation.
///
/// # Example
///
/// ```
/// use redflag::{Category, Detector, Role};
///
/// let mut convo = Detector::new().conversation();
/// convo.push(Role::Seller, "add my wechat lily_8899 please");
/// let seen = convo.seen();
/// assert_eq!(seen[0].category, Category::ContactMove);
/// assert_eq!(seen[0].messages, vec![0]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Seen {
    /// The category.
    pub category: Category,
    /// The highest risk one of its findings gave a message.
    pub risk: Risk,
    /// The messages (indices from 0) where the supplier showed it.
    pub messages: Vec<usize>,
}

/// The state of one chat. Get one from [`Detector::conversation`]; push messages in order.
///
/// # Example
///
/// ```
/// use redflag::{Detector, Risk, Role};
///
/// let detector = Detector::new();
/// let mut convo = detector.conversation();
/// // No single message is an alert …
/// assert_eq!(convo.push(Role::Seller, "pls continue on WhatsApp +86 137 0000 1111, faster reply").risk(), Risk::Medium);
/// assert_eq!(convo.push(Role::Buyer, "ok, what about payment?").risk(), Risk::None);
/// assert!(convo.push(Role::Seller, "our company account is under annual audit this week").risk() < Risk::High);
/// // … but the conversation is.
/// assert_eq!(convo.risk(), Risk::High);
/// assert_eq!(convo.messages(), 3);
/// ```
#[derive(Debug, Clone)]
pub struct Conversation {
    detector: Detector,
    messages: usize,
    message_risk: Risk,
    seen: Vec<Seen>,
    escalations: Vec<Escalation>,
}

impl Detector {
    /// A new, empty conversation scanned by this detector.
    ///
    /// # Example
    ///
    /// ```
    /// let convo = redflag::Detector::new().conversation();
    /// assert_eq!(convo.risk(), redflag::Risk::None);
    /// ```
    pub fn conversation(&self) -> Conversation {
        Conversation {
            detector: self.clone(),
            messages: 0,
            message_risk: Risk::None,
            seen: Vec::new(),
            escalations: Vec::new(),
        }
    }
}

impl Conversation {
    /// Scans the next message, updates the conversation, and returns the message's own report.
    ///
    /// # Example
    ///
    /// ```
    /// use redflag::{Detector, Role};
    ///
    /// let mut convo = Detector::new().conversation();
    /// let report = convo.push(Role::Seller, "加我薇信 lily_8899 看实拍");
    /// assert_eq!(report.findings()[0].category(), redflag::Category::ContactMove);
    /// ```
    pub fn push(&mut self, role: Role, text: &str) -> Report {
        let report = self.detector.scan(text);
        self.record(role, report)
    }

    /// Like [`Conversation::push`], with the message's report from [`Detector::explain`] (it lists what context
    /// suppressed).
    ///
    /// # Example
    ///
    /// ```
    /// use redflag::{Detector, Role};
    ///
    /// let mut convo = Detector::new().conversation();
    /// let r = convo.push_explained(Role::Seller, "请勿添加微信私下交易");
    /// assert!(r.findings().is_empty() && !r.suppressed().is_empty());
    /// ```
    pub fn push_explained(&mut self, role: Role, text: &str) -> Report {
        let report = self.detector.explain(text);
        self.record(role, report)
    }

    fn record(&mut self, role: Role, report: Report) -> Report {
        let index = self.messages;
        self.messages += 1;
        if role == Role::Buyer {
            return report;
        }
        self.message_risk = self.message_risk.max(report.risk());
        for f in report.findings() {
            let risk = Risk::from(f.severity());
            match self.seen.iter_mut().find(|s| s.category == f.category()) {
                Some(s) => {
                    s.risk = s.risk.max(risk);
                    if s.messages.last() != Some(&index) {
                        s.messages.push(index);
                    }
                }
                None => self.seen.push(Seen {
                    category: f.category(),
                    risk,
                    messages: vec![index],
                }),
            }
        }
        if !report.findings().is_empty() {
            self.escalate();
        }
        report
    }

    fn escalate(&mut self) {
        for rule in self.detector.escalation_rules() {
            if self.escalations.iter().any(|e| Arc::ptr_eq(&e.rule, rule)) {
                continue;
            }
            let mut chosen: Vec<(usize, Category)> = Vec::new();
            if assign(&rule.needs, rule.distinct, &self.seen, &mut chosen) {
                self.escalations.push(Escalation {
                    rule: rule.clone(),
                    messages: chosen.iter().map(|c| c.0).collect(),
                    categories: chosen.iter().map(|c| c.1).collect(),
                });
            }
        }
    }

    /// The conversation's risk: the highest of the supplier's message risks and of the escalations.
    ///
    /// # Example
    ///
    /// ```
    /// let mut convo = redflag::Detector::new().conversation();
    /// convo.push(redflag::Role::Unknown, "hello, price is $2.10/pc");
    /// assert_eq!(convo.risk(), redflag::Risk::None);
    /// ```
    pub fn risk(&self) -> Risk {
        self.escalations
            .iter()
            .map(Escalation::risk)
            .fold(self.message_risk, Risk::max)
    }

    /// The escalations met so far, in the order they were met.
    ///
    /// # Example
    ///
    /// ```
    /// let convo = redflag::Detector::new().conversation();
    /// assert!(convo.escalations().is_empty());
    /// ```
    pub fn escalations(&self) -> &[Escalation] {
        &self.escalations
    }

    /// What the supplier's messages showed, per category, in the order first seen.
    ///
    /// # Example
    ///
    /// ```
    /// let convo = redflag::Detector::new().conversation();
    /// assert!(convo.seen().is_empty());
    /// ```
    pub fn seen(&self) -> &[Seen] {
        &self.seen
    }

    /// How many messages were pushed.
    ///
    /// # Example
    ///
    /// ```
    /// let mut convo = redflag::Detector::new().conversation();
    /// convo.push(redflag::Role::Buyer, "hi");
    /// assert_eq!(convo.messages(), 1);
    /// ```
    pub fn messages(&self) -> usize {
        self.messages
    }
}

/// Finds one (message, category) per group, all messages distinct (and categories distinct when asked).
fn assign(needs: &[Vec<Category>], distinct: bool, seen: &[Seen], chosen: &mut Vec<(usize, Category)>) -> bool {
    let Some((group, rest)) = needs.split_first() else {
        return true;
    };
    for s in seen.iter().filter(|s| group.contains(&s.category)) {
        if distinct && chosen.iter().any(|c| c.1 == s.category) {
            continue;
        }
        for &m in &s.messages {
            if chosen.iter().any(|c| c.0 == m) {
                continue;
            }
            chosen.push((m, s.category));
            if assign(rest, distinct, seen, chosen) {
                return true;
            }
            chosen.pop();
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escalation_rules_load() {
        let rules = crate::rules::escalation_rules();
        assert!(rules.len() >= 3);
        assert!(rules
            .iter()
            .all(|r| r.id.starts_with("conversation.") && !r.needs.is_empty()));
        // Chinese reports read every built-in rule's description in Chinese.
        assert!(rules.iter().all(|r| r
            .description_zh
            .as_deref()
            .is_some_and(|d| d.chars().any(|c| c > '\u{2e80}'))));
    }

    #[test]
    fn assignment_needs_distinct_messages() {
        let seen = vec![
            Seen {
                category: Category::ContactMove,
                risk: Risk::Medium,
                messages: vec![0],
            },
            Seen {
                category: Category::Urgency,
                risk: Risk::Low,
                messages: vec![0],
            },
        ];
        let needs = vec![vec![Category::ContactMove], vec![Category::Urgency]];
        assert!(
            !assign(&needs, false, &seen, &mut Vec::new()),
            "one message cannot meet two groups"
        );
        let seen = vec![
            Seen {
                category: Category::ContactMove,
                risk: Risk::Medium,
                messages: vec![0, 3],
            },
            Seen {
                category: Category::Urgency,
                risk: Risk::Low,
                messages: vec![0],
            },
        ];
        let mut chosen = Vec::new();
        assert!(assign(&needs, false, &seen, &mut chosen));
        assert_eq!(chosen, [(3, Category::ContactMove), (0, Category::Urgency)]);
    }

    #[test]
    fn distinct_categories_when_asked() {
        let seen = vec![Seen {
            category: Category::TaxInvoicePretext,
            risk: Risk::Medium,
            messages: vec![1, 4],
        }];
        let g = vec![Category::TaxInvoicePretext, Category::AdvanceFee];
        assert!(!assign(&[g.clone(), g.clone()], true, &seen, &mut Vec::new()));
        assert!(assign(&[g.clone(), g], false, &seen, &mut Vec::new()));
    }
}
