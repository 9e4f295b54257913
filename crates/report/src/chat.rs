//! The report of a whole chat: built message by message as a chat is scanned, finished with the conversation.

use redflag::{Category, Conversation, Report, Risk, Role};
use redflag_chat::Message;
use serde::Serialize;

use crate::concern::{concerns, Concern};
use crate::lang::LangCounter;
use crate::platform::PlatformGuess;
use crate::steps::checklist;
use crate::verdict::{verdict, Verdict, VerdictInput};
use crate::{Lang, Platform};

/// One message of the chat as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedMessage {
    /// Position among the people's messages, from 0 (a system line has the index the next message gets).
    pub index: usize,
    /// 1-based line of the message's first line in the input.
    pub line: usize,
    /// The sender, when the format has one.
    pub sender: Option<String>,
    /// The time as written, when the format has one.
    pub time: Option<String>,
    /// The text.
    pub text: String,
    /// The sender's role.
    pub role: Role,
    /// A line the chat app wrote (encryption notice, media placeholder): shown, never scanned.
    pub system: bool,
    /// The message's risk (`none` for the buyer's own messages and system lines).
    pub risk: Risk,
    /// One per category, strongest first. Empty for the buyer's own messages: a buyer is not warned about what
    /// they wrote.
    pub concerns: Vec<Concern>,
}

/// A finding across messages, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConversationNote {
    /// The escalation rule's id.
    pub rule: String,
    /// What it means, in the report's language when the rule has a Chinese description.
    pub description: String,
    /// Its risk.
    pub risk: Risk,
    /// The messages (indices from 0) that met it.
    pub messages: Vec<usize>,
}

/// Counts of the people's messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Messages (system lines not counted).
    pub messages: usize,
    /// Messages with at least one concern.
    pub flagged: usize,
    /// Flagged messages at risk high.
    pub high: usize,
    /// Flagged messages at risk medium.
    pub medium: usize,
    /// Flagged messages at risk low.
    pub low: usize,
}

impl Counts {
    /// Counts one message: `flagged` when it has a concern, at its risk.
    ///
    /// # Example
    ///
    /// ```
    /// use redflag::Risk;
    /// let mut c = redflag_report::Counts::default();
    /// c.add(Risk::High, true);
    /// c.add(Risk::None, false);
    /// assert_eq!((c.messages, c.flagged, c.high), (2, 1, 1));
    /// ```
    pub fn add(&mut self, risk: Risk, flagged: bool) {
        self.messages += 1;
        if flagged {
            self.flagged += 1;
            match risk {
                Risk::High => self.high += 1,
                Risk::Medium => self.medium += 1,
                Risk::Low => self.low += 1,
                Risk::None => {}
            }
        }
    }
}

/// A report a buyer can act on: the verdict, the next steps on the chat's platform, and the messages with one
/// line per concern.
///
/// Build one with [`ChatReport::builder`]: push each message with its role and report as the chat is scanned,
/// then [`ChatReportBuilder::finish`] with the conversation.
///
/// # Example
///
/// ```
/// use redflag::{Detector, Role};
/// use redflag_chat::{parse, InputFormat};
/// use redflag_report::{Action, ChatReport, Platform};
///
/// let log = "小陈: 亲，我们1688店铺付款通道在维护\n小陈: 直接转到我们财务的个人卡上就行\n王: 好的";
/// let detector = Detector::new();
/// let mut convo = detector.conversation();
/// let mut builder = ChatReport::builder();
/// for m in parse(log, InputFormat::Auto) {
///     let role = if m.sender.as_deref() == Some("王") { Role::Buyer } else { Role::Seller };
///     builder.push(&m, role, &convo.push(role, &m.text));
/// }
/// let report = builder.finish(&convo);
/// assert_eq!(report.verdict.action, Action::Stop);
/// assert!(report.verdict.headline.starts_with("停止付款：小陈"));
/// assert_eq!(report.platform, Some(Platform::Alibaba1688));
/// assert!(report.steps.iter().any(|s| s.contains("延长收货")));
/// assert_eq!(report.counts.messages, 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChatReport {
    /// The language of the verdict, labels and steps.
    pub lang: Lang,
    /// The platform the steps are for: given, or guessed from the chat; `None` gives steps for any platform.
    pub platform: Option<Platform>,
    /// The conversation's risk.
    pub risk: Risk,
    /// Stop or go on, and why.
    pub verdict: Verdict,
    /// What to do next, in order.
    pub steps: Vec<String>,
    /// Findings across messages.
    pub conversation: Vec<ConversationNote>,
    /// Counts of messages.
    pub counts: Counts,
    /// The messages kept: every message and system line with [`ChatReportBuilder::keep_all`], else the flagged
    /// ones.
    pub messages: Vec<ReportedMessage>,
}

