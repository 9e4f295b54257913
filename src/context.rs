//! Context: what around a candidate finding makes it not a finding. One mechanism for every rule; its cues are
//! the concepts of `data/lexicons/context.toml`, found by the same keyword automaton as every other concept.
//!
//! - `negation`: a cue before the finding in the same clause ("never pay to a personal account", 请勿私下交易).
//!   A cue inside a composed rule's finding, just before one of its terms, is judged by composition
//!   (`Composition::negated_inside`): "we do not use the Samsung logo".
//! - `refusal`: a cue anywhere in the finding's sentence ("branded goods we don't do").
//! - `warning` (unless a `reassurance` phrase covers it or a negation ends right before it: "don't report it to
//!   Alibaba" is no warning), `scam_question`, `explanation`: a cue anywhere in the finding's sentence ("... may be
//!   scammers", "is this normal?", "1:1 here means the scale").
//! - `buyer_report` and `notice`: a buyer telling what a seller said, or a platform notice, frames what follows
//!   it: its own sentence always (also a finding whose span reaches back over the cue within its clause), and
//!   the rest of the message when the message doubts (a warning or a question about a scam anywhere in it).
//! - `bulk_message`: an opt-out line or a carrier's name marks a mass text, which frames the whole message.
//! - `contrast` ("but", 但是) between a negation or refusal and the finding ends the cue's reach: "we never ask for
//!   payment outside Alibaba, but this time pay my Alipay" is a request. Warnings, questions and reports keep theirs.
//! - `signature`: a sign-off that starts a sentence ("Best regards,", 此致敬礼) opens the signature block: what
//!   follows it lists the sender's details ("Tel/WhatsApp: +86 …") rather than asks for anything, so findings
//!   after it are framed. A request before the sign-off stands.
//! - Allowlist phrases of the rule that overlap the finding (`微信支付` over `微信`), for the older rule form.
//! - Chinese word boundaries: for `segment` rules, a Han keyword must be a word of its own in the segmentation of
//!   its neighbourhood (`原单` in `原单号` is not).

use std::ops::Range;
use std::sync::OnceLock;

use jieba_rs::Jieba;
use serde::Deserialize;

const CONTEXT: &str = include_str!("../data/context.toml");

/// How far before a finding a negation cue may be, in folded bytes.
const NEGATION_REACH: usize = 80;
/// How far from a finding a sentence-wide cue may be (in the same sentence), in folded bytes.
const WARNING_REACH: usize = 200;

/// The kinds of context cue, each the concept of the same name in `data/lexicons/context.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CueKind {
    Negation,
    NegationAfter,
    Warning,
    Reassurance,
    ScamQuestion,
    BuyerReport,
    Notice,
    Bulk,
    Refusal,
    Explanation,
    Signature,
    /// "… is down", "… 在维护": what it follows is said not to work now (see `Composition::find`'s vetoes).
    Broken,
    /// "but", 但是: ends the reach of a negation, refusal, warning or explanation before it.
    Contrast,
}

/// The lexicon that supplies each kind of cue.
pub(crate) const CUE_LEXICONS: &[(&str, CueKind)] = &[
    ("negation", CueKind::Negation),
    ("negation_after", CueKind::NegationAfter),
    ("warning", CueKind::Warning),
    ("reassurance", CueKind::Reassurance),
    ("scam_question", CueKind::ScamQuestion),
    ("buyer_report", CueKind::BuyerReport),
    ("notice", CueKind::Notice),
    ("bulk_message", CueKind::Bulk),
    ("refusal", CueKind::Refusal),
    ("explanation", CueKind::Explanation),
    ("signature", CueKind::Signature),
    ("broken", CueKind::Broken),
    ("contrast", CueKind::Contrast),
];

/// The context cue kind of every concept (by concept id), and the concepts of the kinds that composition itself
/// reads, found once when the detector is built rather than per candidate finding.
#[derive(Debug, Default)]
pub(crate) struct Cues {
    /// The cue kind of each concept, `None` for the concepts that are no cue.
    pub(crate) kinds: Vec<Option<CueKind>>,
    /// The `negation` concepts.
    pub(crate) negation: Vec<u32>,
    /// The `broken` concepts.
    pub(crate) broken: Vec<u32>,
}

