//! The checklist: what to do next on the chat's platform, for what the chat showed.
//!
//! The facts are from `research/platform-procedures.md` (buyers' guides and the platforms' help pages): 1688's
//! 延长收货 / 申请退款 / 申请客服介入 and its 10-day timer, Alibaba.com's Trade Assurance and changed-bank-details
//! checks, AliExpress's Open Dispute, protection extension and chargeback, Taobao's 担保交易.

use redflag::Category;

use crate::verdict::Action;
use crate::{Lang, Platform};

/// Which platforms a step is for.
#[derive(Debug, Clone, Copy)]
enum Scope {
    /// Every platform, and an unknown one.
    Any,
    /// Only when the platform is not known.
    Unknown,
    /// Only on this platform.
    Only(Platform),
    /// Every platform but this one (it has a step of its own that says more).
    Except(Platform),
}

/// When a step applies.
#[derive(Debug, Clone, Copy)]
enum When {
    /// The supplier showed one of these categories.
    Seen(&'static [Category]),
    /// The verdict is this action.
    Verdict(Action),
    /// The verdict is Stop or Caution.
    Flagged,
}

/// Pretexts that are about where the money goes.
const MONEY: &[Category] = &[
    Category::OffPlatformPayment,
    Category::GatewayMaintenancePretext,
    Category::TaxInvoicePretext,
    Category::AdvanceFee,
    Category::FakePaymentLink,
];

struct Step {
    scope: Scope,
    when: When,
    en: &'static str,
    zh: &'static str,
}

/// The checklist, in the order a buyer should act: stop the money, use the platform's protection, keep the
/// evidence, report.
const STEPS: &[Step] = &[
    Step {
        scope: Scope::Any,
        when: When::Seen(MONEY),
        en: "Do not pay anything to an account, QR code or link given in the chat.",
        zh: "不要向聊天里给出的账户、收款码或链接付任何款。",
    },
    Step {
        scope: Scope::Only(Platform::Alibaba),
        when: When::Seen(MONEY),
        en: "Pay only through Alibaba.com's checkout (Trade Assurance): money sent to an account given in chat or by e-mail is not protected.",
        zh: "只通过阿里巴巴国际站收银台（信保）付款：按聊天或邮件里给的账户付款不受保护。",
    },
    Step {
        scope: Scope::Only(Platform::Alibaba),
        when: When::Seen(&[Category::GatewayMaintenancePretext, Category::OffPlatformPayment]),
        en: "Treat \"new\" or \"changed\" bank details as fraud until verified: call the supplier on the number in its verified Alibaba.com profile, and pay only the account the checkout or the original PI shows.",
        zh: "收到“新账户”或“账户已变更”先当作诈骗：拨打供应商在国际站认证资料上的电话核实，只付收银台或原始PI上的账户。",
    },
    Step {
        scope: Scope::Only(Platform::Alibaba),
        when: When::Seen(&[Category::DisputePressure, Category::CounterfeitHint]),
        en: "If the order goes wrong, open a dispute from the order within the Trade Assurance window, with this chat on Alibaba.com's messenger, photos and any inspection report.",
        zh: "订单出问题时，在信保期限内从订单发起纠纷，附上国际站聊天记录、照片和验货报告。",
    },
    Step {
        scope: Scope::Only(Platform::Alibaba1688),
        when: When::Seen(MONEY),
        en: "Pay only in the 1688 order (Alipay escrow, or 跨境宝 Cross-border Pay). A bank transfer is safe only to the company account on the store page and the PI, never to a personal or \"finance\" account.",
        zh: "只在1688订单里付款（支付宝担保交易或跨境宝）。线下转账只能付给店铺页面和PI上的对公账户，不能付给个人或“财务”的账户。",
    },
    Step {
        scope: Scope::Only(Platform::Alibaba1688),
        when: When::Verdict(Action::Stop),
        en: "For an order already paid: on the order page use 延长收货 (Delay Receiving) to extend the 10-day timer, 申请退款 (Apply for Refund) to freeze the money, then 申请客服介入 (Request 1688 Intervention) if the seller refuses. Do not close a refund on a promise.",
        zh: "已付款的订单：在订单页面点“延长收货”延长约10天的自动确认时间，“申请退款”冻结货款，卖家拒绝就“申请客服介入”。不要因为卖家的承诺撤销退款。",
    },
    Step {
        scope: Scope::Only(Platform::Alibaba1688),
        when: When::Flagged,
        en: "Keep talking on AliWangWang (阿里旺旺): 1688 judges disputes on the order page and the WangWang chat, not on WeChat or WhatsApp screenshots.",
        zh: "继续在阿里旺旺沟通：1688处理纠纷看订单和旺旺聊天记录，不认微信或WhatsApp截图。",
    },
    Step {
        scope: Scope::Only(Platform::AliExpress),
        when: When::Seen(MONEY),
        en: "Pay only in the AliExpress order: money paid to the seller outside it cannot be disputed.",
        zh: "只在速卖通订单里付款：站外付给卖家的钱无法发起纠纷。",
    },
    Step {
        scope: Scope::Only(Platform::AliExpress),
        when: When::Flagged,
        en: "Do not close the order or a dispute on a promise to resend or refund outside AliExpress; if delivery is late, ask the seller to extend the purchase protection.",
        zh: "不要因为卖家答应补发或站外退款就关闭订单或纠纷；到货晚了，请卖家延长买家保护期。",
    },
    Step {
        scope: Scope::Only(Platform::AliExpress),
        when: When::Flagged,
        en: "If something is wrong: My Orders → the order → Open Dispute, within the protection window, with photos and this chat; if that fails, ask your card issuer or PayPal for a chargeback.",
        zh: "出了问题：我的订单 → 该订单 → 发起纠纷（Open Dispute），在保护期内提交照片和聊天记录；不成功就向发卡行或PayPal申请拒付（chargeback）。",
    },
    Step {
        scope: Scope::Only(Platform::Taobao),
        when: When::Seen(MONEY),
        en: "Pay only in the Taobao order (escrow): a WeChat payment, an Alipay transfer or a QR code the seller sends is not protected.",
        zh: "只在淘宝订单里付款（担保交易）：卖家让用微信付款、支付宝转账或扫码付款都不受保护。",
    },
    Step {
        scope: Scope::Only(Platform::Taobao),
        when: When::Flagged,
        en: "On the order page: 延长收货 (extend receipt), 申请退款 (refund), and 申请客服介入 (ask Taobao to step in) if the seller refuses. \"刷单返现\", \"保证金\" and \"解冻费\" are classic scripts.",
        zh: "在订单页面：延长收货、申请退款，卖家拒绝就申请客服介入。“刷单返现”“保证金”“解冻费”都是常见骗局。",
    },
    Step {
        scope: Scope::Unknown,
        when: When::Seen(MONEY),
        en: "Pay only through the platform's checkout, or to the company account recorded on the platform.",
        zh: "只通过平台收银台付款，或付给平台上登记的公司账户。",
    },
    Step {
        scope: Scope::Unknown,
        when: When::Seen(&[Category::DisputePressure]),
        en: "Do not close a dispute or confirm receipt on a promise: once it is closed, the platform's protection is gone.",
        zh: "不要因为对方的承诺撤销纠纷或确认收货：一旦关闭，平台的保障就没有了。",
    },
    Step {
        scope: Scope::Except(Platform::Alibaba),
        when: When::Seen(&[Category::GatewayMaintenancePretext]),
        en: "No checkout goes \"under maintenance\" so that you must pay another account: verify any change of account through the platform.",
        zh: "平台收银台不会因为“维护”让您付到别的账户：任何账户变更都要通过平台核实。",
    },
    Step {
        scope: Scope::Any,
        when: When::Seen(&[Category::FakePaymentLink]),
        en: "Do not open payment links from the chat: open the order from the platform's official app or site, and check a link's domain letter by letter.",
        zh: "不要打开聊天里的付款链接：从平台官方App或网站打开订单，逐个字母核对链接的域名。",
    },
    Step {
        scope: Scope::Any,
        when: When::Seen(&[Category::AdvanceFee]),
        en: "No customs office, bank or platform asks for an \"unfreeze\", \"release\" or \"verification\" fee paid to a person.",
        zh: "海关、银行和平台都不会让您向个人支付“解冻费”“放行费”或“验证费”。",
    },
    Step {
        scope: Scope::Any,
        when: When::Seen(&[Category::CounterfeitHint]),
        en: "Do not order goods offered as \"1:1\", \"original logo\" or replicas: customs can seize counterfeits. Ask for photos of the actual goods with the logo in view.",
        zh: "不要订购“1:1”“原标”“高仿”的商品：海关可以扣押仿冒品。请对方提供带清晰logo的实物照片。",
    },
    Step {
        scope: Scope::Except(Platform::Alibaba1688),
        when: When::Flagged,
        en: "Keep the conversation on the platform's messenger: it is the evidence the platform reads in a dispute.",
        zh: "把沟通留在平台的聊天工具里：发生纠纷时平台看的就是这些记录。",
    },
    Step {
        scope: Scope::Any,
        when: When::Verdict(Action::Stop),
        en: "Report the seller to the platform's customer service; if you have lost money, report it to the police (in mainland China 96110, in Taiwan 165).",
        zh: "向平台客服举报该卖家；如果已经损失钱款，请报警（中国大陆反诈专线96110，台湾165）。",
    },
    Step {
        scope: Scope::Any,
        when: When::Verdict(Action::GoOn),
        en: "Keep the chat and the payment on the platform.",
        zh: "沟通和付款都留在平台上。",
    },
];

/// The next steps for a chat on `platform` (or an unknown one) whose supplier showed `seen`, with this verdict.
pub(crate) fn checklist(platform: Option<Platform>, seen: &[Category], action: Action, lang: Lang) -> Vec<String> {
    STEPS
        .iter()
        .filter(|s| match s.scope {
            Scope::Any => true,
            Scope::Unknown => platform.is_none(),
            Scope::Only(p) => platform == Some(p),
            Scope::Except(p) => platform != Some(p),
        })
        .filter(|s| match s.when {
            When::Seen(cats) => action != Action::GoOn && seen.iter().any(|c| cats.contains(c)),
            When::Verdict(a) => a == action,
            When::Flagged => action != Action::GoOn,
        })
        .map(|s| match lang {
            Lang::En => s.en.to_string(),
            Lang::Zh => s.zh.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_platform_and_pretexts() {
        const PAY: &[Category] = &[Category::OffPlatformPayment];
        // (platform, seen, action, lang, a step that must be there, a step that must not)
        type Case = (
            Option<Platform>,
            &'static [Category],
            Action,
            Lang,
            &'static str,
            &'static str,
        );
        let cases: &[Case] = &[
            (
                Some(Platform::Alibaba1688),
                PAY,
                Action::Stop,
                Lang::En,
                "跨境宝",
                "Trade Assurance",
            ),
            (
                Some(Platform::Alibaba1688),
                &[Category::DisputePressure],
                Action::Stop,
                Lang::Zh,
                "延长收货",
                "信保",
            ),
            (
                Some(Platform::Alibaba),
                &[Category::GatewayMaintenancePretext],
                Action::Stop,
                Lang::En,
                "verified Alibaba.com profile",
                "延长收货",
            ),
            (
                Some(Platform::AliExpress),
                PAY,
                Action::Stop,
                Lang::En,
                "Open Dispute",
                "跨境宝",
            ),
            (
                Some(Platform::AliExpress),
                PAY,
                Action::Stop,
                Lang::En,
                "chargeback",
                "WangWang",
            ),
            (
                Some(Platform::Taobao),
                PAY,
                Action::Stop,
                Lang::Zh,
                "担保交易",
                "速卖通",
            ),
            (
                None,
                PAY,
                Action::Stop,
                Lang::En,
                "company account recorded on the platform",
                "Trade Assurance",
            ),
            (
                None,
                &[Category::FakePaymentLink],
                Action::Stop,
                Lang::En,
                "letter by letter",
                "unfreeze",
            ),
            (
                None,
                &[Category::AdvanceFee],
                Action::Stop,
                Lang::En,
                "unfreeze",
                "letter by letter",
            ),
            (
                None,
                &[Category::ContactMove],
                Action::Caution,
                Lang::En,
                "platform's messenger",
                "96110",
            ),
            (
                None,
                &[],
                Action::GoOn,
                Lang::En,
                "Keep the chat and the payment on the platform",
                "Do not pay",
            ),
        ];
        for (platform, seen, action, lang, want, not) in cases {
            let steps = checklist(*platform, seen, *action, *lang);
            let all = steps.join("\n");
            assert!(
                all.contains(want),
                "{platform:?} {seen:?} {action:?}: want {want:?} in\n{all}"
            );
            assert!(
                !all.contains(not),
                "{platform:?} {seen:?} {action:?}: {not:?} in\n{all}"
            );
        }
    }

    #[test]
    fn a_stop_always_has_steps_in_both_languages() {
        for platform in [None].into_iter().chain(Platform::ALL.map(Some)) {
            for c in Category::ALL {
                for lang in [Lang::En, Lang::Zh] {
                    let steps = checklist(platform, &[c], Action::Stop, lang);
                    assert!(steps.len() >= 2, "{platform:?} {c:?} {lang:?}: {steps:?}");
                }
            }
        }
    }
}
