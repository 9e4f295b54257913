//! Pass 5: leetspeak and repeated letters resolved into words of the folder's vocabulary, and that vocabulary.
//!
//! Leet symbols, look-alike digits, an upper-case `I` or repeated letters in a token are rewritten only when exactly
//! such a spelling of a vocabulary word exists, so model numbers and prices are left alone.

use rustc_hash::FxHashSet as HashSet;

use super::chars::{is_token, Class, Unit};
use super::{Folder, Vocab};

/// The leet vocabulary of `words` (ASCII, any case, lower-cased here; words shorter than 3 letters or holding
/// anything but ASCII letters ignored), each word ranked by how often it occurs in `words` (0 for the most
/// frequent; ties by the word), and its skeletons (see [`skeleton`]).
pub(super) fn vocabulary<'a>(words: impl IntoIterator<Item = &'a str>) -> (Vocab, HashSet<Box<str>>) {
    let mut counts = Vocab::default();
    let mut lower = String::new();
    for w in words {
        if w.len() < 3 || !w.bytes().all(|b| b.is_ascii_alphabetic()) {
            continue;
        }
        let w = if w.bytes().any(|b| b.is_ascii_uppercase()) {
            lower.clear();
            lower.extend(w.chars().map(|c| c.to_ascii_lowercase()));
            lower.as_str()
        } else {
            w
        };
        // The rules repeat their words many times over: allocate only a new one.
        match counts.get_mut(w) {
            Some(n) => *n += 1,
            None => {
                counts.insert(w.into(), 1);
            }
        }
    }
    let mut by_use: Vec<(Box<str>, u32)> = counts.into_iter().collect();
    by_use.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let skeletons = by_use
        .iter()
        .map(|(w, _)| skeleton(w.chars()).into_boxed_str())
        .collect();
    let vocab = by_use.into_iter().map(|(w, _)| w).zip(0..).collect();
    (vocab, skeletons)
}

/// `word` with each run of one letter written once.
fn skeleton(word: impl IntoIterator<Item = char>) -> String {
    let mut out = String::new();
    skeleton_into(word, &mut out);
    out
}