impl Cues {
    /// The cues of concepts whose kinds are `kinds`.
    pub(crate) fn new(kinds: Vec<Option<CueKind>>) -> Cues {
        let of = |kind: CueKind| -> Vec<u32> {
            kinds
                .iter()
                .enumerate()
                .filter(|(_, k)| **k == Some(kind))
                .map(|(c, _)| c as u32)
                .collect()
        };
        Cues {
            negation: of(CueKind::Negation),
            broken: of(CueKind::Broken),
            kinds,
        }
    }
}

/// What framed a finding away, with the cue's range in the folded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Framing {
    Negation(Range<usize>),
    Warning(Range<usize>),
    /// After the sign-off that opens a signature block.
    Signature(Range<usize>),
}

/// A cue found in the folded text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cue {
    pub(crate) kind: CueKind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextFile {
    segment_words: Vec<String>,
}

/// The cues of a message that frame beyond their neighbourhood, found once per message.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MessageFrame {
    /// A warning (not reassured) or a question about a scam anywhere in the message.
    doubt: bool,
    /// The first opt-out line or carrier name: a mass text.
    bulk: Option<Cue>,
    /// The first buyer report or notice.
    report: Option<Cue>,
    /// The first sign-off that starts a sentence: the signature block begins there.
    signature: Option<Cue>,
}

/// The lazily built segmenter, and the framing logic.
#[derive(Debug)]
pub(crate) struct Context {
    segment_words: Vec<String>,
    lexicon: Vec<String>,
    jieba: OnceLock<Jieba>,
}

/// Whether the character `c` at byte `i` of `text` breaks a clause: `None` when it does not, `Some(true)` when it
/// also ends a sentence. A `.` between two letters or digits (`wa.me`, `3.5`) breaks nothing.
pub(crate) fn break_at(text: &str, i: usize, c: char) -> Option<bool> {
    match c {
        '.' => {
            let b = text.as_bytes();
            let glued =
                i > 0 && b[i - 1].is_ascii_alphanumeric() && b.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric());
            // `Mr. Chen`, `Co. Ltd`, `No. 3`: a title or abbreviation before the dot ends nothing.
            let word_start = b[..i]
                .iter()
                .rposition(|c| !c.is_ascii_alphabetic())
                .map_or(0, |p| p + 1);
            let word = &text[word_start..i];
            let abbreviation = ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word));
            (!glued && !abbreviation).then_some(true)
        }
        '!' | '?' | '\n' | '。' | '！' | '？' => Some(true),
        ',' | ';' | '，' | '；' => Some(false),
        _ => None,
    }
}

/// Words that a dot follows without ending the sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "mx", "sr", "jr", "st", "co", "ltd", "inc", "corp", "no", "nos", "vs", "etc", "approx",
    "dept", "tel", "fax", "attn", "ref", "acc", "acct", "pls", "plz",
];

/// Whether `text[a..b]` holds a clause break (a sentence break is one too).
pub(crate) fn clause_break_between(text: &str, a: usize, b: usize) -> bool {
    breaks_between(text, a, b, false)
}

/// Whether `text[a..b]` holds a clause break (`sentence == false`) or a sentence break.
fn breaks_between(text: &str, a: usize, b: usize, sentence: bool) -> bool {
    text[a..b]
        .char_indices()
        .any(|(i, c)| break_at(text, a + i, c).is_some_and(|s| s || !sentence))
}

impl Context {
    /// Builds the context stage. `lexicon` holds the Han keywords of `segment` rules: the segmenter learns them,
    /// and the longer words of `segment_words` (`data/context.toml`) outrank them.
    pub(crate) fn new(lexicon: Vec<String>) -> Context {
        // Embedded data, covered by tests; a failure here is a build defect, not a user error.
        let file: ContextFile = match toml::from_str(CONTEXT) {
            Ok(f) => f,
            Err(e) => panic!("data/context.toml is invalid: {e}"),
        };
        Context {
            segment_words: file.segment_words,
            lexicon,
            jieba: OnceLock::new(),
        }
    }

