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

/// Issue 16's examples: each pretext the per-phrase rules missed is caught, and each quoted, refused, explained or
/// warned-about pretext is not (one context stage, sentence by sentence).
#[test]
fn pretexts_made_are_caught_and_pretexts_quoted_are_not() {
    use redflag::{Category::*, Risk};
    let d = redflag::Detector::new();
    let made: &[(&str, redflag::Category, Risk)] = &[
        ("Our Alibaba account has been limited, so payment cannot go through, please pay via T/T to this account", GatewayMaintenancePretext, Risk::High),
        ("dear, my boss say this time you pay to our HK company account, the bank info is different from last time", OffPlatformPayment, Risk::High),
        ("Please confirm receipt on the app so we can get payment, the goods will reach you in 3 days", DisputePressure, Risk::High),
        ("Can you give me your whatsapp? i send you more pictures", ContactMove, Risk::Medium),
        ("亲，平台消息我经常看不到，您留个v，我拉您进群", ContactMove, Risk::Medium),
        // A warning in one sentence does not cancel the request in another.
        ("Dear Tom, thank you for your order. Please be careful of scams, we never change bank details by email. This time, because our company account is under annual audit, please send the deposit to our finance manager's personal account. Best regards, Lily", OffPlatformPayment, Risk::High),
    ];
    for &(text, category, risk) in made {
        let r = d.scan(text);
        assert!(r.categories().contains(&category), "{text:?}: {:?}", r.categories());
        assert!(r.risk() >= risk, "{text:?}: {:?}", r.risk());
    }
    let quoted = [
        "the seller told me checkout is down and to send the money by Wise instead, scam?",
        "供应商说平台在维护，让我先微信转给他，这正常吗？",
        "sorry, branded goods we don't do, only your own logo with trademark proof",
        "1:1 here means the scale of the model, not a copy",
        "Alibaba.com reminds you: suppliers who ask you to pay a personal account or move to WhatsApp are scammers. Always pay through Trade Assurance.",
    ];
    for text in quoted {
        let r = d.scan(text);
        assert!(
            r.findings().is_empty(),
            "{text:?}: {:?}",
            r.findings().iter().map(|f| f.rule_id()).collect::<Vec<_>>()
        );
    }
}

/// A look-alike link was reported before the context stage ran, so a buyer asking about one, or a warning naming
/// one, was an alert; and a finding widened over a negation that overlapped its first word (`不要加` over `加微信`),
/// so the negation ended up inside the finding and no longer framed it.
#[test]
fn context_frames_lookalike_links_and_overlapping_negations() {
    let d = Detector::new();
    for text in [
        "A supplier sent me a1ibaba-secure.top to pay, is this a scam?",
        "Beware of fake sites like a1ibaba-pay.top, never pay there",
    ] {
        let r = d.explain(text);
        assert_eq!(r.risk(), redflag::Risk::None, "{text}: {:?}", r.findings());
        assert!(r
            .suppressed()
            .iter()
            .any(|s| s.rule_id() == "fake_payment_link.lookalike_domain_entity"));
    }
    let text = "Pay here instead, it is cheaper than checkout: https://a1ibaba-secure.top/pay/77";
    assert!(d
        .scan(text)
        .findings()
        .iter()
        .any(|f| f.rule_id() == "fake_payment_link.lookalike_domain_entity"));
    assert!(categories("请不要加微信私聊，都在平台沟通").is_empty());
    assert_eq!(categories("加我微信私聊"), [Category::ContactMove]);
}

/// Quoted pretexts found in a probe of notices, buyers' stories and refusals (twelfth session) were raised to
/// `high`: a notice about a hypothetical third party ("if anyone asks you to…"), a buyer's story with a pressure
/// verb ("kept pushing me to"), a refusal of private payment (也不能走私下付款), and a refusal of another brand's logo
/// next to the buyer's own ("the logo you own").
#[test]
fn quoted_and_refused_pretexts_are_not_alerts() {
    let d = Detector::new();
    for text in [
        "If anyone messages you saying they are from our company and asks for payment via PayPal Friends and Family, please ignore it. We only take Trade Assurance.",
        "He kept pushing me to move to WhatsApp and pay by USDT before the price goes up tomorrow. I reported him to Alibaba and they banned the store.",
        "亲，这边不支持私下交易哦，加微信也不能走私下付款，平台担保交易对您对我们都安全。",
        "Hello! Happy to hear the sample arrived. About the logo: we print only the logo you own; we cannot put Nike or Adidas logos on the bags.",
        "如果有人让您把货款转到个人账户，请不要理会，直接联系平台客服。",
        "We are not able to accept payment to private accounts, only to the company account.",
        "we're unable to take payment to personal accounts, please pay through Trade Assurance",
    ] {
        let r = d.scan(text);
        assert!(!r.is_alert(), "{text}: {:?}", r.findings());
    }
    // The refusal is the seller's own "we": an account that "is not able to accept" payment is the gateway
    // pretext, and a refusal of the platform is no refusal of the private account.
    for text in [
        "Our company account is not able to accept payment now, please pay to my personal account",
        "we're not able to accept payment through alibaba, pls pay to my personal account",
    ] {
        assert!(d.scan(text).is_alert(), "{text}");
    }
}

/// A seller saying its own platform account or store is limited or under review, before any payee is named, is the
/// opening of the gateway pretext (medium); the same trouble said to be over is not.
#[test]
fn platform_account_trouble_alone_is_a_gateway_opening() {
    let d = Detector::new();
    for text in [
        "Our Alibaba account has been limited, so payment cannot go through",
        "亲，跟您说下，我们公司的1688账户最近在做年审，收款受限",
    ] {
        assert!(
            d.scan(text).categories().contains(&Category::GatewayMaintenancePretext),
            "{text}"
        );
    }
    for text in [
        "我们公司账户今年的年审已经做完了，一切正常，您按订单付款就行",
        "Great. I'll release the payment through Trade Assurance after the inspection.",
    ] {
        assert!(
            !d.scan(text).categories().contains(&Category::GatewayMaintenancePretext),
            "{text}"
        );
    }
}

/// "We will release the shipment" served both as the reason (release the shipment) and as the upfront cue
/// (`will release`) of `advance_fee.release_unfreeze_pay`: an ordinary "pay, then we ship" was raised high. The
/// cue now needs a condition (`will only release`, `only release after`); a held parcel still alerts.
#[test]
fn pay_then_we_ship_is_not_an_advance_fee() {
    for text in [
        "Please pay and we will release the shipment",
        "Once you pay, we will release the goods from our warehouse",
    ] {
        assert!(
            !categories(text).contains(&Category::AdvanceFee),
            "{text}: {:?}",
            categories(text)
        );
    }
    for text in [
        "To unlock your order you must first transfer 200 dollars, it comes back right away",
        "We will only release the shipment after you pay the release fee of 150 USD by Western Union",
    ] {
        assert!(
            categories(text).contains(&Category::AdvanceFee),
            "{text}: {:?}",
            categories(text)
        );
    }
}