impl ChatReport {
    /// A builder with the platform and language guessed from the chat, keeping only flagged messages.
    pub fn builder() -> ChatReportBuilder {
        ChatReportBuilder::default()
    }

    /// The categories the supplier showed, in category order.
    ///
    /// # Example
    ///
    /// ```
    /// # use redflag::{Detector, Role};
    /// # let d = Detector::new();
    /// # let mut convo = d.conversation();
    /// let mut b = redflag_report::ChatReport::builder();
    /// let m = &redflag_chat::parse("hello", redflag_chat::InputFormat::Plain)[0];
    /// b.push(m, Role::Unknown, &convo.push(Role::Unknown, &m.text));
    /// assert!(b.finish(&convo).categories().is_empty());
    /// ```
    pub fn categories(&self) -> Vec<Category> {
        let mut out: Vec<Category> = self
            .messages
            .iter()
            .flat_map(|m| m.concerns.iter().map(|c| c.category))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// Collects a chat's messages and reports into a [`ChatReport`].
#[derive(Debug, Default, Clone)]
pub struct ChatReportBuilder {
    platform: Option<Platform>,
    lang: Option<Lang>,
    keep_all: bool,
    guess: PlatformGuess,
    buyer_lang: LangCounter,
    all_lang: LangCounter,
    counts: Counts,
    messages: Vec<ReportedMessage>,
}

impl ChatReportBuilder {
    /// The platform the steps are for, instead of guessing it from the chat (`None`: guess).
    pub fn platform(&mut self, platform: Option<Platform>) -> &mut Self {
        self.platform = platform;
        self
    }

    /// The report's language, instead of the buyer's (or, roles unknown, the chat's) language (`None`: guess).
    pub fn lang(&mut self, lang: Option<Lang>) -> &mut Self {
        self.lang = lang;
        self
    }

    /// Keep every message and system line, not only the flagged ones (an HTML report shows the whole chat).
    pub fn keep_all(&mut self, yes: bool) -> &mut Self {
        self.keep_all = yes;
        self
    }

    /// Adds a chat app's system line (not scanned, not counted); kept only with [`keep_all`](Self::keep_all).
    pub fn push_system(&mut self, m: &Message) {
        if self.keep_all {
            self.messages.push(ReportedMessage {
                index: m.index,
                line: m.line,
                sender: m.sender.clone(),
                time: m.time.clone(),
                text: m.text.clone(),
                role: Role::Unknown,
                system: true,
                risk: Risk::None,
                concerns: Vec::new(),
            });
        }
    }

    /// Adds a person's message with its sender's role and its report (from [`Conversation::push`] or a scan of
    /// `m.text`). A system line ([`Message::system`]) goes to [`push_system`](Self::push_system) instead.
    pub fn push(&mut self, m: &Message, role: Role, report: &Report) {
        if m.system {
            return self.push_system(m);
        }
        self.guess.add(&m.text);
        self.all_lang.add(&m.text);
        if role == Role::Buyer {
            self.buyer_lang.add(&m.text);
        }
        let (risk, concerns) = if role == Role::Buyer {
            (Risk::None, Vec::new())
        } else {
            (report.risk(), concerns(&m.text, report))
        };
        self.counts.add(risk, !concerns.is_empty());
        if self.keep_all || !concerns.is_empty() {
            self.messages.push(ReportedMessage {
                index: m.index,
                line: m.line,
                sender: m.sender.clone(),
                time: m.time.clone(),
                text: m.text.clone(),
                role,
                system: false,
                risk,
                concerns,
            });
        }
    }

    /// The report, with the verdict and steps from the conversation's state.
    pub fn finish(self, convo: &Conversation) -> ChatReport {
        let lang = self.lang.unwrap_or_else(|| {
            if self.buyer_lang.is_empty() {
                self.all_lang.lang()
            } else {
                self.buyer_lang.lang()
            }
        });
        let platform = self.platform.or_else(|| self.guess.platform());
        let conversation: Vec<ConversationNote> = convo
            .escalations()
            .iter()
            .map(|e| ConversationNote {
                rule: e.rule_id().to_string(),
                description: match lang {
                    Lang::Zh => e.description_zh().unwrap_or(e.description()).to_string(),
                    Lang::En => e.description().to_string(),
                },
                risk: e.risk(),
                messages: e.messages().to_vec(),
            })
            .collect();
        let risk = convo.risk();
        let verdict = verdict(VerdictInput {
            risk,
            seen: convo.seen(),
            escalations: &conversation,
            messages: &self.messages,
            lang,
        });
        let seen: Vec<Category> = convo.seen().iter().map(|s| s.category).collect();
        let steps = checklist(platform, &seen, verdict.action, lang);
        ChatReport {
            lang,
            platform,
            risk,
            verdict,
            steps,
            conversation,
            counts: self.counts,
            messages: self.messages,
        }
    }
}