/// [`skeleton`] into a reused buffer.
fn skeleton_into(word: impl IntoIterator<Item = char>, out: &mut String) {
    out.clear();
    for c in word {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
}

/// Most leet variants a token may try before it is left as written.
const MAX_CANDIDATES: usize = 64;
/// Longest token (in units) that is considered for leet resolution.
const MAX_TOKEN: usize = 32;

impl Folder {
    /// For an ASCII token of plain letters (no `I`, digit or leet symbol), whether repeated-letter resolution
    /// surely leaves it as written, decided without trying spellings (`false`: ask [`Folder::resolve_token`]). As
    /// in `resolve_token`, nothing changes unless the token's skeleton (its letters case-folded, each run written
    /// once) is a vocabulary word's, with 3+ letters; and a lower-case token with no run longer than two that is
    /// a vocabulary word as written resolves to itself.
    pub(super) fn repeats_stay(&self, word: &[u8], cand: &mut String) -> bool {
        // Most words of a message have a short skeleton: build it bytewise on the stack (this runs for every
        // word with a doubled letter), and only a longer one in `cand`.
        let mut buf = [0u8; 24];
        let mut n = 0;
        let mut prev = 0u8;
        for &c in word {
            let l = c.to_ascii_lowercase();
            if l != prev {
                // Callers pass ASCII words; anything else takes the general path.
                if n == buf.len() || !l.is_ascii() {
                    n = usize::MAX;
                    break;
                }
                buf[n] = l;
                n += 1;
                prev = l;
            }
        }
        let skeleton = if n == usize::MAX {
            skeleton_into(word.iter().map(|&c| char::from(c.to_ascii_lowercase())), cand);
            cand.as_str()
        } else {
            // ASCII, so valid UTF-8.
            std::str::from_utf8(&buf[..n]).unwrap_or_default()
        };
        if skeleton.len() < 3 || !self.skeletons.contains(skeleton) {
            return true;
        }
        let longest_two = !word.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]);
        longest_two
            && !word.iter().any(u8::is_ascii_uppercase)
            && std::str::from_utf8(word).is_ok_and(|w| self.vocab.contains_key(w))
    }

    /// Pass 5: rewrites tokens with leet symbols, look-alike digits, an upper-case `I` or repeated letters into a
    /// vocabulary word when exactly such a spelling exists.
    pub(super) fn resolve_tokens(&self, units: &mut [Unit], cand: &mut String) {
        if self.vocab.is_empty() {
            return;
        }
        let mut i = 0;
        while i < units.len() {
            if units[i].dead || !is_token(&units[i]) {
                i += 1;
                continue;
            }
            let mut j = i;
            // Cheap pre-check: only tokens with a digit, a leet symbol, an upper-case `I` or a doubled letter can
            // resolve to anything.
            let mut maybe = false;
            let mut prev = '\0';
            while j < units.len() && (units[j].dead || is_token(&units[j])) {
                let u = &units[j];
                if !u.dead {
                    maybe |= u.class != Class::Latin || u.upper_i || u.ch == prev;
                    prev = u.ch;
                }
                j += 1;
            }
            if maybe {
                self.resolve_token(units, i, j, cand);
            }
            i = j;
        }
    }

    /// Pass 5a: one or two letters masked with `*` inside a word (`wh*tsapp`, `tele*ram`, `p**pal`), or a `*`
    /// pushed into one (`we*chat`), are read as the vocabulary word they hide: a spelling with each `*` a letter
    /// that is a vocabulary word, or else the word without the `*`s, with at least three letters showing. Masking a
    /// letter is how chat filters are dodged; `*` inside a word is rare otherwise (`5*10` has no letters, `**note**`
    /// none on one side).
    pub(super) fn unmask_stars(&self, units: &mut [Unit], cand: &mut String) {
        if self.vocab.is_empty() {
            return;
        }
        let mut i = 0;
        while i < units.len() {
            if units[i].dead || units[i].ch != '*' {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < units.len() && !units[j].dead && units[j].ch == '*' {
                j += 1;
            }
            let latin = |u: &Unit| !u.dead && u.class == Class::Latin;
            let mut l = i;
            while l > 0 && latin(&units[l - 1]) {
                l -= 1;
            }
            let mut r = j;
            while r < units.len() && latin(&units[r]) {
                r += 1;
            }
            let stars = j - i;
            let letters = (i - l) + (r - j);
            if stars > 2 || l == i || r == j || letters < 3 || letters + stars > MAX_TOKEN {
                i = j;
                continue;
            }
            // The spellings with each `*` a letter, tried first: masking a letter is the common evasion, and a
            // misspelling without it may be a vocabulary word too (`whtsapp`). When several fit (`clo*e`: `close`,
            // `clone`; `what*app`: `whatsapp`, `whatzapp`), the word the rules use most is taken. Then the stars
            // left out.
            // Option k ≥ 1 writes the stars as the base-26 digits of k - 1; option 0 leaves them out.
            let letter =
                |option: usize, star: usize| char::from(b'a' + ((option - 1) / 26usize.pow(star as u32) % 26) as u8);
            cand.clear();
            cand.extend(units[l..i].iter().map(|u| u.ch));
            let prefix = cand.len();
            let mut hit = None;
            let mut best = u32::MAX;
            for option in 1..=26usize.pow(stars as u32) {
                cand.truncate(prefix);
                cand.extend((0..stars).map(|star| letter(option, star)));
                cand.extend(units[j..r].iter().map(|u| u.ch));
                if let Some(&rank) = self.vocab.get(cand.as_str()) {
                    if rank < best {
                        best = rank;
                        hit = Some(option);
                    }
                }
            }
            if hit.is_none() {
                cand.truncate(prefix);
                cand.extend(units[j..r].iter().map(|u| u.ch));
                if self.vocab.contains_key(cand.as_str()) {
                    hit = Some(0);
                }
            }
            match hit {
                Some(0) => units[i..j].iter_mut().for_each(|u| u.dead = true),
                Some(option) => {
                    for (star, u) in units[i..j].iter_mut().enumerate() {
                        u.ch = letter(option, star);
                        u.class = Class::Latin;
                    }
                }
                None => {}
            }
            i = r;
        }
    }

    pub(super) fn resolve_token(&self, units: &mut [Unit], start: usize, end: usize, cand: &mut String) {
        // Trim leet symbols at the edges (`hello!`, `@handle`), but keep a leading `$` (`$kype`).
        let mut s = start;
        while s < end && (units[s].dead || (units[s].class == Class::Leet && units[s].ch != '$')) {
            s += 1;
        }
        let mut e = end;
        while e > s && (units[e - 1].dead || units[e - 1].class == Class::Leet) {
            e -= 1;
        }
        // Groups: (first unit index, end index, live run length, option set).
        let mut groups: [(usize, usize, usize, Options); MAX_TOKEN] = [(0, 0, 0, Options::Keep); MAX_TOKEN];
        let mut n = 0;
        let mut latin = 0;
        let mut needs = false;
        let mut k = s;
        while k < e {
            if units[k].dead {
                k += 1;
                continue;
            }
            if n == MAX_TOKEN {
                return;
            }
            let u = units[k];
            let mut run = 1;
            let mut m = k + 1;
            // An upper-case `I` (maybe an `l`) never joins a run of `i`s; removed units inside a run are skipped.
            while m < e
                && u.class == Class::Latin
                && !u.upper_i
                && (units[m].dead || (units[m].ch == u.ch && !units[m].upper_i))
            {
                run += usize::from(!units[m].dead);
                m += 1;
            }
            // Do not end a run on removed units.
            while m > k + 1 && units[m - 1].dead {
                m -= 1;
            }
            let opts = match u.class {
                Class::Latin => {
                    latin += run;
                    if run >= 2 {
                        needs = true;
                        Options::Run
                    } else if u.upper_i {
                        needs = true;
                        Options::IOrL
                    } else {
                        Options::Keep
                    }
                }
                _ => match leet(u.ch) {
                    Some(o) => {
                        needs = true;
                        o
                    }
                    None => Options::Keep,
                },
            };
            groups[n] = (k, m, run, opts);
            n += 1;
            k = m;
        }
        if !needs || latin < 2 || n < 3 {
            return;
        }
        let groups = &groups[..n];
        // Only repeated letters to resolve (the common case: `coffee`, `good`): every spelling has this skeleton.
        if groups.iter().all(|g| matches!(g.3, Options::Keep | Options::Run)) {
            cand.clear();
            cand.extend(groups.iter().map(|&(idx, ..)| units[idx].ch));
            if !self.skeletons.contains(cand.as_str()) {
                return;
            }
        }
        // Mixed-radix counter over the groups' options; option 0 is the default spelling.
        let mut choice = [0u8; MAX_TOKEN];
        for _ in 0..MAX_CANDIDATES {
            cand.clear();
            for (g, &(idx, _, run, opts)) in groups.iter().enumerate() {
                let (ch, count) = opts.pick(units[idx].ch, run, choice[g]);
                for _ in 0..count {
                    cand.push(ch);
                }
            }
            if self.vocab.contains_key(cand.as_str()) {
                for (g, &(idx, end, run, opts)) in groups.iter().enumerate() {
                    let (ch, count) = opts.pick(units[idx].ch, run, choice[g]);
                    let last_end = units[end - 1].end;
                    let mut kept = idx;
                    let live_units = units[idx..end].iter_mut().enumerate().filter(|(_, u)| !u.dead);
                    for (live, (i, u)) in live_units.enumerate() {
                        u.ch = ch;
                        u.class = Class::Latin;
                        if live >= count {
                            u.dead = true;
                        } else {
                            kept = idx + i;
                        }
                    }
                    // The kept letters cover the whole original run.
                    units[kept].end = last_end;
                }
                return;
            }
            // Advance the counter; stop when it wraps.
            let mut g = 0;
            loop {
                if g == groups.len() {
                    return;
                }
                choice[g] += 1;
                if (choice[g] as usize) < groups[g].3.len() {
                    break;
                }
                choice[g] = 0;
                g += 1;
            }
        }
    }
}

