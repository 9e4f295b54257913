//! Every shipped rule file loads through the public loader and passes its own examples; malformed files fail
//! with errors that name the file, line and rule.

use std::path::PathBuf;

use redflag::{Category, Detector, Ruleset};

use crate::root;

/// The `*.toml` files of a data directory, sorted.
fn toml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn rule_files() -> Vec<PathBuf> {
    toml_files("data/rules")
}

#[test]
fn shipped_files_load_through_the_public_loader_and_are_the_builtin_set() {
    let mut set = Ruleset::new();
    for f in rule_files() {
        if let Err(e) = set.add_file(&f) {
            panic!("{e}");
        }
    }
    let mut on_disk: Vec<&str> = set.rules().iter().map(|r| r.id()).collect();
    let builtin = Ruleset::builtin();
    let mut embedded: Vec<&str> = builtin.rules().iter().map(|r| r.id()).collect();
    on_disk.sort_unstable();
    embedded.sort_unstable();
    assert_eq!(
        on_disk, embedded,
        "every file in data/rules must be embedded (src/rules.rs BUILTIN)"
    );
    assert_eq!(rule_files().len(), Category::ALL.len(), "one file per category");
}

#[test]
fn every_rule_passes_its_examples() {
    if let Err(failures) = Detector::new().check_examples() {
        panic!("{failures}");
    }
}

#[test]
fn every_category_has_rules_and_every_rule_is_described() {
    let set = Ruleset::builtin();
    for c in Category::ALL {
        let n = set.rules().iter().filter(|r| r.category() == c).count();
        assert!(n >= 3, "{c}: only {n} rules");
    }
    let undocumented: Vec<&str> = set
        .rules()
        .iter()
        .filter(|r| r.description().is_none_or(str::is_empty))
        .map(|r| r.id())
        .collect();
    assert!(undocumented.is_empty(), "rules without a description: {undocumented:?}");
    let thin: Vec<&str> = set
        .rules()
        .iter()
        .filter(|r| r.examples_match().len() < 2 || r.examples_ignore().len() < 2)
        .map(|r| r.id())
        .collect();
    assert!(thin.is_empty(), "rules with fewer than 2+2 examples: {thin:?}");
}

#[test]
fn each_file_holds_only_its_own_category() {
    for f in rule_files() {
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let mut set = Ruleset::new();
        set.add_file(&f).unwrap_or_else(|e| panic!("{e}"));
        for r in set.rules() {
            assert_eq!(r.category().as_str(), stem, "{} in {}", r.id(), f.display());
        }
    }
}

