//! Composition: which concepts occur in which clause or sentence, and the rules that are boolean formulas over them.
//!
//! The keyword automaton reports every lexicon term it finds as a [`ConceptHit`]. A composed rule holds in a scope
//! (a clause, a sentence, N words around its first concept, the message) when all of its `all` concepts, one of its
//! `any` concepts and none of its `none` concepts occur there (and its pattern, if any, matches there). Nothing
//! here allocates per scan beyond the caller's scratch vectors, and nothing can fail.

use std::ops::Range;

use crate::context::{self, WordStarts};
use crate::hits::{ByStart, ConceptHit, ConceptHits};
use crate::pattern::{HitPattern, PatternScratch};
use crate::rules::Within;

/// Clause and sentence breaks of one folded text, found once per message that needs them.
#[derive(Debug, Default)]
pub(crate) struct Scopes {
    /// `(start, end)` of every clause break character (sentence ends included), in text order.
    clauses: Vec<(u32, u32)>,
    /// `(start, end)` of every sentence break character, in text order.
    sentences: Vec<(u32, u32)>,
}

impl Scopes {
    /// Finds the breaks of `text`.
    pub(crate) fn fill(&mut self, text: &str) {
        self.clauses.clear();
        self.sentences.clear();
        for (i, c) in text.char_indices() {
            if let Some(sentence) = context::break_at(text, i, c) {
                let b = (i as u32, (i + c.len_utf8()) as u32);
                self.clauses.push(b);
                if sentence {
                    self.sentences.push(b);
                }
            }
        }
    }

    /// The clause (`sentence == false`) or sentence around byte `at` of a text `len` bytes long.
    fn unit(&self, at: usize, sentence: bool, len: usize) -> (usize, usize) {
        let at = at as u32;
        let breaks = if sentence { &self.sentences } else { &self.clauses };
        let k = breaks.partition_point(|b| b.0 < at);
        let lo = k.checked_sub(1).map_or(0, |p| breaks[p].1 as usize);
        let hi = breaks.get(k).map_or(len, |b| b.0 as usize);
        (lo, hi)
    }

    /// The sentence around byte `at`.
    #[cfg(test)]
    fn sentence(&self, at: usize, len: usize) -> (usize, usize) {
        self.unit(at, true, len)
    }
}

/// A rule composed from concepts, compiled.
#[derive(Debug)]
pub(crate) struct Composition {
    pub(crate) all: Vec<u32>,
    pub(crate) any: Vec<u32>,
    pub(crate) none: Vec<u32>,
    /// Concepts that veto only in a clause holding one of the rule's own terms (see [`Composition::beside_own`]).
    pub(crate) none_in_clause: Vec<u32>,
    pub(crate) within: Within,
    pub(crate) ordered: bool,
    pub(crate) pattern: Option<HitPattern>,
    /// Every concept that must occur for the rule to hold: `all` and the concepts its pattern requires, sorted.
    pub(crate) need: Vec<u32>,
    /// Every concept of `all`, `any` and the pattern: the terms a finding is made of, sorted.
    own: Vec<u32>,
}

/// What one evaluation found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// The span of a scope that satisfied the formula but that a `none` concept vetoed.
    pub(crate) vetoed: Option<Range<usize>>,
    /// The span of a scope that satisfied the formula, and the negation cue inside it that negates one of its
    /// terms (see [`Composition::negated_inside`]).
    pub(crate) negated: Option<(Range<usize>, Range<usize>)>,
}

/// How far a negation cue inside a finding may be from the term it negates, in folded bytes (about five English
/// words or ten Han characters: "we do not use the Samsung logo", 我们不会让您转到私人账户).
const INNER_NEGATION_REACH: usize = 32;

impl Composition {
    /// A composition of these parts; `need` is derived from `all` and the pattern.
    pub(crate) fn new(
        all: Vec<u32>,
        any: Vec<u32>,
        none: Vec<u32>,
        within: Within,
        ordered: bool,
        pattern: Option<HitPattern>,
    ) -> Composition {
        let mut need = all.clone();
        if let Some(p) = &pattern {
            need.extend_from_slice(p.required());
        }
        need.sort_unstable();
        need.dedup();
        let mut own: Vec<u32> = all.iter().chain(&any).copied().collect();
        if let Some(p) = &pattern {
            own.extend(p.concepts());
        }
        own.sort_unstable();
        own.dedup();
        Composition {
            all,
            any,
            none,
            none_in_clause: Vec::new(),
            within,
            ordered,
            pattern,
            need,
            own,
        }
    }

