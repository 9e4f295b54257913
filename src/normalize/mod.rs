//! The folded view of a message and its map back to the original bytes.
//!
//! Folding runs in a few linear passes over a buffer of [`Unit`]s (one per folded character, each remembering
//! the original byte range it came from):
//!
//! 1. per character, table-driven: lowercase, NFKC-style compatibility forms (full-width, circled, mathematical),
//!    traditional → simplified, format characters dropped, each unit classified (Latin, digit, Han, separator…);
//! 2. look-alike letters (Cyrillic, Greek, …) become Latin inside words that already hold a Latin letter;
//! 3. separators inside spelled-out words are dropped (`微 信`, `w e c h a t`, `W-U`);
//! 4. runs of Chinese numerals become ASCII digits (`一三九 二二八七`);
//! 5. letters masked with `*` (`wh*tsapp`), leetspeak and repeated letters are resolved, but only into words of
//!    the detector's vocabulary, so model numbers and prices are left alone.
//!
//! The buffers live in [`Scratch`] so a caller can reuse them across messages.
//!
//! One job per file: `chars` is pass 1 (per character, table-driven, with the generated `tables`), `reference` the
//! general path (passes 2–4 to a fixpoint, then the units written out), `stream` the streaming fast path, `ascii`
//! the check that an ASCII text is only lowercased, `leet` pass 5 and its vocabulary, `offsets` the folded text
//! and its map back to original bytes. [`Folder::fold_into`] picks the path.

mod ascii;
mod chars;
mod chat;
mod leet;
mod offsets;
mod reference;
mod stream;
mod tables;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use self::chars::Unit;
pub(crate) use self::chars::{is_han, is_word_byte};
pub(crate) use self::offsets::Folded;

/// Reusable buffers for folding: the folded text, its byte map, and the unit buffer.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    units: Vec<Unit>,
    /// The fast path's pending separator run.
    gap: Vec<Unit>,
    candidate: String,
    pub(crate) folded: Folded,
}

impl Scratch {
    /// Releases memory kept from an unusually long text, so per-thread buffers stay small.
    pub(crate) fn trim(&mut self) {
        const KEEP: usize = 1 << 16;
        if self.units.capacity() > KEEP {
            self.units = Vec::with_capacity(KEEP);
        }
        if self.gap.capacity() > KEEP {
            self.gap = Vec::new();
        }
        if self.folded.text.capacity() > 4 * KEEP || self.folded.runs.capacity() > KEEP {
            self.folded = Folded::default();
        }
    }
}

/// The largest text folded in one piece; longer texts are folded in pieces by the caller.
pub(crate) const MAX_PIECE: usize = 1 << 20;

/// How much of the text is folded before matching.
///
/// # Example
///
/// ```
/// use redflag::{Detector, Folding};
///
/// let basic = Detector::builder().folding(Folding::Basic).build()?;
/// // Basic folding still sees full-width and upper-case letters …
/// assert!(!basic.scan("加我ＷＥＣＨＡＴ：lily_88").findings().is_empty());
/// // … but not letters spelled out with separators, which full folding joins.
/// assert!(basic.scan("加我 w.e.c.h.a.t: lily_88").findings().is_empty());
/// assert!(!Detector::new().scan("加我 w.e.c.h.a.t: lily_88").findings().is_empty());
/// # Ok::<(), redflag::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Folding {
    /// Everything: case, compatibility forms, traditional → simplified, look-alike letters, separators inside
    /// spelled-out words, leetspeak, number forms, repeated letters.
    #[default]
    Full,
    /// Only case, compatibility forms (full-width, circled, mathematical) and invisible characters: for
    /// comparison, or when the text is known to be clean.
    Basic,
}

/// The vocabulary: each word with its rank by use (0 for the word the rules use most often), which decides
/// between words a masked letter fits.
pub(crate) type Vocab = HashMap<Box<str>, u32>;

/// Folds text. Holds the vocabulary that leetspeak and repeated letters may resolve to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Folder {
    vocab: Vocab,
    /// The vocabulary with runs of a repeated letter written once (`coffee` → `cofe`): a token with only repeated
    /// letters to resolve can only reach a word whose skeleton is its own.
    skeletons: HashSet<Box<str>>,
    mode: Folding,
}

impl Folder {
    /// A folder whose leet resolution targets the given words (ASCII, any case; shorter than 3 letters ignored).
    #[cfg(test)]
    pub(crate) fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Folder {
        Folder::with_mode(words, Folding::Full)
    }