#[test]
fn invalid_rule_files_fail_with_located_errors() {
    let dir = root().join("tests/rules_invalid");
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} must start with `# expect: <message>`", path.display()));
        let name = format!("tests/rules_invalid/{}", path.file_name().unwrap().to_string_lossy());
        let result = Detector::builder()
            .builtin_rules(false)
            .add_rules_toml_named(&name, &text)
            .and_then(|b| b.build());
        match result {
            Ok(_) => failures.push(format!("{name}: loaded, expected an error containing {expect:?}")),
            Err(e) => {
                let msg = e.to_string();
                let want = format!("{name}{expect}");
                if !msg.starts_with(&name) || !msg.contains(&want) {
                    failures.push(format!("{name}: got {msg:?}, want it to contain {want:?}"));
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} invalid fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn user_rules_add_to_and_replace_builtin_rules() {
    let extra = r#"
[[rule]]
id = "off_platform_payment.gift_cards"
category = "off_platform_payment"
severity = "high"
description = "Pay with gift cards"
keywords = ["gift card", "gift cards"]
pattern = '''(?:pay|send|buy)\s.{0,30}gift\s*cards?'''
examples.match = ["pay with Apple gift cards", "send me steam gift cards"]
examples.ignore = ["we include a gift card in the box", "gift cards are sold at the checkout"]
"#;
    let d = Detector::builder().add_rules_toml(extra).unwrap().build().unwrap();
    assert!(d.scan("please pay the balance with iTunes gift cards").is_alert());
    assert!(d.rules().rules().len() > Ruleset::builtin().rules().len());

    // Same id as a built-in rule: the user's version replaces it.
    let first = Ruleset::builtin().rules()[0].clone();
    let replaced = format!(
        "[[rule]]\nid = \"{}\"\ncategory = \"{}\"\nseverity = \"low\"\nkeywords = [\"zzzunlikelyword\"]\n",
        first.id(),
        first.category()
    );
    let d = Detector::builder().add_rules_toml(&replaced).unwrap().build().unwrap();
    assert_eq!(d.rules().rules().len(), Ruleset::builtin().rules().len());
    let r = d.rules().rules().iter().find(|r| r.id() == first.id()).unwrap();
    assert_eq!(r.keywords().collect::<Vec<_>>(), ["zzzunlikelyword"]);
}

#[test]
fn check_examples_reports_user_rule_failures() {
    let toml = r#"
[[rule]]
id = "urgency.tonight"
category = "urgency"
severity = "low"
keywords = ["tonight"]
examples.match = ["pay tonight", "offer ends tomorrow"]
examples.ignore = ["see you tonight"]
"#;
    let mut set = Ruleset::new();
    set.add_toml("mine.toml", toml).unwrap();
    let err = set.check_examples().unwrap_err().to_string();
    assert!(err.contains("does not match \"offer ends tomorrow\""), "{err}");
    assert!(err.contains("matches ignore example \"see you tonight\""), "{err}");
    assert!(err.contains("needs at least two examples.ignore"), "{err}");
    assert!(err.contains("mine.toml:3"), "{err}");
}

#[test]
fn atoms_any_and_sentence_scope() {
    let toml = r#"
[atoms]
cheap = '''cheaper|discount|便宜'''

[[rule]]
id = "tax_invoice_pretext.test_composite"
category = "tax_invoice_pretext"
severity = "medium"
description = "test"
keywords = ["invoice", "发票"]
all = ['''(?:no|without)\s+invoice|不开发票''']
any = ["@cheap", '''save\s+tax''']
scope = "sentence"
window_words = 12
"#;
    let d = Detector::builder()
        .builtin_rules(false)
        .add_rules_toml(toml)
        .unwrap()
        .build()
        .unwrap();
    let fired = |t: &str| {
        d.scan(t)
            .findings()
            .iter()
            .any(|f| f.rule_id() == "tax_invoice_pretext.test_composite")
    };
    assert!(fired("without invoice it is cheaper for you"));
    assert!(fired("no invoice and you save tax"));
    assert!(fired("不开发票的话便宜"));
    assert!(
        !fired("without invoice. A discount applies to orders above 500 pcs"),
        "other sentence"
    );
    assert!(!fired("without invoice the goods ship on Monday from our Ningbo warehouse and the bill of lading follows, discount"), "beyond 12 words");
}

fn lexicon_files() -> Vec<PathBuf> {
    toml_files("data/lexicons")
}

/// The shape the issue set for the rule data: concepts in lists, little hand-written regex, no pasted vetoes.
#[test]
fn rule_data_is_lexicons_and_compositions() {
    let builtin = Ruleset::builtin();
    // Every lexicon file on disk is embedded, and there are lists enough to compose from.
    let mut on_disk = Vec::new();
    for f in lexicon_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        on_disk.extend(table.keys().cloned());
    }
    let mut embedded: Vec<String> = builtin.lexicons().iter().map(|l| l.name().to_string()).collect();
    on_disk.sort();
    embedded.sort();
    assert_eq!(
        on_disk, embedded,
        "every file in data/lexicons must be embedded (src/lexicon.rs BUILTIN)"
    );
    assert!(embedded.len() >= 20, "only {} lexicons", embedded.len());

    // Hand-written regex: under 40 KB in all, none over 600 characters; every built-in rule composed from
    // concepts, with no per-rule veto regex (`unless`) and no allowlist of its own.
    let mut total = 0;
    for f in rule_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        let table: toml::Table = toml::from_str(&text).unwrap();
        assert!(
            !table.contains_key("atoms"),
            "{}: regex atoms instead of lexicons",
            f.display()
        );
        for rule in table.get("rule").and_then(|r| r.as_array()).into_iter().flatten() {
            let id = rule.get("id").and_then(|v| v.as_str()).unwrap_or("?");
            if let Some(p) = rule.get("pattern").and_then(|v| v.as_str()) {
                let n = p.chars().count();
                assert!(n <= 600, "{id}: pattern of {n} characters (limit 600)");
                total += p.len();
            }
            for field in ["unless", "allow", "keywords"] {
                assert!(
                    rule.get(field).is_none(),
                    "{id}: `{field}` in a built-in rule (use lexicons and context)"
                );
            }
        }
    }
    assert!(
        total < 40 * 1024,
        "{total} bytes of hand-written regex in data/rules (limit 40 KB)"
    );
    for r in builtin.rules() {
        assert!(r.keywords().len() == 0, "{}: keywords instead of concepts", r.id());
    }
}