    /// The same composition with `none_in_clause` concepts.
    pub(crate) fn with_none_in_clause(mut self, concepts: Vec<u32>) -> Composition {
        self.none_in_clause = concepts;
        self
    }

    /// The concepts one of which must occur for the rule to hold, for indexing rules by concept: one required
    /// concept, else every `any` concept; empty when the rule can hold without any concept.
    pub(crate) fn keys(&self) -> &[u32] {
        match self.need.first() {
            Some(_) => &self.need[..1],
            None => &self.any,
        }
    }

    /// Whether every required concept (of `all` and of the pattern) and one `any` concept occur somewhere in the
    /// message: the cheap test that most rules fail on most messages. When it fails, [`find`](Self::find) would
    /// find nothing and veto nothing.
    pub(crate) fn may_hold(&self, hits: &ConceptHits) -> bool {
        self.need.iter().all(|&c| hits.has(c)) && (self.any.is_empty() || self.any.iter().any(|&c| hits.has(c)))
    }

    /// Whether the words of the text are needed (a word-counted scope).
    pub(crate) fn needs_words(&self) -> bool {
        matches!(self.within, Within::Words(_))
    }

    /// Appends `(span, trigger)` (folded bytes) for every scope of `text` in which the formula holds.
    #[allow(clippy::too_many_arguments)] // the message's views and the caller's scratch, borrowed separately
    pub(crate) fn find(
        &self,
        text: &str,
        hits: &ConceptHits,
        scopes: &Scopes,
        words: &WordStarts,
        scratch: &mut PatternScratch,
        by_start: &mut ByStart,
        cues: &context::Cues,
        out: &mut Vec<(Range<usize>, Range<usize>)>,
    ) -> Outcome {
        let mut outcome = Outcome::default();
        let anchors: &[u32] = if self.all.is_empty() { &self.any } else { &self.all[..1] };
        let mut last_unit = None;
        for &a in anchors {
            for anchor in hits.of(a) {
                let (lo, hi) = match self.within {
                    Within::Clause => scopes.unit(anchor.start as usize, false, text.len()),
                    Within::Sentence => scopes.unit(anchor.start as usize, true, text.len()),
                    Within::Message => (0, text.len()),
                    Within::Words(n) => {
                        let (s_lo, s_hi) = scopes.unit(anchor.start as usize, true, text.len());
                        (
                            words.back(anchor.start as usize, n).max(s_lo),
                            words.forward(anchor.end as usize, n).min(s_hi),
                        )
                    }
                };
                // Partitioning scopes hold or fail once per unit, whichever anchor is in them.
                if !matches!(self.within, Within::Words(_)) {
                    if last_unit == Some((lo, hi)) {
                        continue;
                    }
                    last_unit = Some((lo, hi));
                }
                let inside = |h: &&ConceptHit| lo <= h.start as usize && h.end as usize <= hi;
                let in_scope = |c: u32| hits.of_in(c, lo, hi).iter().filter(inside);
                let mut span = anchor.range();
                let mut after = anchor.end as usize;
                let mut ok = true;
                for &c in self.all.iter().skip(usize::from(!self.all.is_empty())) {
                    let found = in_scope(c).find(|h| !self.ordered || h.start as usize >= after);
                    match found {
                        Some(h) => {
                            span = span.start.min(h.start as usize)..span.end.max(h.end as usize);
                            after = h.end as usize;
                        }
                        None => {
                            ok = false;
                            break;
                        }
                    }
                }
                if !ok {
                    continue;
                }
                if !self.all.is_empty() && !self.any.is_empty() {
                    // The `any` hit nearest the anchor joins the span.
                    let nearest = self
                        .any
                        .iter()
                        .flat_map(|&c| in_scope(c))
                        .min_by_key(|h| (h.start as i64 - anchor.start as i64).unsigned_abs());
                    match nearest {
                        Some(h) => span = span.start.min(h.start as usize)..span.end.max(h.end as usize),
                        None => continue,
                    }
                }
                let mut pattern_span = None;
                if let Some(p) = &self.pattern {
                    match p.find_at(text, lo, hi, hits, scratch) {
                        Some(m) => {
                            span = span.start.min(m.start)..span.end.max(m.end);
                            pattern_span = Some(m);
                        }
                        None => continue,
                    }
                }
                let vetoes = |h: &ConceptHit| !broken_after(text, hits, &cues.broken, h);
                if self.none.iter().any(|&c| in_scope(c).any(vetoes))
                    || self
                        .none_in_clause
                        .iter()
                        .any(|&c| in_scope(c).any(|h| vetoes(h) && self.beside_own(text, hits, scopes, h, lo, hi)))
                {
                    outcome.vetoed = Some(span);
                    continue;
                }
                if let Some(cue) = self.negated_inside(text, hits, &cues.negation, &span, pattern_span.as_ref()) {
                    outcome.negated = Some((span, cue));
                    continue;
                }
                out.push((widen(span, hits, by_start, &cues.kinds), anchor.range()));
            }
        }
        outcome
    }
}