    /// What of a message's cues (in `text`, folded) matters beyond their neighbourhood, found once per message (so
    /// that framing many findings in a long text stays linear). `cues` are in text order.
    pub(crate) fn frame(text: &str, cues: &[Cue]) -> MessageFrame {
        let reassured = |i: usize| {
            let c = &cues[i];
            // Reassurance phrases contain their warning word, so they start at most a few bytes before it.
            cues[..=i]
                .iter()
                .rev()
                .take_while(|r| r.start + 32 >= c.start)
                .chain(cues[i + 1..].iter().take_while(|r| r.start <= c.start))
                .any(|r| r.kind == CueKind::Reassurance && r.start <= c.start && c.end <= r.end)
        };
        let mut f = MessageFrame::default();
        for (i, c) in cues.iter().enumerate() {
            match c.kind {
                CueKind::Warning if !reassured(i) && !negated(text, cues, c) => f.doubt = true,
                CueKind::ScamQuestion => f.doubt = true,
                CueKind::Bulk if f.bulk.is_none() => f.bulk = Some(*c),
                CueKind::BuyerReport | CueKind::Notice if f.report.is_none() => f.report = Some(*c),
                CueKind::Signature if f.signature.is_none() && starts_sentence(text, c.start) => f.signature = Some(*c),
                _ => {}
            }
        }
        f
    }

    /// Whether context suppresses a finding at `span` (folded bytes). `cues` are in text order; `frame` is
    /// [`Context::frame`] of them.
    pub(crate) fn framed(
        &self,
        text: &str,
        cues: &[Cue],
        frame: &MessageFrame,
        span: &Range<usize>,
    ) -> Option<Framing> {
        // Message-wide frames first: a mass text, and a doubting buyer's report or a notice before the span.
        if let Some(c) = frame.bulk {
            return Some(Framing::Warning(c.start..c.end));
        }
        if let Some(c) = frame.report {
            if frame.doubt && c.start <= span.start {
                return Some(Framing::Warning(c.start..c.end));
            }
        }
        if let Some(c) = frame.signature {
            if c.end <= span.start {
                return Some(Framing::Signature(c.start..c.end));
            }
        }
        // Every other cue acts within reach of the span: look only there.
        let lo = span.start.saturating_sub(WARNING_REACH.max(NEGATION_REACH) + 64);
        let hi = span.end + WARNING_REACH;
        let first = cues.partition_point(|c| c.start < lo);
        let near = &cues[first..];
        let near = &near[..near.partition_point(|c| c.start <= hi)];
        let reassured = |c: &Cue| {
            near.iter()
                .any(|r| r.kind == CueKind::Reassurance && r.start <= c.start && c.end <= r.end)
        };
        // The gap between the cue and the span, when the cue is outside the span.
        let gap = |c: &Cue| -> Option<(usize, usize)> {
            if c.end <= span.start {
                Some((c.end, span.start))
            } else if span.end <= c.start {
                Some((span.end, c.start))
            } else {
                None
            }
        };
        // "We never ask for payment outside Alibaba, but this time pay my Alipay": a contrast between a cue and the
        // span ends the cue's reach.
        let contrast_after = |c: &Cue| {
            c.end <= span.start
                && near
                    .iter()
                    .any(|x| x.kind == CueKind::Contrast && c.end <= x.start && x.end <= span.start)
        };
        let same_sentence = |c: &Cue| match gap(c) {
            Some((a, b)) => b - a <= WARNING_REACH && !breaks_between(text, a, b, true),
            // A sentence-wide cue inside the span still frames it (a warning quoting the words).
            None => true,
        };
        let asks_about_previous = |c: &Cue| {
            span.end <= c.start
                && c.start - span.end <= WARNING_REACH
                && text[span.end..c.start]
                    .char_indices()
                    .filter(|&(i, ch)| break_at(text, span.end + i, ch) == Some(true))
                    .count()
                    <= 1
        };
        near.iter().find_map(|c| {
            let cue = c.start..c.end;
            match c.kind {
                // Before the span, or overlapping its first word (`不要加` over `加微信`).
                CueKind::Negation => ((c.start < span.start && span.start < c.end && c.end <= span.end)
                    || (c.end <= span.start
                        && span.start - c.end <= NEGATION_REACH
                        && !breaks_between(text, c.end, span.start, false)
                        && !contrast_after(c)))
                .then_some(Framing::Negation(cue)),
                // "... to a personal account is not allowed", 私户不收: the cue follows what it negates.
                CueKind::NegationAfter => (span.end <= c.start
                    && c.start - span.end <= NEGATION_REACH
                    && !breaks_between(text, span.end, c.start, false))
                .then_some(Framing::Negation(cue)),
                // A refusal frames its sentence, even where a rule's span reaches over it ("我们不做任何品牌的仿品").
                // The writer's own refusal ends at a contrast; a warning or report does not ("scammers use our name
                // but ask you to pay a private account" is still the warning).
                CueKind::Refusal => (same_sentence(c) && !contrast_after(c)).then_some(Framing::Negation(cue)),
                CueKind::Warning => {
                    (!reassured(c) && !negated(text, cues, c) && same_sentence(c)).then_some(Framing::Warning(cue))
                }
                CueKind::Explanation => same_sentence(c).then_some(Framing::Warning(cue)),
                // A question about a scam also covers the sentence just before it ("They want a fee first. Is
                // this normal?").
                CueKind::ScamQuestion => (same_sentence(c) || asks_about_previous(c)).then_some(Framing::Warning(cue)),
                // Without doubt in the message, a report or notice covers its own sentence after it, and a span
                // that reaches back over it ("our team got an email saying your bank account changed": the
                // reported words follow the cue even where a rule's span starts before it).
                CueKind::BuyerReport | CueKind::Notice => ((c.start <= span.start
                    || (span.start < c.start
                        && c.end <= span.end
                        && !breaks_between(text, span.start, c.start, false)))
                    && same_sentence(c))
                .then_some(Framing::Warning(cue)),
                CueKind::Bulk | CueKind::Reassurance | CueKind::Signature | CueKind::Broken | CueKind::Contrast => None,
            }
        })
    }