/// The spellings a token position may take during leet resolution.
#[derive(Clone, Copy, Debug)]
enum Options {
    Keep,
    One(char),
    Two(char, char),
    /// Upper-case `I`: `i` or `l`.
    IOrL,
    /// A run of one repeated letter: collapse to two, or to one.
    Run,
}

impl Options {
    fn len(self) -> usize {
        match self {
            Options::Keep | Options::One(_) => 1,
            Options::Two(..) | Options::IOrL | Options::Run => 2,
        }
    }

    /// The letter and how many times it is written for option `k`.
    fn pick(self, ch: char, run: usize, k: u8) -> (char, usize) {
        match self {
            Options::Keep => (ch, run),
            Options::One(a) => (a, 1),
            Options::Two(a, b) => (if k == 0 { a } else { b }, 1),
            Options::IOrL => (if k == 0 { 'i' } else { 'l' }, 1),
            Options::Run => {
                let first = if run == 2 { 2 } else { 1 };
                (ch, if k == 0 { first } else { 3 - first })
            }
        }
    }
}

fn leet(c: char) -> Option<Options> {
    Some(match c {
        '0' => Options::One('o'),
        '1' => Options::Two('i', 'l'),
        '3' => Options::One('e'),
        '4' => Options::One('a'),
        '5' => Options::One('s'),
        '7' => Options::One('t'),
        '@' => Options::One('a'),
        '$' => Options::One('s'),
        '!' => Options::One('i'),
        '|' => Options::Two('l', 'i'),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stack-buffer skeleton of `repeats_stay` decides as the `String` skeleton does, short and long words.
    #[test]
    fn repeats_stay_matches_the_string_skeleton() {
        let f = Folder::new(["apple", "wechat", "paypal", "internationalisationsxyzabcdefgh"]);
        let reference = |word: &[u8]| {
            let sk = skeleton(word.iter().map(|&c| char::from(c.to_ascii_lowercase())));
            if sk.len() < 3 || !f.skeletons.contains(sk.as_str()) {
                return true;
            }
            !word.windows(3).any(|w| w[0] == w[1] && w[1] == w[2])
                && !word.iter().any(u8::is_ascii_uppercase)
                && std::str::from_utf8(word).is_ok_and(|w| f.vocab.contains_key(w))
        };
        let words = [
            "apple",
            "appple",
            "aple",
            "APPLE",
            "wechat",
            "weechat",
            "paypal",
            "paypaal",
            "good",
            "ok",
            "aa",
            "internationalisationsxyzabcdefgh",
            "internnationalisationsxyzabcdefgh",
            "abcdefghijklmnopqrstuvwxyzab",
        ];
        let mut cand = String::new();
        for w in words {
            assert_eq!(f.repeats_stay(w.as_bytes(), &mut cand), reference(w.as_bytes()), "{w}");
        }
    }
}