impl Composition {
    /// Whether a `none_in_clause` hit shares its clause with a hit of one of the rule's own concepts (inside the
    /// scope `lo..hi`): only then is it what the rule's words speak of. "The sample machine is under maintenance"
    /// is about a machine; in "the sample is done. Our account is under maintenance, pay to …" the sample is
    /// another sentence's business and vetoes nothing.
    fn beside_own(
        &self,
        text: &str,
        hits: &ConceptHits,
        scopes: &Scopes,
        h: &ConceptHit,
        lo: usize,
        hi: usize,
    ) -> bool {
        let (clo, chi) = scopes.unit(h.start as usize, false, text.len());
        let (clo, chi) = (clo.max(lo), chi.min(hi));
        self.own
            .iter()
            .any(|&c| hits.of_in(c, clo, chi).iter().any(|o| o.end as usize <= chi))
    }

    /// A negation cue inside `span` that negates one of the rule's own terms: the next own term starts
    /// within [`INNER_NEGATION_REACH`] bytes after it, in the same clause, and no own term (nor the pattern's
    /// match) contains the cue (a term inside it, `do` of `do not`, is no cover). "We do not use the Samsung logo" negates the use; in "don't open a dispute" or
    /// 不要走平台, where the negation is part of a term of the rule, it is the pretext itself. A cue before the span
    /// is the context stage's business.
    fn negated_inside(
        &self,
        text: &str,
        hits: &ConceptHits,
        negations: &[u32],
        span: &Range<usize>,
        pattern: Option<&Range<usize>>,
    ) -> Option<Range<usize>> {
        for &neg in negations {
            for cue in hits.of_in(neg, span.start, span.end) {
                let (cs, ce) = (cue.start as usize, cue.end as usize);
                if ce >= span.end || pattern.is_some_and(|p| p.start <= cs && ce <= p.end) {
                    continue;
                }
                // Own terms that could overlap the cue start at most a term's length before it.
                let own = || {
                    self.own
                        .iter()
                        .flat_map(|&c| hits.of_in(c, cs.saturating_sub(64), span.end))
                };
                if own().any(|h| h.start as usize <= cs && ce <= h.end as usize) {
                    continue;
                }
                let next = own().map(|h| h.start as usize).filter(|&s| s >= ce).min();
                if next.is_some_and(|s| s - ce <= INNER_NEGATION_REACH && !context::clause_break_between(text, ce, s)) {
                    return Some(cs..ce);
                }
            }
        }
        None
    }
}

/// How far after a hit a `broken` cue may start to say that the hit's thing does not work, in folded bytes.
const BROKEN_REACH: usize = 24;

/// Whether a `broken` cue follows `hit` closely in its clause ("alibaba checkout has an issue", 平台在维护): a
/// `none` concept named as out of order is not offered as the way to pay, so it vetoes nothing.
fn broken_after(text: &str, hits: &ConceptHits, broken: &[u32], hit: &ConceptHit) -> bool {
    let end = hit.end as usize;
    broken.iter().any(|&c| {
        hits.of_in(c, end, end + BROKEN_REACH + 1)
            .iter()
            .any(|b| !context::clause_break_between(text, end, b.start as usize))
    })
}