    /// Whether the Han hit at `hit` (folded bytes) is a word of its own when its neighbourhood is segmented.
    pub(crate) fn is_han_word(&self, text: &str, hit: Range<usize>) -> bool {
        if !text[hit.clone()].chars().all(crate::normalize::is_han) {
            return true;
        }
        let start = back_chars(text, hit.start, 6);
        let end = forward_chars(text, hit.end, 6);
        let jieba = self.jieba.get_or_init(|| {
            // Built once per detector, on the first hit that needs it (about 0.2 s with the stock dictionary).
            let mut j = Jieba::new();
            for w in &self.lexicon {
                j.add_word(w, Some(20_000), None);
            }
            for w in &self.segment_words {
                j.add_word(w, Some(100_000), None);
            }
            j
        });
        let tokens = jieba.cut(&text[start..end], true);
        let starts = |b: usize| b == end || tokens.iter().any(|t| start + t.byte_start == b);
        starts(hit.start) && starts(hit.end)
    }
}

/// Whether a negation cue ends right before the cue `c`, or before a cue that contains it (at most a space
/// between): "don't report it to Alibaba", 不要向平台举报 ask the buyer not to do what a warning would tell them to
/// do, and warn about nothing. `cues` are the message's cues in text order.
fn negated(text: &str, cues: &[Cue], c: &Cue) -> bool {
    let before = &cues[..cues.partition_point(|x| x.start <= c.start)];
    let near = || before.iter().rev().take_while(|x| x.start + 64 >= c.start);
    near().filter(|w| w.start <= c.start && c.end <= w.end).any(|w| {
        near().any(|n| {
            n.kind == CueKind::Negation
                && n.end <= w.start
                && w.start - n.end <= 2
                && text[n.end..w.start].trim().is_empty()
        })
    })
}

/// Whether only spaces lie between byte `at` of `text` and the sentence break before it (or the start): a sign-off
/// that starts a sentence ("… price list. Best regards, Amy"), not "regards" inside one.
fn starts_sentence(text: &str, at: usize) -> bool {
    text[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_whitespace())
        .map_or(true, |(i, c)| break_at(text, i, c) == Some(true))
}

fn is_sentence_break(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\n' | '。' | '！' | '？')
}

/// A "word" for word-counted windows: a run of ASCII letters and digits, or one other non-space character (a Han
/// character is a word of its own for counting). Whether the character starting at byte `i` (a char boundary)
/// starts one.
fn word_starts_at(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    match b.get(i) {
        None => false,
        Some(&c) if c.is_ascii_alphanumeric() => i == 0 || !b[i - 1].is_ascii_alphanumeric(),
        Some(&c) if c < 0x80 => !is_ascii_space(c),
        Some(_) => !text[i..].chars().next().is_some_and(char::is_whitespace),
    }
}

/// `char::is_whitespace` on an ASCII byte: also the vertical tab, which `u8::is_ascii_whitespace` leaves out.
fn is_ascii_space(c: u8) -> bool {
    c.is_ascii_whitespace() || c == 0x0b
}

/// Whether byte `b` starts a UTF-8 character.
fn is_char_start(b: u8) -> bool {
    (b as i8) >= -0x40
}