#[test]
fn user_rules_compose_builtin_lexicons_with_their_own() {
    let mine = r#"
[lexicons.gift_card]
description = "Gift and prepaid cards used as payment"
terms = ["gift card*", "steam card*", "itunes card*", "礼品卡", "充值卡"]

[[rule]]
id = "off_platform_payment.gift_cards"
category = "off_platform_payment"
severity = "high"
description = "Asks for payment in gift cards"
all = ["{pay_verb}", "{gift_card}"]
within = "clause"
examples.match = ["pay the balance with itunes cards", "尾款用礼品卡支付"]
examples.ignore = ["a gift card is in the box", "never pay with gift cards"]
"#;
    let d = Detector::builder().add_rules_toml(mine).unwrap().build().unwrap();
    d.check_examples().unwrap_or_else(|e| panic!("{e}"));
    assert!(d.scan("please pay with Steam cards, it is faster").is_alert());
    // The shared context applies to users' rules too.
    assert!(!d
        .scan("Beware: sellers who ask you to pay with gift cards are scammers")
        .is_alert());
}

/// A pretext buried in friendly text is still found: every rule's `examples.match` line, with an everyday
/// sentence of a supplier chat before or after it, still yields a finding of the rule's category. Guards the
/// `none` vetoes against bare words ("unchanged", 照旧, "is done", "sample"), which cancel a rule whenever the
/// rest of the message mentions anything of the kind. A sign-off is only put after the line (a request after a
/// sign-off is a signature block's contact line, dropped by design).
#[test]
fn examples_survive_everyday_side_sentences() {
    const EN: &[&str] = &[
        "Thanks for your patience.",
        "The price is unchanged.",
        "The sample is done and QC passed.",
        "Let me know if you have any questions.",
        "Our factory passed the BSCI audit last year.",
        "The packing is the same as last time.",
        "Hope you are well.",
        "Delivery time stays the same.",
        "If there is any problem, contact me anytime.",
        "Everything else is as usual.",
        "Sorry for the late reply.",
    ];
    const ZH: &[&str] = &[
        "地址照旧。",
        "价格不变。",
        "样品已经做好了，质检也通过了。",
        "有问题随时联系我。",
        "包装和上次一样。",
        "祝您生活愉快！",
        "交期不变。",
        "其他都照常。",
        "不好意思回复晚了。",
    ];
    let (total, lost) = match_variants(|line| {
        let zh = line.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count() > 3;
        let sides = if zh { ZH } else { EN };
        sides
            .iter()
            .flat_map(|side| [format!("{line} {side}"), format!("{side} {line}")])
            .collect()
    });
    assert!(total > 2000, "only {total} variants");
    // A few rules read a side sentence as part of their scope on purpose (a resolved state, a relaxed tone);
    // the budget holds the rest at what it is and catches a bare veto word added again.
    let budget = total / 100;
    if std::env::var_os("REDFLAG_LIST").is_some() {
        eprintln!("{}", lost.join("\n"));
    }
    eprintln!("side sentences: {} of {total} variants lose their category", lost.len());
    assert_within_budget(total, &lost, budget);
}