/// Widens a span over any concept hit that crosses one of its ends, so that a finding covers whole terms (`加~微~信`
/// found as `加微` and `微信` is one span, not half of one). Context cues (`cues`, by concept) are not widened
/// over: `不要加` must stay before `加微信` for the context stage to read it as a negation of the finding.
fn widen(
    mut span: Range<usize>,
    hits: &ConceptHits,
    by_start: &mut ByStart,
    cues: &[Option<context::CueKind>],
) -> Range<usize> {
    // Terms are short: only hits starting shortly before the span can cross its start.
    const LONGEST: usize = 64;
    let by_start = by_start.of(hits, cues);
    loop {
        let before = span.clone();
        let from = by_start.partition_point(|h| (h.0 as usize) + LONGEST < span.start);
        let to = by_start.partition_point(|h| (h.0 as usize) < span.end);
        for &(s, e) in &by_start[from..to] {
            let (s, e) = (s as usize, e as usize);
            if s < span.start && span.start < e {
                span.start = s;
            }
            if s < span.end && span.end < e {
                span.end = e;
            }
        }
        if span == before {
            return span;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(list: &[(u32, &str, &str)]) -> ConceptHits {
        // (concept, text, needle): the needle's first occurrence in the text.
        let mut h = ConceptHits::default();
        for &(c, text, needle) in list {
            let s = text.find(needle).unwrap();
            h.hits.push(ConceptHit {
                concept: c,
                start: s as u32,
                end: (s + needle.len()) as u32,
            });
        }
        h.finish(&[]);
        h
    }

    fn run(comp: &Composition, text: &str, list: &[(u32, &str)]) -> Vec<String> {
        run_with_cues(comp, text, list, &[])
    }

    fn run_with_cues(
        comp: &Composition,
        text: &str,
        list: &[(u32, &str)],
        kinds: &[Option<context::CueKind>],
    ) -> Vec<String> {
        let h = hits(&list.iter().map(|&(c, n)| (c, text, n)).collect::<Vec<_>>());
        let mut scopes = Scopes::default();
        scopes.fill(text);
        let mut words = WordStarts::default();
        words.fill(text);
        let mut out = Vec::new();
        comp.find(
            text,
            &h,
            &scopes,
            &words,
            &mut PatternScratch::default(),
            &mut ByStart::default(),
            &context::Cues::new(kinds.to_vec()),
            &mut out,
        );
        out.iter().map(|(s, _)| text[s.clone()].to_string()).collect()
    }

    #[test]
    fn spans_widen_over_terms_but_not_over_context_cues() {
        // Concept 0 is the finding's term; 1 is a term that overlaps its start; 2 is a negation cue doing the same.
        let c = comp(&[0], &[], &[], Within::Sentence, false);
        let text = "请加微信聊";
        assert_eq!(run(&c, text, &[(0, "微信"), (1, "加微")]), ["加微信"]);
        let text = "请不要加微信";
        let cues = [None, None, Some(context::CueKind::Negation)];
        assert_eq!(run(&c, text, &[(0, "加微信"), (2, "不要加")]), ["不要加微信"]);
        assert_eq!(
            run_with_cues(&c, text, &[(0, "加微信"), (2, "不要加")], &cues),
            ["加微信"]
        );
    }

    /// (text, hits as (concept, needle), findings); what each concept is, each test says.
    type HitCase<'a> = (&'a str, &'a [(u32, &'a str)], &'a [&'a str]);

    #[test]
    fn a_negation_inside_a_finding_negates_the_term_after_it() {
        // 0 and 1 the rule's terms, 2 a negation cue, 3 another lexicon's term.
        let c = comp(&[0, 1], &[], &[], Within::Sentence, false);
        let cues = [None, None, Some(context::CueKind::Negation), None];
        let table: &[HitCase] = &[
            // Between the terms, close to the next one, in one clause: negated.
            (
                "we do not use the samsung logo",
                &[(0, "we"), (2, "do not"), (1, "samsung logo")],
                &[],
            ),
            (
                "我们不会让您转到私人账户",
                &[(0, "我们"), (2, "不会"), (1, "私人账户")],
                &[],
            ),
            // An own term inside the cue (`do` of `do not`) does not cover it.
            (
                "do not use the samsung logo",
                &[(0, "do"), (2, "do not"), (1, "samsung logo")],
                &[],
            ),
            // A term of the rule that contains the cue: the negation is the pretext.
            (
                "pls don't open a dispute",
                &[(0, "pls"), (2, "don't"), (1, "don't open a dispute")],
                &["pls don't open a dispute"],
            ),
            // Another lexicon's term containing the cue does not make it part of this rule.
            (
                "we do not use the samsung logo",
                &[(0, "we"), (2, "do not"), (3, "do not use"), (1, "samsung logo")],
                &[],
            ),
            // A clause break between the cue and the next term: it negates something else.
            (
                "we, never mind, samsung logo",
                &[(0, "we"), (2, "never"), (1, "samsung logo")],
                &["we, never mind, samsung logo"],
            ),
            // The next term is too far from the cue.
            (
                "we never said anything at all about the real and original samsung logo",
                &[(0, "we"), (2, "never"), (1, "samsung logo")],
                &["we never said anything at all about the real and original samsung logo"],
            ),
        ];
        for &(text, list, want) in table {
            assert_eq!(run_with_cues(&c, text, list, &cues), want, "{text:?}");
        }
        // The rule's pattern match covering the cue makes it part of the rule.
        let ids = |n: &str| match n {
            "a" => Some(0),
            "b" => Some(1),
            _ => None,
        };
        let p = HitPattern::new(r"{a} never {b}", ids).expect("pattern compiles");
        let c = Composition::new(vec![0], vec![], vec![], Within::Sentence, false, Some(p));
        let text = "we never samsung logo";
        let list = [(0, "we"), (2, "never"), (1, "samsung logo")];
        assert_eq!(run_with_cues(&c, text, &list, &cues), [text]);
    }

    #[test]
    fn a_none_concept_said_to_be_broken_vetoes_nothing() {
        // 0 the rule's term, 1 its `none` concept (the checkout), 2 a `broken` cue.
        let c = comp(&[0], &[], &[1], Within::Sentence, false);
        let cues = [None, None, Some(context::CueKind::Broken)];
        let table: &[HitCase] = &[
            // Named as out of order: no veto.
            (
                "alibaba checkout has an issue, use this link",
                &[(1, "alibaba checkout"), (2, "has an issue"), (0, "this link")],
                &["this link"],
            ),
            (
                "平台在维护，用这个链接",
                &[(1, "平台"), (2, "在维护"), (0, "这个链接")],
                &["这个链接"],
            ),
            // Offered as the way to pay: a veto.
            (
                "pay on alibaba checkout, not this link",
                &[(1, "alibaba checkout"), (0, "this link")],
                &[],
            ),
            // The broken cue is in another clause, or far away: still a veto.
            (
                "alibaba checkout, which never has an issue, or this link",
                &[(1, "alibaba checkout"), (2, "has an issue"), (0, "this link")],
                &[],
            ),
            (
                "alibaba checkout is where you pay and it never really has an issue, or this link",
                &[(1, "alibaba checkout"), (2, "has an issue"), (0, "this link")],
                &[],
            ),
            // One mention broken, another offered: the offered one vetoes.
            (
                "checkout was broken yesterday, now use alibaba, not this link",
                &[(1, "checkout"), (2, "broken"), (1, "alibaba"), (0, "this link")],
                &[],
            ),
        ];
        for &(text, list, want) in table {
            assert_eq!(run_with_cues(&c, text, list, &cues), want, "{text:?}");
        }
    }

    #[test]
    fn a_none_in_clause_concept_vetoes_only_beside_the_rules_own_terms() {
        // 0 the trouble, 1 the payee (the rule's own terms), 2 a subject that is no account (a sample, a machine).
        let c = comp(&[0, 1], &[], &[], Within::Message, false).with_none_in_clause(vec![2]);
        let table: &[HitCase] = &[
            // The subject is what is under maintenance: a veto.
            (
                "our sample machine is under maintenance, the deposit to our company account is fine",
                &[(2, "sample"), (0, "under maintenance"), (1, "company account")],
                &[],
            ),
            (
                "打样机器在维护，定金照样付到公司账户",
                &[(2, "打样"), (0, "在维护"), (1, "公司账户")],
                &[],
            ),
            // The subject is another sentence's business: no veto.
            (
                "the sample is ready. our account is under maintenance, pay to my wife",
                &[(2, "sample"), (0, "under maintenance"), (1, "my wife")],
                &["under maintenance, pay to my wife"],
            ),
            (
                "样品做好了。账户在维护，先转我老婆卡上",
                &[(2, "样品"), (0, "在维护"), (1, "我老婆")],
                &["在维护，先转我老婆"],
            ),
            // In the same sentence but its own clause: no veto either.
            (
                "the sample is ready, our account is under maintenance, pay to my wife",
                &[(2, "sample"), (0, "under maintenance"), (1, "my wife")],
                &["under maintenance, pay to my wife"],
            ),
        ];
        for &(text, list, want) in table {
            assert_eq!(run_with_cues(&c, text, list, &[]), want, "{text:?}");
        }
        // The same concept in `none` vetoes the whole scope.
        let plain = comp(&[0, 1], &[], &[2], Within::Message, false);
        let list = [(2, "sample"), (0, "under maintenance"), (1, "my wife")];
        assert!(run_with_cues(
            &plain,
            "the sample is ready. our account is under maintenance, pay to my wife",
            &list,
            &[]
        )
        .is_empty());
    }

    fn comp(all: &[u32], any: &[u32], none: &[u32], within: Within, ordered: bool) -> Composition {
        Composition::new(all.to_vec(), any.to_vec(), none.to_vec(), within, ordered, None)
    }

    #[test]
    fn scopes_decide_togetherness() {
        let text = "pay my wife, she has an account. the account is fine";
        let c = comp(&[0, 1], &[], &[], Within::Sentence, false);
        assert_eq!(run(&c, text, &[(0, "pay"), (1, "wife")]), ["pay my wife"]);
        let c = comp(&[0, 2], &[], &[], Within::Clause, false);
        assert!(run(&c, text, &[(0, "pay"), (2, "account")]).is_empty());
        let c = comp(&[0, 2], &[], &[], Within::Sentence, false);
        assert_eq!(
            run(&c, text, &[(0, "pay"), (2, "account")]),
            ["pay my wife, she has an account"]
        );
        let c = comp(&[0, 2], &[], &[], Within::Words(3), false);
        assert!(run(&c, text, &[(0, "pay"), (2, "account")]).is_empty());
        let c = comp(&[0, 2], &[], &[], Within::Words(9), false);
        assert_eq!(run(&c, text, &[(0, "pay"), (2, "account")]).len(), 1);
    }

    #[test]
    fn any_none_and_order() {
        let text = "send the money to my boss today";
        let c = comp(&[0], &[1, 2], &[], Within::Sentence, false);
        assert_eq!(
            run(&c, text, &[(0, "send"), (2, "boss")]),
            ["send the money to my boss"]
        );
        assert!(run(&c, text, &[(0, "send")]).is_empty());
        let c = comp(&[0], &[1], &[3], Within::Sentence, false);
        assert!(run(&c, text, &[(0, "send"), (1, "boss"), (3, "today")]).is_empty());
        let c = comp(&[1, 0], &[], &[], Within::Sentence, true);
        assert!(run(&c, text, &[(0, "send"), (1, "boss")]).is_empty());
        let c = comp(&[0, 1], &[], &[], Within::Sentence, true);
        assert_eq!(run(&c, text, &[(0, "send"), (1, "boss")]).len(), 1);
    }

    #[test]
    fn dots_inside_words_and_numbers_are_no_breaks() {
        let text = "add wa.me/123 or pay 3.5 usd. then go";
        let mut scopes = Scopes::default();
        scopes.fill(text);
        assert_eq!(scopes.sentence(0, text.len()), (0, text.find(". then").unwrap()));
        let zh = "亲，平台维护。转到新账户";
        scopes.fill(zh);
        let (lo, hi) = scopes.sentence(zh.find("转").unwrap(), zh.len());
        assert_eq!(&zh[lo..hi], "转到新账户");
    }

    #[test]
    fn exclusions_drop_hits_inside_them() {
        let text = "微信支付 or 微信";
        let mut h = ConceptHits::default();
        let a = text.find("微信").unwrap() as u32;
        let b = text.rfind("微信").unwrap() as u32;
        h.hits.push(ConceptHit {
            concept: 4,
            start: a,
            end: a + 6,
        });
        h.hits.push(ConceptHit {
            concept: 4,
            start: b,
            end: b + 6,
        });
        h.finish(&[ConceptHit {
            concept: 4,
            start: a,
            end: a + 12,
        }]);
        assert_eq!(h.of(4).len(), 1);
        assert_eq!(h.of(4)[0].start, b);
    }
}