/// The word starts of one text (see [`word_starts_at`]), found once, so that word-counted windows around many
/// hits cost a binary search each instead of a walk over the words.
#[derive(Debug, Default)]
pub(crate) struct WordStarts {
    starts: Vec<u32>,
    len: usize,
}

impl WordStarts {
    /// Finds the word starts of `text`.
    pub(crate) fn fill(&mut self, text: &str) {
        self.starts.clear();
        self.len = text.len();
        if text.is_ascii() {
            // Same definition, one byte at a time: an ASCII letter or digit after a non-one, or any other
            // non-space byte.
            let mut prev_alnum = false;
            for (i, &c) in text.as_bytes().iter().enumerate() {
                let alnum = c.is_ascii_alphanumeric();
                if (alnum && !prev_alnum) || !(alnum || is_ascii_space(c)) {
                    self.starts.push(i as u32);
                }
                prev_alnum = alnum;
            }
            return;
        }
        for (i, &c) in text.as_bytes().iter().enumerate() {
            if is_char_start(c) && word_starts_at(text, i) {
                self.starts.push(i as u32);
            }
        }
    }

    /// Releases memory kept from an unusually long text.
    pub(crate) fn trim(&mut self) {
        if self.starts.capacity() > 1 << 16 {
            self.starts = Vec::new();
        }
    }

    /// The start of the `n`th word before `at` (0 if there are fewer, or if `n` is 0).
    pub(crate) fn back(&self, at: usize, n: usize) -> usize {
        let before = self.starts.partition_point(|&w| (w as usize) < at);
        if n > 0 && before >= n {
            self.starts[before - n] as usize
        } else {
            0
        }
    }

    /// The offset just after the `n`th word after `at` (the start of the next one, or the end).
    pub(crate) fn forward(&self, at: usize, n: usize) -> usize {
        let from = self.starts.partition_point(|&w| (w as usize) < at);
        self.starts.get(from + n).map_or(self.len, |&w| w as usize)
    }
}

/// The part of `lo..hi` that is in the same sentence as `hit`.
pub(crate) fn sentence_within(text: &str, hit: Range<usize>, lo: usize, hi: usize) -> (usize, usize) {
    let start = text[lo..hit.start].rfind(is_sentence_break).map_or(lo, |p| {
        let c = text[lo + p..].chars().next().map_or(1, char::len_utf8);
        lo + p + c
    });
    let end = text[hit.end..hi].find(is_sentence_break).map_or(hi, |p| hit.end + p);
    (start, end.max(hit.end))
}

/// The byte offset `n` characters before `at` (or 0).
pub(crate) fn back_chars(text: &str, at: usize, n: usize) -> usize {
    // A character is at least a byte: `at` bytes hold at most `at` characters. Most messages are shorter than
    // a rule's window, so this skips the walk.
    if at <= n {
        return 0;
    }
    let b = text.as_bytes();
    let (mut count, mut i) = (0, at);
    while count < n && i > 0 {
        i -= 1;
        count += usize::from(is_char_start(b[i]));
    }
    i
}

/// The byte offset `n` characters after `at` (or the end).
pub(crate) fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    if text.len() - at <= n {
        return text.len();
    }
    let b = text.as_bytes();
    let mut count = 0;
    for (i, &c) in b[at..].iter().enumerate() {
        if is_char_start(c) {
            if count == n {
                return at + i;
            }
            count += 1;
        }
    }
    text.len()
}

