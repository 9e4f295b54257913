//! English inflection of the scam vocabulary's verbs and nouns, for lexicon terms: [`crate::forms`] uses it so that
//! a lexicon that lists `pay to my account` also hits `paying to my account` and `pay to my accounts`, the way it
//! already hits the term without its inner article. Real messages choose number and aspect freely; a term that
//! fixes them memorises one wording.
//!
//! Only the words of two closed tables below are inflected (content verbs and nouns of the pretexts: paying,
//! sending, accounts, fees …), never function words, and one word of a term at a time, so that a term gains a few
//! forms and not their product. A verb is inflected only from its base form, and only into its third person and
//! `-ing` form (`pay` → `pays`, `paying`): a past form turns a request into a report (`transfer to my friend`, a
//! scam; `transferred to my friend`, a bank customer's question), and a past form written in a term (`already
//! paid`) is there because the tense matters. A noun goes both ways (`account` ↔ `accounts`).
//!
//! Only lexicons that say `inflect = true` get these forms: where number or aspect changes what a term means
//! (`a different account` is not `different accounts`; `use my` is not `someone is using my`), a lexicon leaves
//! it off.

/// Verbs whose base form, in a term, also stands for its third person and `-ing` form (a doubled final consonant
/// for the verbs in [`DOUBLING`]).
const VERBS: &[&str] = &[
    "accept", "activate", "add", "allow", "apply", "approve", "arrange", "arrive", "ask", "attach", "avoid", "become",
    "block", "book", "break", "bring", "buy", "call", "cancel", "change", "charge", "chat", "check", "choose", "claim",
    "clear", "click", "close", "collect", "come", "complete", "confirm", "contact", "copy", "cover", "cut", "declare",
    "delay", "deliver", "deposit", "do", "download", "drop", "expire", "fail", "fill", "find", "follow", "freeze",
    "get", "give", "go", "help", "hold", "import", "install", "issue", "join", "keep", "leave", "limit", "lock",
    "lose", "make", "message", "move", "need", "open", "order", "pass", "pay", "pick", "print", "process", "provide",
    "put", "reach", "receive", "record", "reduce", "refund", "register", "reject", "release", "remit", "remove",
    "renew", "reopen", "report", "request", "require", "resend", "restrict", "return", "review", "save", "say", "scan",
    "sell", "send", "settle", "ship", "show", "sign", "skip", "solve", "split", "stop", "submit", "suspend", "switch",
    "take", "talk", "tell", "text", "transfer", "unblock", "unfreeze", "unlock", "update", "upgrade", "upload", "use",
    "verify", "wait", "want", "wire", "withdraw", "write",
];

/// Verbs that double their final consonant before `-ing` (`ship` → `shipping`).
const DOUBLING: &[&str] = &[
    "chat", "drop", "remit", "scan", "ship", "skip", "stop", "submit", "transfer", "unblock",
];

/// Nouns whose singular and plural stand for each other. Regular plurals; the irregular ones are not listed.
const NOUNS: &[&str] = &[
    "account",
    "agent",
    "amount",
    "app",
    "bag",
    "bank",
    "bill",
    "box",
    "brand",
    "buyer",
    "card",
    "certificate",
    "charge",
    "code",
    "company",
    "contact",
    "copy",
    "cost",
    "customer",
    "day",
    "deposit",
    "detail",
    "discount",
    "dispute",
    "document",
    "duty",
    "email",
    "factory",
    "fee",
    "friend",
    "fund",
    "group",
    "hour",
    "invoice",
    "issue",
    "item",
    "label",
    "license",
    "link",
    "logo",
    "message",
    "minute",
    "number",
    "order",
    "package",
    "page",
    "parcel",
    "partner",
    "password",
    "payment",
    "photo",
    "picture",
    "platform",
    "point",
    "price",
    "problem",
    "product",
    "rebate",
    "receipt",
    "refund",
    "replica",
    "review",
    "sample",
    "seller",
    "shipment",
    "shoe",
    "shop",
    "site",
    "store",
    "supplier",
    "tag",
    "tax",
    "trademark",
    "transaction",
    "transfer",
    "wallet",
    "watch",
    "website",
    "week",
];

