//! One named test per bug found.

use redflag::{Category, Detector};

fn categories(text: &str) -> Vec<Category> {
    Detector::new().scan(text).categories()
}

/// An upper-case `I` written for `l` merged with the following `i` and was never resolved (`aIibaba`).
#[test]
fn upper_i_before_i_resolves_to_l() {
    let text = "Pay on our secure page: https://aIibaba-order-pay.top/checkout";
    assert!(
        categories(text).contains(&Category::FakePaymentLink),
        "{:?}",
        categories(text)
    );
}

/// A keyword inside a longer Latin word must not hit (`wire` in `wireless`).
#[test]
fn keywords_respect_latin_word_boundaries() {
    assert!(categories("We sell wireless chargers, 5W and 10W models.").is_empty());
}

/// 原单号 ("original order number") is not 原单 ("original-order goods").
#[test]
fn original_order_number_is_not_a_counterfeit_hint() {
    assert!(categories("亲，麻烦把原单号发我一下，我帮您查物流").is_empty());
}

/// The look-alike check mapped `i` to `l`, so `hotmail.com` looked like it contained `tmall`.
#[test]
fn common_mail_domains_are_not_lookalike_links() {
    for text in [
        "hotmail.com",
        "my email is jo@hotmail.com",
        "send it to gmail.com or outlook.com",
    ] {
        let r = Detector::new().scan(text);
        assert!(
            !r.categories().contains(&Category::FakePaymentLink),
            "{text}: {:?}",
            r.findings()
        );
    }
}

/// Words that appear only in a shared atom were missing from the leetspeak vocabulary.
#[test]
fn atom_words_are_in_the_leet_vocabulary() {
    let toml = r#"
[atoms]
rare = '''zanzibarish\s+account'''

[[rule]]
id = "urgency.atom_vocab"
category = "urgency"
severity = "low"
keywords = ["account"]
all = ["@rare"]
"#;
    let d = Detector::builder()
        .builtin_rules(false)
        .add_rules_toml(toml)
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(d.scan("pay the z4nzibarish account").findings().len(), 1);
}