    /// A folder with the given mode.
    pub(crate) fn with_mode<'a>(words: impl IntoIterator<Item = &'a str>, mode: Folding) -> Folder {
        let (vocab, skeletons) = leet::vocabulary(words);
        Folder { vocab, skeletons, mode }
    }

    /// A full folder from a vocabulary (most used first) and its skeletons as [`Folder::words`] lists them (a
    /// stored snapshot).
    pub(crate) fn from_words(vocab: Vec<Box<str>>, skeletons: Vec<Box<str>>) -> Folder {
        Folder {
            vocab: vocab.into_iter().zip(0..).collect(),
            skeletons: skeletons.into_iter().collect(),
            mode: Folding::Full,
        }
    }

    /// The vocabulary by rank (most used first) and its skeletons sorted, so that a snapshot of them is the same
    /// bytes every time.
    #[cfg(test)]
    pub(crate) fn words(&self) -> (Vec<&str>, Vec<&str>) {
        let mut vocab: Vec<(&str, u32)> = self.vocab.iter().map(|(w, &r)| (&**w, r)).collect();
        vocab.sort_unstable_by_key(|&(_, r)| r);
        let mut skeletons: Vec<&str> = self.skeletons.iter().map(|w| &**w).collect();
        skeletons.sort_unstable();
        (vocab.into_iter().map(|(w, _)| w).collect(), skeletons)
    }

    /// Folds `text` into a new [`Folded`] (convenience for keywords and tests).
    pub(crate) fn fold(&self, text: &str) -> Folded {
        let mut scratch = Scratch::default();
        self.fold_into(text, &mut scratch);
        scratch.folded
    }

    /// Folds `text` (at most [`MAX_PIECE`] bytes) into `scratch.folded`.
    pub(crate) fn fold_into(&self, text: &str, scratch: &mut Scratch) {
        debug_assert!(text.len() <= u32::MAX as usize);
        let full = self.mode == Folding::Full;
        if full && text.is_ascii() && self.ascii_unchanged(text, scratch) {
            scratch.folded.clear();
            scratch.folded.push_ascii(text, 0);
            return;
        }
        if full && self.fold_fast(text, scratch) {
            return;
        }
        self.fold_slow(text, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn folder() -> Folder {
        Folder::new([
            "wechat",
            "whatsapp",
            "telegram",
            "pay",
            "personal",
            "apple",
            "alibaba",
            "direct",
            "invoice",
            "account",
            "nike",
            "adidas",
            "logo",
            "original",
            "skype",
            "close",
            "dispute",
            "receipt",
            "confirm",
            "maintenance",
            "temporary",
            "paypal",
        ])
    }

    macro_rules! t {
        ($name:ident, $input:expr, $expected:expr) => {
            #[test]
            fn $name() {
                let f = folder().fold($input);
                assert_eq!(f.text, $expected, "folding {:?}", $input);
                assert_eq!(f.text.len(), f.bytes.len());
            }
        };
    }

    t!(fold010_ascii_lower, "Add me on WeChat", "add me on wechat");
    t!(fold020_fullwidth, "ｗｅｃｈａｔ：ＡＢＣ１２３", "wechat:abc123");
    t!(fold030_zero_width, "we\u{200b}ch\u{200d}at", "wechat");
    t!(fold040_traditional, "請轉帳到我的個人帳戶", "请转账到我的个人账户");
    t!(fold050_cyrillic_in_latin_word, "wеchat", "wechat");
    t!(fold060_cyrillic_word_kept, "привет мир", "привет мир");
    t!(fold070_greek_omicron, "Western Uniοn", "western union");
    t!(fold080_han_spaces, "微 信 号", "微信号");
    t!(fold090_han_emoji_infix, "微❤️信", "微信");
    t!(fold100_han_dots, "私.下.付.款", "私下付款");
    t!(fold110_han_hyphens, "退-款取-消", "退款取消");
    t!(fold120_spelled_latin, "w e c h a t: kevin", "wechat: kevin");
    t!(fold130_spelled_dots, "W.h.a.t.s.a.p.p me", "whatsapp me");
    t!(fold140_two_letters_punct, "W-U to me", "wu to me");
    t!(fold150_two_letters_space_kept, "a b", "a b");
    t!(
        fold152_spelled_words_keep_wider_gaps,
        "p a y p a l   f r i e n d s",
        "paypal friends"
    );
    t!(fold154_spelled_words_other_separator, "P.a.y.P.a.l F&F", "paypal f&f");
    t!(fold160_spelled_digits, "1 3 5 8 8 2 0", "1358820");
    t!(fold170_circled_digits, "①③⑨②⑧", "13928");
    t!(fold180_parenthesised_digit, "⑴⑵", "12");
    t!(fold190_chinese_numerals, "一三九 二二八七", "139 2287");
    t!(fold200_chinese_numerals_short_kept, "一三个", "一三个");
    t!(fold210_leet_at, "Wh@tsApp me", "whatsapp me");
    t!(fold220_leet_digit, "w3chat", "wechat");
    t!(fold230_leet_one_as_l, "App1e logo", "apple logo");
    t!(fold240_leet_one_as_i, "p@y d1rect", "pay direct");
    t!(fold250_upper_i_as_l, "aIibaba", "alibaba");
    t!(fold260_model_number_kept, "SZ2207 A4 3pcs", "sz2207 a4 3pcs");
    t!(fold270_repeated_letters, "wechaaat", "wechat");
    t!(fold280_double_letters_kept, "whatsapp coffee", "whatsapp coffee");
    t!(fold290_dollar_leading, "$kype", "skype");
    t!(fold300_spaces_collapse, "ab  \t cd", "ab cd");
    t!(fold305_spaces_between_lone_letters_kept, "a  b", "a  b");
    t!(fold310_math_bold, "𝐰𝐞𝐜𝐡𝐚𝐭", "wechat");
    t!(fold320_ligature, "ﬁne", "fine");
    t!(fold330_curly_quote, "don’t", "don't");
    t!(fold340_cyrillic_paypal, "РаyРаl", "paypal");
    t!(fold350_newline_kept, "a\nb", "a\nb");
    t!(fold360_accents, "café", "cafe");
    t!(fold370_hangul_kept, "안녕", "안녕");
    t!(fold380_kana_kept, "が", "が");
    t!(fold390_parenthesised_letters, "⒲⒠⒞⒣⒜⒯", "wechat");
    t!(fold400_negative_circled_letters, "🅦🅔🅒🅗🅐🅣", "wechat");
    t!(fold410_dingbat_digits, "❶➂➑⓿", "1380");
    t!(fold420_financial_numerals, "壹叁捌贰贰", "13822");
    t!(fold430_lone_letter_and_han, "加 v 信", "加v信");
    t!(fold440_lone_letter_emoji_han, "V❤信", "v信");
    t!(fold450_word_next_to_han_kept_apart, "加 wechat 吧", "加 wechat 吧");
    t!(fold460_pipe_separator, "w|e|c|h|a|t 微|信", "wechat 微信");
    t!(fold470_emoji_inside_word, "we🔥chat", "wechat");
    t!(fold480_small_capitals, "ᴡᴇᴄʜᴀᴛ", "wechat");
    t!(
        fold490_wide_stop_inside_a_name,
        "加 wa。me/86 或 zf-cashier。cc",
        "加 wa.me/86 或 zf-cashier.cc"
    );
    t!(
        fold500_wide_stop_after_a_sentence_kept,
        "好的。ok。明天发",
        "好的。ok。明天发"
    );
    t!(
        fold510_article_before_spelled_word,
        "pay a p e r s o n a l fee",
        "pay a personal fee"
    );
    t!(
        fold512_pronoun_before_spelled_word,
        "can I c o n f i r m it",
        "can i confirm it"
    );
    t!(
        fold514_article_after_spelled_word,
        "c l o s e a dispute",
        "close a dispute"
    );
    t!(
        fold516_contraction_before_spelled_word,
        "don't c l o s e it",
        "don't close it"
    );
    t!(
        fold517_number_before_spelled_word,
        "within 2 c l o s e",
        "within 2 close"
    );
    t!(fold518_spelled_word_starting_with_a, "my a c c o u n t", "my account");
    t!(fold530_star_masked_letter, "add my wh*tsapp", "add my whatsapp");
    t!(fold532_two_star_masked_letters, "p**pal f&f", "paypal f&f");
    t!(fold534_star_pushed_into_a_word, "we*chat me", "wechat me");
    t!(fold536_star_masked_upper_case, "TELE*RAM", "telegram");
    t!(
        fold538_star_between_numbers_kept,
        "5*10 pcs, 20*30 cm",
        "5*10 pcs, 20*30 cm"
    );
    t!(
        fold540_star_emphasis_kept,
        "**note** the *new* price",
        "**note** the *new* price"
    );
    t!(fold544_star_unknown_word_kept, "size*large", "size*large");
    t!(
        fold520_unknown_spelled_word_joined_whole,
        "a l i c e here",
        "alice here"
    );

    /// A mask that several vocabulary words fit is read as the word the rules use most.
    #[test]
    fn star_mask_reads_as_the_most_used_word() {
        let f = Folder::new(["close", "dispute", "close", "clone"]);
        assert_eq!(f.fold("clo*e the dispute").text, "close the dispute");
        let f = Folder::new(["clone", "clone", "close"]);
        assert_eq!(f.fold("clo*e").text, "clone");
    }

    #[test]
    fn folding_is_idempotent_on_examples() {
        for s in [
            "微 信",
            "w e c h a t",
            "ｗｅｃｈａｔ",
            "一三九 二二八七 六六五四",
            "p@y d1rect",
            "請轉帳",
        ] {
            let once = folder().fold(s).text;
            assert_eq!(folder().fold(&once).text, once, "{s:?}");
        }
    }
}