/// The other forms of one lowercase word, each once: a base verb's third person and `-ing` form; a noun's plural,
/// or a plural's singular. Empty for a word of neither table.
pub(crate) fn word_forms(w: &str) -> Vec<String> {
    let mut out = Vec::new();
    if VERBS.binary_search(&w).is_ok() {
        out.push(third_person(w));
        out.push(ing(w));
    }
    if NOUNS.binary_search(&w).is_ok() {
        out.push(plural(w));
    } else if let Some(singular) = singular(w) {
        out.push(singular);
    }
    out.retain(|f| f != w);
    // `refund` and `transfer` are nouns too: their plural is their third person.
    out.sort_unstable();
    out.dedup();
    out
}

fn consonant_y(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 2 && b[b.len() - 1] == b'y' && !b"aeiou".contains(&b[b.len() - 2])
}

fn sibilant(w: &str) -> bool {
    ["s", "x", "z", "ch", "sh"].iter().any(|e| w.ends_with(e))
}

/// The singular of a plural of a noun of the table.
fn singular(w: &str) -> Option<String> {
    let candidates = [
        w.strip_suffix("ies").map(|s| format!("{s}y")),
        w.strip_suffix("es").map(str::to_string),
        w.strip_suffix('s').map(str::to_string),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|n| NOUNS.binary_search(&n.as_str()).is_ok() && plural(n) == w)
}

/// A verb's third person: spelled as a plural, but for `do` and `go`.
fn third_person(w: &str) -> String {
    match w {
        "do" => "does".into(),
        "go" => "goes".into(),
        _ => plural(w),
    }
}

fn plural(w: &str) -> String {
    if consonant_y(w) {
        format!("{}ies", &w[..w.len() - 1])
    } else if sibilant(w) {
        format!("{w}es")
    } else {
        format!("{w}s")
    }
}

fn doubled(w: &str) -> String {
    let last = w.as_bytes()[w.len() - 1] as char;
    format!("{w}{last}")
}

fn ing(w: &str) -> String {
    if let Some(stem) = w.strip_suffix("ie") {
        format!("{stem}ying")
    } else if w.ends_with('e') && !w.ends_with("ee") && w.len() > 2 {
        format!("{}ing", &w[..w.len() - 1])
    } else if DOUBLING.contains(&w) {
        format!("{}ing", doubled(w))
    } else {
        format!("{w}ing")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_consistent() {
        // `binary_search` needs sorted tables; every irregular and doubling verb is a verb of the table.
        assert!(VERBS.windows(2).all(|w| w[0] < w[1]), "VERBS unsorted");
        assert!(NOUNS.windows(2).all(|w| w[0] < w[1]), "NOUNS unsorted");
        for &v in DOUBLING {
            assert!(VERBS.contains(&v), "{v} doubles but is not a verb of the table");
        }
    }

    #[test]
    fn words_inflect() {
        let table: &[(&str, &[&str])] = &[
            ("pay", &["pays", "paying"]),
            ("send", &["sends", "sending"]),
            ("transfer", &["transfers", "transferring"]),
            ("ship", &["ships", "shipping"]),
            ("release", &["releases", "releasing"]),
            ("verify", &["verifies", "verifying"]),
            ("freeze", &["freezes", "freezing"]),
            ("issue", &["issues", "issuing"]),
            ("account", &["accounts"]),
            ("accounts", &["account"]),
            ("company", &["companies"]),
            ("companies", &["company"]),
            ("tax", &["taxes"]),
            ("refund", &["refunds", "refunding"]),
            ("paid", &[]),
            ("received", &[]),
            ("the", &[]),
            ("微信", &[]),
        ];
        for &(word, want) in table {
            let mut want: Vec<&str> = want.to_vec();
            want.sort_unstable();
            assert_eq!(word_forms(word), want, "{word:?}");
        }
    }
}