/// The first allowlist phrase (folded) that overlaps `span` within `text`, if any.
pub(crate) fn allowed<'a>(text: &str, allow: &'a [String], span: &Range<usize>) -> Option<&'a str> {
    if allow.is_empty() {
        return None;
    }
    // Look only where an overlapping phrase can be.
    let longest = allow.iter().map(String::len).max().unwrap_or(0);
    let lo = floor_boundary(text, span.start.saturating_sub(longest));
    let hi = ceil_boundary(text, (span.end + longest).min(text.len()));
    let hay = &text[lo..hi];
    allow
        .iter()
        .find(|p| {
            hay.match_indices(p.as_str())
                .any(|(i, m)| lo + i < span.end && lo + i + m.len() > span.start)
        })
        .map(String::as_str)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `needle` in `text` is framed, with the cues of `cues` (kind, first occurrence in `text`).
    fn framed(text: &str, needle: &str, cues: &[(CueKind, &str)]) -> bool {
        let c = Context::new(vec!["原单".to_string()]);
        let at = text.find(needle).expect("needle in text");
        let mut list: Vec<Cue> = cues
            .iter()
            .map(|&(kind, w)| {
                let start = text.find(w).expect("cue in text");
                Cue {
                    kind,
                    start,
                    end: start + w.len(),
                }
            })
            .collect();
        list.sort_by_key(|c| c.start);
        let frame = Context::frame(text, &list);
        c.framed(text, &list, &frame, &(at..at + needle.len())).is_some()
    }

    #[test]
    fn a_contrast_ends_a_refusal_or_negation_but_not_a_warning() {
        let table: &[Case] = &[
            (
                "we never ask for payment outside alibaba, but this time pay to my alipay",
                "pay to my alipay",
                &[(Refusal, "we never ask"), (Contrast, "but")],
                false,
            ),
            (
                "we always issue invoices but if you pay my personal account no vat",
                "pay my personal account",
                &[(Refusal, "we always issue invoices"), (Contrast, "but")],
                false,
            ),
            (
                "never pay a personal account but pay mine",
                "pay mine",
                &[(Negation, "never"), (Contrast, "but")],
                false,
            ),
            // Without the contrast the refusal frames its sentence.
            (
                "we always issue invoices and if you pay my personal account no vat",
                "pay my personal account",
                &[(Refusal, "we always issue invoices")],
                true,
            ),
            // A warning keeps its reach: it describes the scam it warns about.
            (
                "scammers use our name but ask you to pay a private account",
                "pay a private account",
                &[(Warning, "scammers"), (Contrast, "but")],
                true,
            ),
        ];
        for &(text, needle, cues, want) in table {
            assert_eq!(framed(text, needle, cues), want, "{text:?}");
        }
    }

    #[test]
    fn a_negation_right_before_a_warning_cancels_it() {
        let table: &[Case] = &[
            // Asking not to report is the pretext, not a warning about one.
            (
                "pls dont report to alibaba, i refund u on paypal",
                "dont report to alibaba",
                &[(Negation, "dont"), (Warning, "report to alibaba")],
                false,
            ),
            // A negated warning that contains a shorter warning word cancels it too.
            (
                "不要向平台举报，我马上退款",
                "不要向平台",
                &[(Negation, "不要"), (Warning, "向平台举报"), (Warning, "举报")],
                false,
            ),
            // Not right before it: the warning stands.
            (
                "if they ask you to pay outside, do report it to alibaba",
                "pay outside",
                &[(Warning, "report it to alibaba")],
                true,
            ),
            // A negation after the warning word does not cancel it.
            (
                "pay the fee first, scammers never stop asking that",
                "pay the fee",
                &[(Negation, "never"), (Warning, "scammers")],
                true,
            ),
        ];
        for &(text, needle, cues, want) in table {
            assert_eq!(framed(text, needle, cues), want, "{text:?}");
        }
    }

    #[test]
    fn a_sign_off_that_starts_a_sentence_opens_the_signature_block() {
        let table: &[Case] = &[
            // Contact details listed under the sign-off.
            (
                "attached is the price list. best regards, amy chen sales manager tel/whatsapp: +86 138 0013 8000",
                "whatsapp: +86 138 0013 8000",
                &[(Signature, "best regards")],
                true,
            ),
            (
                "报价单已发送，请查收。此致敬礼！王经理 手机/微信：13800138000",
                "微信：13800138000",
                &[(Signature, "此致敬礼")],
                true,
            ),
            (
                "best regards,\ntony\nwechat: tony88",
                "wechat: tony88",
                &[(Signature, "best regards")],
                true,
            ),
            // A request before the sign-off stands.
            (
                "pay the balance to our new account in hong kong. best regards, tony",
                "pay the balance",
                &[(Signature, "best regards")],
                false,
            ),
            // Not a sign-off: the phrase does not start its sentence.
            (
                "with kind regards to the payment add my whatsapp 138",
                "add my whatsapp",
                &[(Signature, "kind regards")],
                false,
            ),
        ];
        for &(text, needle, cues, want) in table {
            assert_eq!(framed(text, needle, cues), want, "{text:?}");
        }
    }

    use CueKind::*;

    /// (text, framed needle, cues, whether the needle is framed)
    type Case<'a> = (&'a str, &'a str, &'a [(CueKind, &'a str)], bool);

    #[test]
    fn negation_is_scoped_to_the_clause() {
        let table: &[Case] = &[
            (
                "you should never send money to a personal account",
                "personal account",
                &[(Negation, "never")],
                true,
            ),
            (
                "请勿私下转账，所有款项请走平台",
                "私下转账",
                &[(Negation, "请勿")],
                true,
            ),
            (
                "pay to my personal account, never mind the fee",
                "personal account",
                &[(Negation, "never")],
                false,
            ),
            (
                "we do not keep stock. send to my personal account",
                "personal account",
                &[(Negation, "do not")],
                false,
            ),
            ("请先取消争议，不要担心", "取消争议", &[], false),
            (
                "Payment to the boss's personal account is not allowed",
                "personal account",
                &[(NegationAfter, "is not allowed")],
                true,
            ),
            ("私户不收，对公付款开票", "私户", &[(NegationAfter, "不收")], true),
            // A negation whose last word is the finding's first (不要加 over 加微信) still comes before it.
            ("请不要加微信私聊", "加微信", &[(Negation, "不要加")], true),
            ("不加微信也行，加我微信聊", "加我微信", &[(Negation, "不加")], false),
            (
                "pay my personal account, not allowed on the app",
                "personal account",
                &[(NegationAfter, "not allowed")],
                false,
            ),
            // A cue inside the finding is part of what the rule matched.
            (
                "don't open a dispute",
                "don't open a dispute",
                &[(Negation, "don't")],
                false,
            ),
        ];
        for &(text, needle, cues, want) in table {
            assert_eq!(framed(text, needle, cues), want, "{text:?}");
        }
    }

    #[test]
    fn sentence_wide_cues_and_frames() {
        let table: &[Case] = &[
            (
                "a seller who wants you to pay outside the app is probably a scammer",
                "pay outside",
                &[(Warning, "scammer")],
                true,
            ),
            (
                "this is not a scam, pay to my personal account",
                "personal account",
                &[(Warning, "scam"), (Reassurance, "not a scam")],
                false,
            ),
            (
                "scams are everywhere. pay to my personal account",
                "personal account",
                &[(Warning, "scams")],
                false,
            ),
            (
                "供应商说平台在维护，让我先微信转给他，这正常吗？",
                "微信转给他",
                &[(BuyerReport, "供应商说"), (ScamQuestion, "正常吗")],
                true,
            ),
            // A report frames the sentences after it when the message doubts.
            (
                "The supplier said checkout is down. He wants Wise to his wife. Scam?",
                "Wise to his wife",
                &[(BuyerReport, "supplier said"), (ScamQuestion, "Scam?")],
                true,
            ),
            // Without doubt, only its own sentence.
            (
                "The supplier said hi. Pay to my wife's account.",
                "Pay to my wife",
                &[(BuyerReport, "supplier said")],
                false,
            ),
            // A span that reaches back over the report cue is still reported speech.
            (
                "our accounts team got an email saying your bank account changed",
                "accounts team got an email saying your bank account changed",
                &[(BuyerReport, "got an email saying")],
                true,
            ),
            // Nor over a clause break: the words before it are the writer's own ("我付不了款，客服说…").
            (
                "我付不了款，客服说你们店铺没交保证金",
                "付不了款，客服说你们店铺没交保证金",
                &[(BuyerReport, "客服说")],
                false,
            ),
            // A report cue after the span in its sentence does not reach back.
            (
                "pay to my personal account, the supplier said",
                "pay to my personal account",
                &[(BuyerReport, "the supplier said")],
                false,
            ),
            (
                "sorry, branded goods we don't do",
                "branded goods",
                &[(Refusal, "we don't do")],
                true,
            ),
            (
                "1:1 here means the scale of the model",
                "1:1",
                &[(Explanation, "here means")],
                true,
            ),
            (
                "又要付保证金？这个真的靠谱吗？",
                "付保证金",
                &[(ScamQuestion, "靠谱吗")],
                true,
            ),
            (
                "Pay the fee to my wife. We ship today. Is this normal?",
                "Pay the fee",
                &[(ScamQuestion, "Is this normal")],
                false,
            ),
            // A warning in one paragraph does not cancel a request in another.
            (
                "Beware of scams.\nPay the deposit to my personal account",
                "personal account",
                &[(Warning, "scams")],
                false,
            ),
        ];
        for &(text, needle, cues, want) in table {
            assert_eq!(framed(text, needle, cues), want, "{text:?}");
        }
    }

    #[test]
    fn breaks() {
        let mr = "Deposit to our GM Mr. Chen Wei";
        assert_eq!(break_at(mr, mr.find('.').unwrap(), '.'), None);
        assert_eq!(break_at("wa.me", 2, '.'), None);
        assert_eq!(break_at("3.5", 1, '.'), None);
        assert_eq!(break_at("ok. go", 2, '.'), Some(true));
        assert_eq!(break_at("a,b", 1, ','), Some(false));
        assert_eq!(break_at("好。", 3, '。'), Some(true));
    }

    #[test]
    fn word_windows_and_sentences() {
        let words = |t: &str| {
            let mut w = WordStarts::default();
            w.fill(t);
            w
        };
        let t = "one two three four five";
        let at = t.find("three").unwrap();
        assert_eq!(&t[words(t).back(at, 1)..at], "two ");
        assert_eq!(&t[at + 5..words(t).forward(at + 5, 1)], " four ");
        let zh = "我们的账户在年检";
        let at = zh.find("账户").unwrap();
        assert_eq!(&zh[words(zh).back(at, 2)..at], "们的");
        let s = "no. pay to my personal account now! ok";
        let hit = s.find("personal").unwrap();
        let (a, b) = sentence_within(s, hit..hit + 8, 0, s.len());
        assert_eq!(&s[a..b], " pay to my personal account now");
    }

    // The window bounds walk bytes; these are the char-by-char definitions they must equal.
    fn word_start_reference(text: &str, i: usize) -> bool {
        match text[i..].chars().next() {
            None => false,
            Some(c) if c.is_whitespace() => false,
            Some(c) if c.is_ascii_alphanumeric() => i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric(),
            Some(_) => true,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        #[test]
        fn window_bounds_match_their_char_definitions(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "pay", "a", "7", " ", "\u{b}", "\t", "\n", "\u{3000}", "\u{a0}", "账", "户", "，", "é", "𠀀", ".", "@",
            ]), 0..30),
            n in 0usize..8,
            pick in 0usize..64,
        ) {
            let text = parts.concat();
            let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let at = bounds[pick % bounds.len()];
            let back = text[..at].char_indices().rev().take(n).last().map_or(at, |(i, _)| i);
            proptest::prop_assert_eq!(back_chars(&text, at, n), back);
            let fwd = text[at..].char_indices().nth(n).map_or(text.len(), |(i, _)| at + i);
            proptest::prop_assert_eq!(forward_chars(&text, at, n), fwd);
            let starts: Vec<usize> = bounds.iter().copied().filter(|&i| word_start_reference(&text, i)).collect();
            let back_w = if n == 0 { 0 } else { starts.iter().rev().filter(|&&i| i < at).nth(n - 1).copied().unwrap_or(0) };
            let fwd_w = starts.iter().filter(|&&i| i >= at).nth(n).copied().unwrap_or(text.len());
            let mut table = WordStarts::default();
            table.fill(&text);
            proptest::prop_assert_eq!(table.back(at, n), back_w);
            proptest::prop_assert_eq!(table.forward(at, n), fwd_w);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// The ASCII shortcut of `WordStarts::fill` against the definition, on every byte of ASCII text.
        #[test]
        fn ascii_word_starts_match_the_definition(text in "[a-cA-C0-9 \\t\\n\\x0b\\x0c\\r.,@_'/-]{0,40}") {
            let mut table = WordStarts::default();
            table.fill(&text);
            let want: Vec<u32> = (0..text.len()).filter(|&i| word_start_reference(&text, i)).map(|i| i as u32).collect();
            proptest::prop_assert_eq!(&table.starts, &want);
        }
    }

    #[test]
    fn allowlist_phrase_must_overlap() {
        let allow = vec!["微信支付".to_string()];
        let t = "微信支付很方便";
        assert_eq!(allowed(t, &allow, &(0..6)), Some("微信支付"));
        let t = "加我微信，微信支付也行";
        assert_eq!(allowed(t, &allow, &(3..9)), None);
    }

    #[test]
    fn han_words_are_segmented() {
        let c = Context::new(vec!["原单".to_string()]);
        let t = "原单号是123";
        assert!(!c.is_han_word(t, 0..6), "原单 inside 原单号");
        for t in ["这批是原单货，品质很好", "原单，品质很好", "这个是原单的"] {
            let at = t.find("原单").unwrap();
            assert!(c.is_han_word(t, at..at + 6), "{t}");
        }
    }
}