/// Folding absorbs the surface of a message: every rule's `examples.match` line written in capitals, in
/// full-width letters, with Chinese punctuation (`wa。me`), with emoji, doubled spaces, a greeting in front, its
/// articles or apostrophes dropped or `u` / `ur` for `you` / `your` still yields a finding of the rule's category.
/// Every rule's match examples with one English word at a time spelled out (`s e c u r i t y`, `d.e.p.o.s.i.t`,
/// `W-h-a-t-s-A-p-p`) and with the Chinese spaced or dotted character by character (`V 信 转 我`) keep their
/// category. The spelled word often sits beside a one-letter word (`a s e c u r i t y deposit`, `can I h a v e`,
/// `don't e x t e n d`, `2 h o u r s`), which folding must not join into it.
#[test]
fn examples_survive_spelled_out_words() {
    fn is_han(c: char) -> bool {
        ('\u{4e00}'..='\u{9fff}').contains(&c)
    }
    fn between_han(t: &str, sep: char) -> String {
        let mut out = String::new();
        let mut prev = None;
        for c in t.chars() {
            if prev.is_some_and(is_han) && is_han(c) {
                out.push(sep);
            }
            out.push(c);
            prev = Some(c);
        }
        out
    }
    let (total, lost) = match_variants(|line| {
        let mut out = each_word_replaced(line, |w| {
            if w.len() < 4 || !w.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Vec::new();
            }
            let spelled: Vec<String> = w.chars().map(String::from).collect();
            [" ", ".", "-"].iter().map(|sep| spelled.join(sep)).collect()
        });
        if line.chars().any(is_han) {
            out.push(between_han(line, ' '));
            out.push(between_han(line, '.'));
        }
        out
    });
    assert!(total > 5000, "only {total} variants");
    assert_within_budget(total, &lost, total / 500);
}

/// Every rule's match examples with one letter of one English word at a time masked with `*` (`wh*tsapp`,
/// `dep*sit`, `acc*unt`), as chat does to slip past a platform's word filter, keep their category: folding reads a
/// mask as the one vocabulary word it fits.
#[test]
fn examples_survive_star_masked_letters() {
    let (total, lost) = match_variants(|line| {
        each_word_replaced(line, |w| {
            if w.len() < 5 || !w.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Vec::new();
            }
            [1, w.len() / 2, w.len() - 2]
                .iter()
                .map(|&at| format!("{}*{}", &w[..at], &w[at + 1..]))
                .collect()
        })
    });
    assert!(total > 3000, "only {total} variants");
    assert_within_budget(total, &lost, total / 200);
}

/// Every rule's Chinese match examples with one character of the scam vocabulary at a time written as its pinyin
/// syllable (also with spaces around it) or initial, as chat does to slip past a platform's word filter (`转zhang`,
/// `私 hu`, `不开p`), keep their category. The characters here are a sample picked by hand, not the engine's table.
#[test]
fn examples_survive_characters_in_pinyin() {
    const SAMPLE: &[(char, &str)] = &[
        ('转', "zhuan"),
        ('账', "zhang"),
        ('款', "kuan"),
        ('付', "fu"),
        ('私', "si"),
        ('户', "hu"),
        ('票', "piao"),
        ('税', "shui"),
        ('微', "wei"),
        ('信', "xin"),
        ('链', "lian"),
        ('退', "tui"),
        ('冻', "dong"),
        ('仿', "fang"),
        ('牌', "pai"),
        ('钱', "qian"),
    ];
    let (total, lost) = match_variants(|line| {
        let mut out = Vec::new();
        for (i, c) in line.char_indices() {
            let Some(&(_, syllable)) = SAMPLE.iter().find(|&&(h, _)| h == c) else {
                continue;
            };
            let spaced = format!(" {syllable} ");
            for written in [syllable, &syllable[..1], &spaced] {
                out.push(format!("{}{written}{}", &line[..i], &line[i + c.len_utf8()..]));
            }
        }
        out
    });
    assert!(total > 1000, "only {total} variants");
    // What is left is mostly pinyin glued to a number or a Latin word (`zhuan3000u`, `品pailogo`), where the
    // boundary of the Latin edge rightly holds. Without the pinyin forms about a third is lost.
    assert_within_budget(total, &lost, total * 3 / 100);
}

