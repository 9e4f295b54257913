//! The hot path: fold a message, find every term with the one automaton, compose concepts per clause and
//! sentence, confirm the older keyword rules, run the context stage, and build the report. Nothing here can fail.

use std::cell::RefCell;
use std::ops::Range;

use crate::automaton::Hit;
use crate::compile::{Compiled, Inner, CONCEPT, EXCLUSION};
use crate::compose::Scopes;
use crate::context::{self, Context, Cue, Framing};
use crate::hits::{Bits, ByStart, ConceptHit, ConceptHits};
use crate::normalize::{Scratch, MAX_PIECE};
use crate::report::{Finding, Reason, Report, Suppressed};

/// Reusable buffers for [`Detector::scan_with_cache`](crate::Detector::scan_with_cache): one per thread, used by any number of scans and detectors.
/// [`Detector::scan`](crate::Detector::scan) keeps one per thread itself; a `Cache` makes that explicit. It holds no result of a scan
/// beyond the scan.
///
/// # Example
///
/// ```
/// let mut cache = redflag::Cache::new();
/// let r = redflag::Detector::new().scan_with_cache("pay to my personal account", &mut cache);
/// assert!(r.is_alert());
/// ```
#[derive(Debug, Default)]
pub struct Cache {
    pub(crate) scratch: ScanScratch,
}

impl Cache {
    /// Empty buffers; they grow to the largest message scanned with them.
    pub fn new() -> Cache {
        Cache::default()
    }
}

/// Per-scan buffers.
#[derive(Default, Debug)]
pub(crate) struct ScanScratch {
    fold: Scratch,
    entities: crate::entities::EntityScratch,
    hits: Vec<Hit>,
    /// Word starts of the folded text, found when a rule with a word-counted window needs them.
    words: context::WordStarts,
    /// The entity extractor's context words, found by the keyword automaton.
    found: Vec<(u32, u32, u32)>,
    /// Concept hits of the message, and the exclusion phrases found with them.
    concepts: ConceptHits,
    by_start: ByStart,
    exclusions: Vec<ConceptHit>,
    scopes: Scopes,
    /// Positions in `composed` of the rules whose key concepts occur in the message (a bit set, so that they come
    /// out in rule order without a sort: a clean message's common words key many rules).
    candidates: Bits,
    /// The backtracking stack and visited set of composed rules' patterns.
    pattern: crate::pattern::PatternScratch,
    cues: Vec<Cue>,
    /// Candidate findings of one rule: (span, the keyword hit that triggered it), folded bytes.
    spans: Vec<(Range<usize>, Range<usize>)>,
    explain: bool,
    suppressed: Vec<Suppressed>,
    /// Links whose domain imitates a brand: (folded span, original span), judged by the context stage last.
    lookalikes: Vec<(Range<usize>, Range<usize>)>,
}

fn suppressed(rule: &Compiled, span: Range<usize>, reason: Reason) -> Suppressed {
    Suppressed {
        rule: rule.info.clone(),
        span,
        reason,
    }
}

impl Inner {
    pub(crate) fn scan_with(&self, text: &str, explain: bool) -> Report {
        thread_local! {
            // Per-thread buffers reused across scans (of any detector): a clean message allocates nothing but
            // its report. Not shared state: each thread has its own, and nothing in them outlives a scan.
            static SCRATCH: RefCell<ScanScratch> = RefCell::new(ScanScratch::default());
        }
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.scan_into(text, explain, &mut scratch),
            // Only if a scan re-entered on this thread; then use fresh buffers.
            Err(_) => self.scan_into(text, explain, &mut ScanScratch::default()),
        })
    }

    pub(crate) fn scan_into(&self, text: &str, explain: bool, scratch: &mut ScanScratch) -> Report {
        scratch.explain = explain;
        scratch.suppressed.clear();
        let mut findings = Vec::new();
        let mut entities = Vec::new();
        let mut offset = 0;
        while offset < text.len() {
            let piece = next_piece(&text[offset..]);
            self.scan_piece(
                &text[offset..offset + piece],
                offset,
                scratch,
                &mut findings,
                &mut entities,
            );
            offset += piece;
        }
        scratch.fold.trim();
        scratch.words.trim();
        Report::new(text, findings, entities, std::mem::take(&mut scratch.suppressed))
    }

    fn scan_piece(
        &self,
        text: &str,
        offset: usize,
        s: &mut ScanScratch,
        out: &mut Vec<Finding>,
        entities: &mut Vec<crate::entities::Entity>,
    ) {
        let inner = self;
        inner.folder.fold_into(text, &mut s.fold);
        let folded = &s.fold.folded;
        let ft = folded.text.as_str();
        s.hits.clear();
        s.found.clear();
        s.concepts.hits.clear();
        s.exclusions.clear();
        {
            // Concept hits carry a tag bit; what is left are the keyword hits of rules in the older form.
            let (hits, concepts, exclusions) = (&mut s.hits, &mut s.concepts.hits, &mut s.exclusions);
            inner.keywords.each_hit(ft, &mut s.found, |h| {
                if h.rule & (CONCEPT | EXCLUSION) == 0 {
                    hits.push(h);
                    return;
                }
                let hit = ConceptHit {
                    concept: h.rule & !(CONCEPT | EXCLUSION),
                    start: h.start,
                    end: h.end,
                };
                if h.rule & EXCLUSION != 0 {
                    exclusions.push(hit);
                } else {
                    concepts.push(hit);
                }
            });
        }
        let first_entity = entities.len();
        inner
            .entities
            .extract_found(text, folded, &mut s.found, entities, &mut s.entities);
        s.lookalikes.clear();
        for e in &mut entities[first_entity..] {
            if e.imitates().is_some() {
                s.lookalikes.push((
                    folded.folded_span(e.span()),
                    e.span().start + offset..e.span().end + offset,
                ));
            }
            e.shift(offset);
        }
        if s.hits.is_empty() && s.concepts.hits.is_empty() && s.exclusions.is_empty() {
            // No concept hit, so no context cue: every look-alike link stands.
            for (_, span) in s.lookalikes.drain(..) {
                out.push(Finding {
                    rule: inner.lookalike.clone(),
                    span: span.clone(),
                    trigger: span,
                    entity: None,
                });
            }
            return;
        }
        s.exclusions.sort_unstable();
        // The concept hits are sorted (and exclusions applied) only when a rule gets past the presence test, and
        // the context cues are gathered only when a rule has a candidate finding: a clean message usually needs
        // neither.
        s.concepts.prepare();
        s.by_start.reset();
        let mut finished = false;
        let mut frame: Option<context::MessageFrame> = None;
        macro_rules! finish {
            () => {
                if !finished {
                    finished = true;
                    s.concepts.finish(&s.exclusions);
                }
            };
        }
        macro_rules! context {
            () => {
                if !s.spans.is_empty() {
                    context!(@build);
                }
            };
            (@build) => {
                if frame.is_none() {
                    finish!();
                    s.cues.clear();
                    for h in &s.concepts.hits {
                        if let Some(Some(kind)) = inner.cues.kinds.get(h.concept as usize) {
                            s.cues.push(Cue {
                                kind: *kind,
                                start: h.start as usize,
                                end: h.end as usize,
                            });
                        }
                    }
                    s.cues.sort_unstable_by_key(|c| (c.start, c.end));
                    frame = Some(Context::frame(ft, &s.cues));
                }
            };
        }
        s.hits.sort_unstable();
        s.hits.dedup();
        let to_original = |r: &Range<usize>| {
            let o = folded.original_span(r.clone());
            o.start + offset..o.end + offset
        };
        let mut words_ready = false;
        let ascii = ft.is_ascii();

        // Rules composed from concepts: a formula over the concepts of each scope.
        if !s.concepts.hits.is_empty() {
            let mut scopes_ready = false;
            // Only the rules keyed by a concept that occurs, in rule order (the order of findings).
            s.candidates.reset(inner.composed.len());
            for &pos in &inner.composed_always {
                s.candidates.insert(pos);
            }
            for c in s.concepts.present() {
                for &pos in inner.composed_by_concept.get(c as usize).map_or(&[][..], |l| &l[..]) {
                    s.candidates.insert(pos);
                }
            }
            for pos in s.candidates.iter() {
                let rule = &inner.rules[inner.composed[pos as usize]];
                let Some(comp) = &rule.composition else { continue };
                if !comp.may_hold(&s.concepts) {
                    continue;
                }
                if !finished {
                    finish!();
                    // Now exact: exclusions may have removed a concept.
                    if !comp.may_hold(&s.concepts) {
                        continue;
                    }
                }
                if !scopes_ready {
                    s.scopes.fill(ft);
                    scopes_ready = true;
                }
                if comp.needs_words() && !words_ready {
                    s.words.fill(ft);
                    words_ready = true;
                }
                s.spans.clear();
                let outcome = comp.find(
                    ft,
                    &s.concepts,
                    &s.scopes,
                    &s.words,
                    &mut s.pattern,
                    &mut s.by_start,
                    &inner.cues,
                    &mut s.spans,
                );
                if s.explain {
                    if let Some(v) = outcome.vetoed {
                        s.suppressed.push(suppressed(rule, to_original(&v), Reason::Unless));
                    }
                    if let Some((v, cue)) = outcome.negated {
                        let reason = Reason::Negation { cue: to_original(&cue) };
                        s.suppressed.push(suppressed(rule, to_original(&v), reason));
                    }
                }
                context!();
                self.emit(
                    rule,
                    ft,
                    &mut s.spans,
                    (&s.cues, &frame.unwrap_or_default()),
                    s.explain.then_some(&mut s.suppressed),
                    out,
                    &to_original,
                );
            }
        }

        // Rules in the older form: keywords trigger a pattern or atoms in a window around each hit.
        let mut i = 0;
        while i < s.hits.len() {
            let rule_idx = s.hits[i].rule;
            let mut j = i;
            while j < s.hits.len() && s.hits[j].rule == rule_idx {
                j += 1;
            }
            let rule = &inner.rules[rule_idx as usize];
            let hits = i..j;
            i = j;
            s.spans.clear();
            for h in hits {
                let h = s.hits[h];
                let hit = h.start as usize..h.end as usize;
                if rule.segment && !inner.context.is_han_word(ft, hit.clone()) {
                    if s.explain {
                        s.suppressed.push(suppressed(rule, to_original(&hit), Reason::NotAWord));
                    }
                    continue;
                }
                if rule.regex.is_none() && rule.all.is_empty() && rule.any.is_empty() && rule.unless.is_empty() {
                    s.spans.push((hit.clone(), hit));
                    continue;
                }
                let (mut lo, mut hi) = match rule.window_words {
                    Some(n) => {
                        if !words_ready {
                            s.words.fill(ft);
                            words_ready = true;
                        }
                        (s.words.back(hit.start, n), s.words.forward(hit.end, n))
                    }
                    // In ASCII text a character is a byte.
                    None if ascii => (
                        hit.start.saturating_sub(rule.window),
                        (hit.end + rule.window).min(ft.len()),
                    ),
                    None => (
                        context::back_chars(ft, hit.start, rule.window),
                        context::forward_chars(ft, hit.end, rule.window),
                    ),
                };
                if rule.sentence {
                    (lo, hi) = context::sentence_within(ft, hit.clone(), lo, hi);
                }
                let hay = &ft[..hi];
                let window = &ft[lo..hi];
                if !rule.any.is_empty() && !rule.any.iter().any(|re| re.is_match(window)) {
                    continue;
                }
                // Atoms: each must match somewhere in the window; together they widen the finding.
                let mut atoms: Option<Range<usize>> = None;
                if !rule.all.is_empty() {
                    let mut union = hit.clone();
                    let found = rule.all.iter().all(|re| match re.find_at(hay, lo) {
                        Some(m) => {
                            union = union.start.min(m.start())..union.end.max(m.end());
                            true
                        }
                        None => false,
                    });
                    if !found {
                        continue;
                    }
                    atoms = Some(union);
                }
                let before = s.spans.len();
                match &rule.regex {
                    None => s.spans.push((atoms.unwrap_or(hit.clone()), hit.clone())),
                    Some(re) => {
                        let mut at = lo;
                        while let Some(m) = re.find_at(hay, at) {
                            if m.is_empty() {
                                break;
                            }
                            let span = match &atoms {
                                Some(a) => a.start.min(m.start())..a.end.max(m.end()),
                                None => m.range(),
                            };
                            s.spans.push((span, hit.clone()));
                            at = m.end();
                        }
                    }
                }
                if s.spans.len() > before && rule.unless.iter().any(|re| re.find_at(hay, lo).is_some()) {
                    s.spans.truncate(before);
                    if s.explain {
                        s.suppressed.push(suppressed(rule, to_original(&hit), Reason::Unless));
                    }
                }
            }
            context!();
            self.emit(
                rule,
                ft,
                &mut s.spans,
                (&s.cues, &frame.unwrap_or_default()),
                s.explain.then_some(&mut s.suppressed),
                out,
                &to_original,
            );
        }

        // Look-alike links, judged by the same context as the rules: a buyer asking whether `a1ibaba-pay.top` is
        // a scam, or a warning naming it, is no alert.
        if !s.lookalikes.is_empty() {
            context!(@build);
            // The macro marks the hits finished; nothing after this point needs to know.
            let _ = finished;
            let frame = frame.unwrap_or_default();
            for (folded_span, span) in s.lookalikes.drain(..) {
                let framing = (!folded_span.is_empty())
                    .then(|| inner.context.framed(ft, &s.cues, &frame, &folded_span))
                    .flatten();
                match framing {
                    Some(f) => {
                        if s.explain {
                            let reason = match f {
                                Framing::Negation(cue) => Reason::Negation { cue: to_original(&cue) },
                                Framing::Warning(cue) => Reason::Warning { cue: to_original(&cue) },
                                Framing::Signature(cue) => Reason::Signature { cue: to_original(&cue) },
                            };
                            s.suppressed.push(Suppressed {
                                rule: inner.lookalike.clone(),
                                span,
                                reason,
                            });
                        }
                    }
                    None => out.push(Finding {
                        rule: inner.lookalike.clone(),
                        span: span.clone(),
                        trigger: span,
                        entity: None,
                    }),
                }
            }
        }
    }

    /// Turns one rule's candidate spans (in `s.spans`) into findings: context drops what it frames, overlapping
    /// spans merge.
    #[allow(clippy::too_many_arguments)] // one call per stage; a struct of borrowed scratch fields adds nothing
    fn emit(
        &self,
        rule: &Compiled,
        ft: &str,
        spans: &mut Vec<(Range<usize>, Range<usize>)>,
        (cues, frame): (&[Cue], &context::MessageFrame),
        mut explain: Option<&mut Vec<Suppressed>>,
        out: &mut Vec<Finding>,
        to_original: &dyn Fn(&Range<usize>) -> Range<usize>,
    ) {
        if spans.is_empty() {
            return;
        }
        // Duplicates from overlapping windows go here (a `contains` per push would be quadratic).
        spans.sort_unstable_by_key(|(r, _)| (r.start, r.end));
        spans.dedup_by(|a, b| a.0 == b.0);
        let mut last: Option<(Range<usize>, Range<usize>)> = None;
        for (span, trigger) in spans.drain(..) {
            let reason = if let Some(phrase) = context::allowed(ft, &rule.allow, &span) {
                Some(Reason::Allowlist {
                    phrase: phrase.to_string(),
                })
            } else {
                self.context.framed(ft, cues, frame, &span).map(|f| match f {
                    Framing::Negation(cue) => Reason::Negation { cue: to_original(&cue) },
                    Framing::Warning(cue) => Reason::Warning { cue: to_original(&cue) },
                    Framing::Signature(cue) => Reason::Signature { cue: to_original(&cue) },
                })
            };
            if let Some(reason) = reason {
                if let Some(list) = explain.as_deref_mut() {
                    list.push(suppressed(rule, to_original(&span), reason));
                }
                continue;
            }
            // Overlapping findings of one rule merge into one (the first trigger stays).
            match &mut last {
                Some((l, _)) if span.start < l.end => l.end = l.end.max(span.end),
                _ => {
                    if let Some((l, t)) = last.take() {
                        out.push(Finding {
                            rule: rule.info.clone(),
                            span: to_original(&l),
                            trigger: to_original(&t),
                            entity: None,
                        });
                    }
                    last = Some((span, trigger));
                }
            }
        }
        if let Some((l, t)) = last {
            out.push(Finding {
                rule: rule.info.clone(),
                span: to_original(&l),
                trigger: to_original(&t),
                entity: None,
            });
        }
    }
}

/// Length of the next piece of `text` to fold: all of it up to [`MAX_PIECE`], else cut at a line break or space
/// near the limit, else at a char boundary.
fn next_piece(text: &str) -> usize {
    if text.len() <= MAX_PIECE {
        return text.len();
    }
    let mut cut = MAX_PIECE;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let tail = &text.as_bytes()[cut - 4096.min(cut)..cut];
    for sep in [b'\n', b' '] {
        if let Some(p) = tail.iter().rposition(|&b| b == sep) {
            return cut - tail.len() + p + 1;
        }
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cut_on_boundaries() {
        let long = "好".repeat(MAX_PIECE); // 3 bytes each, no separators
        let n = next_piece(&long);
        assert!(n <= MAX_PIECE && long.is_char_boundary(n) && n > 0);
        let mut with_newline = "a".repeat(MAX_PIECE - 10);
        with_newline.push('\n');
        with_newline.push_str(&"b".repeat(100));
        assert_eq!(next_piece(&with_newline), MAX_PIECE - 9);
        assert_eq!(next_piece("short"), 5);
    }
}