/// Every rule's match examples with one English noun of the scam vocabulary switched between singular and plural
/// keep their category: the core lexicons say `inflect = true`, so a term written with `account` also hits
/// `accounts`. The words here are a sample picked by hand, not the engine's tables.
#[test]
fn examples_survive_singular_and_plural() {
    const SAMPLE: &[(&str, &str)] = &[
        ("account", "accounts"),
        ("card", "cards"),
        ("fee", "fees"),
        ("invoice", "invoices"),
        ("payment", "payments"),
        ("logo", "logos"),
        ("deposit", "deposits"),
        ("refund", "refunds"),
        ("receipt", "receipts"),
        ("charge", "charges"),
        ("discount", "discounts"),
        ("bag", "bags"),
    ];
    let (total, lost) = match_variants(|line| {
        each_word_replaced(line, |w| {
            SAMPLE
                .iter()
                .filter_map(|&(a, b)| {
                    let other = if w == a {
                        b
                    } else if w == b {
                        a
                    } else {
                        return None;
                    };
                    Some(other.to_string())
                })
                .collect()
        })
    });
    assert!(total > 150, "only {total} variants");
    // What is left: the gateway's subject lists, which stay singular on purpose ("different accounts" is a
    // user's many logins, not a changed payee), and plurals that only break the grammar ("a security deposits").
    assert_within_budget(total, &lost, total / 20);
}

/// Every rule's examples with one English contraction spelled out, or one spelled-out pair contracted (`can't` ↔
/// `cannot`, `don't` ↔ `do not`, `it's` ↔ `it is`), keep what they do: a match keeps its category and an ignore
/// keeps its rule silent, because every lexicon term also hits its other spelling. The pairs here are a sample picked
/// by hand, not the engine's table.
#[test]
fn examples_survive_contractions_either_way() {
    const PAIRS: &[(&str, &str)] = &[
        ("can't", "cannot"),
        ("can't", "can not"),
        ("don't", "do not"),
        ("won't", "will not"),
        ("doesn't", "does not"),
        ("isn't", "is not"),
        ("it's", "it is"),
        ("we're", "we are"),
        ("i'm", "i am"),
        ("we'll", "we will"),
    ];
    let d = Detector::new();
    let (mut total, mut lost) = (0, Vec::new());
    for rule in Ruleset::builtin().rules() {
        for (line, must) in rule
            .examples_match()
            .iter()
            .map(|l| (l, true))
            .chain(rule.examples_ignore().iter().map(|l| (l, false)))
        {
            let lower = line.to_lowercase();
            for &(a, b) in PAIRS {
                for (from, to) in [(a, b), (b, a)] {
                    let Some(at) = lower.find(&format!("{from} ")) else {
                        continue;
                    };
                    let starts_word = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphabetic();
                    if !starts_word || !line.is_char_boundary(at) || !line.is_char_boundary(at + from.len()) {
                        continue;
                    }
                    let text = format!("{}{to}{}", &line[..at], &line[at + from.len()..]);
                    total += 1;
                    // As in the examples' own check: a match keeps the category, an ignore keeps the rule silent.
                    let report = d.scan(&text);
                    let found = if must {
                        report.findings().iter().any(|x| x.category() == rule.category())
                    } else {
                        report.findings().iter().any(|x| x.rule_id() == rule.id())
                    };
                    if found != must {
                        lost.push(format!(
                            "{} ({}): {text}",
                            rule.id(),
                            if must { "match" } else { "ignore" }
                        ));
                    }
                }
            }
        }
    }
    assert!(total > 100, "only {total} variants");
    assert_within_budget(total, &lost, 0);
}

#[test]
fn examples_survive_surface_variation() {
    fn fullwidth(t: &str) -> String {
        t.chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                ' ' => '\u{3000}',
                c => c,
            })
            .collect()
    }
    fn chinese_punct(t: &str) -> String {
        t.chars()
            .map(|c| match c {
                ',' => '，',
                '.' => '。',
                '?' => '？',
                '!' => '！',
                c => c,
            })
            .collect()
    }
    type Variant = (&'static str, fn(&str) -> String);
    let variants: &[Variant] = &[
        ("upper", |t| t.to_uppercase()),
        ("fullwidth", fullwidth),
        ("chinese punctuation", chinese_punct),
        ("exclamations", |t| format!("{}!!!", t.trim_end_matches(['.', '。']))),
        ("emoji after", |t| format!("{t} 🙏🙏")),
        ("emoji before", |t| format!("😊 {t}")),
        ("double spaces", |t| t.replace(' ', "  ")),
        ("greeting", |t| format!("Dear friend, {t}")),
        ("no articles", |t| {
            t.split(' ')
                .filter(|w| !matches!(w.to_ascii_lowercase().as_str(), "the" | "a" | "an"))
                .collect::<Vec<_>>()
                .join(" ")
        }),
        ("no apostrophes", |t| t.replace(['\'', '’'], "")),
        ("u for you", |t| {
            t.split(' ')
                .map(|w| match w {
                    "you" => "u",
                    "your" => "ur",
                    w => w,
                })
                .collect::<Vec<_>>()
                .join(" ")
        }),
    ];
    let d = Detector::new();
    let (mut total, mut lost) = (0, Vec::new());
    for rule in Ruleset::builtin().rules() {
        for line in rule.examples_match() {
            for (name, f) in variants {
                total += 1;
                let text = f(line);
                if !d.scan(&text).findings().iter().any(|x| x.category() == rule.category()) {
                    lost.push(format!("{} ({name}): {text}", rule.id()));
                }
            }
        }
    }
    assert!(total > 4000, "only {total} variants");
    assert_within_budget(total, &lost, total / 500);
}

/// Fails, listing them, when more than `budget` of `total` evasion variants lost their rule's category.
/// Scans the variants that `variants` makes of every built-in rule's match examples: how many there were, and
/// those that lost the rule's category.
fn match_variants(variants: impl Fn(&str) -> Vec<String>) -> (usize, Vec<String>) {
    let d = Detector::new();
    let (mut total, mut lost) = (0, Vec::new());
    for rule in Ruleset::builtin().rules() {
        for line in rule.examples_match() {
            for text in variants(line) {
                total += 1;
                if !d.scan(&text).findings().iter().any(|x| x.category() == rule.category()) {
                    lost.push(format!("{}: {text}", rule.id()));
                }
            }
        }
    }
    (total, lost)
}

/// `words` joined by spaces with word `k` replaced by `with`.
/// `line` with one space-separated word at a time replaced by each of `replacements(word)`.
fn each_word_replaced(line: &str, replacements: impl Fn(&str) -> Vec<String>) -> Vec<String> {
    let words: Vec<&str> = line.split(' ').collect();
    let mut out = Vec::new();
    for (k, w) in words.iter().enumerate() {
        out.extend(replacements(w).iter().map(|r| with_word(&words, k, r)));
    }
    out
}

fn with_word(words: &[&str], k: usize, with: &str) -> String {
    let mut v = words.to_vec();
    v[k] = with;
    v.join(" ")
}

fn assert_within_budget(total: usize, lost: &[String], budget: usize) {
    assert!(
        lost.len() <= budget,
        "{} of {total} variants lose their category (budget {budget}):\n{}",
        lost.len(),
        lost.join("\n")
    );
}
