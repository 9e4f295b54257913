//! Evasions: every case is a message whose pretext is written to dodge keyword filters; the detector must report
//! the category, and the finding's span must cover the evasive original text.
//!
//! Cases are grouped by technique (the name prefix). A message the detector misses is not dropped: it goes to
//! `KNOWN_GAPS` with the reason, and `known_gaps_are_still_missed` (ignored by default) fails once one is caught,
//! so that it can be moved into `CASES`.

use redflag::{Category, Detector};
use std::sync::LazyLock;

static DETECTOR: LazyLock<Detector> = LazyLock::new(Detector::new);

/// (name, message, category that must be reported, a substring of the message that some finding of that category must cover)
type Case = (&'static str, &'static str, Category, &'static str);

#[rustfmt::skip]
const CASES: &[Case] = &[
    // ---- Full-width forms (ｗｅｃｈａｔ, ＰＡＹＰＡＬ, １３８…).
    ("fullwidth_wechat_handle", "加我ｗｅｃｈａｔ：ｌｉｌｙ８８，发您图片", Category::ContactMove, "ｗｅｃｈａｔ"),
    ("fullwidth_paypal_friends_family", "Sample fee 35 usd, send by ＰＡＹＰＡＬ friends and family pls", Category::OffPlatformPayment, "ＰＡＹＰＡＬ"),
    ("fullwidth_phone_number", "手机号：１３８ ００１３ ８０００，有事电联", Category::ContactMove, "１３８ ００１３ ８０００"),
    ("fullwidth_western_union", "Please pay the deposit by Ｗｅｓｔｅｒｎ Ｕｎｉｏｎ, I send you the receiver name", Category::OffPlatformPayment, "Ｗｅｓｔｅｒｎ Ｕｎｉｏｎ"),
    ("fullwidth_no_invoice_discount", "Ｎｏ ｉｎｖｏｉｃｅ, price can be 5% lower, $3.80 each", Category::TaxInvoicePretext, "Ｎｏ ｉｎｖｏｉｃｅ"),
    ("fullwidth_whatsapp_number", "Friend, message me on ＷｈａｔｓＡｐｐ +86 139 1234 5678, faster reply", Category::ContactMove, "ＷｈａｔｓＡｐｐ"),
    ("fullwidth_aaa_grade", "ＡＡＡ quality Gucci belts, 12 usd each with box", Category::CounterfeitHint, "ＡＡＡ"),
    ("fullwidth_usdt_wallet", "Deposit can be paid in ＵＳＤＴ, wallet address below", Category::OffPlatformPayment, "ＵＳＤＴ"),
    ("fullwidth_dont_open_dispute", "Please don't open a ｄｉｓｐｕｔｅ, I will resend tomorrow", Category::DisputePressure, "ｄｉｓｐｕｔｅ"),
    ("fullwidth_checkout_maintenance", "Alibaba checkout is under ｍａｉｎｔｅｎａｎｃｅ today, please pay directly by T/T to our bank", Category::GatewayMaintenancePretext, "ｍａｉｎｔｅｎａｎｃｅ"),
    ("fullwidth_lookalike_domain", "Please complete payment at ｗｗｗ.ａｌｉｂａｂａ-secure-pay.top/order/8812", Category::FakePaymentLink, "ａｌｉｂａｂａ-secure-pay.top"),
    ("fullwidth_customs_fee", "Your parcel is held by ｃｕｓｔｏｍｓ, please pay the clearance fee of $180 to release it", Category::AdvanceFee, "ｃｕｓｔｏｍｓ"),
    ("fullwidth_qq_number", "ＱＱ ２８４５５６１９３２，有问题随时找我，发您图纸", Category::ContactMove, "ＱＱ ２８４５５６１９３２"),
    ("fullwidth_pay_today", "Ｐａｙ ｔｏｄａｙ, otherwise the price will change tomorrow", Category::Urgency, "Ｐａｙ ｔｏｄａｙ"),
    ("fullwidth_han_punct_personal_card", "这次货款麻烦打到我们老板的个人卡上，谢谢！", Category::OffPlatformPayment, "个人卡"),
    ("fullwidth_ping_telegram", "u can find me on ｔｅｌｅｇｒａｍ @fast_supply88", Category::ContactMove, "ｔｅｌｅｇｒａｍ"),
    // ---- Letters or characters spaced apart (w e c h a t, 微 信, ideographic and no-break spaces, tabs).
    ("spaced_wechat_letters", "Alibaba chat is slow, add me on w e c h a t: sunny_888", Category::ContactMove, "w e c h a t"),
    ("spaced_weixin_han", "亲，加我微 信 kevin8899，发您实拍", Category::ContactMove, "微 信"),
    ("spaced_private_transfer", "亲，私 下 转 账可以给您便宜点", Category::OffPlatformPayment, "私 下 转 账"),
    ("spaced_no_invoice_zh", "不 开 票的话单价再少3毛", Category::TaxInvoicePretext, "不 开 票"),
    ("spaced_personal_account_zh", "货款直接转到我们老板的个 人 账 户就可以了", Category::OffPlatformPayment, "个 人 账 户"),
    ("spaced_close_dispute_zh", "亲，您先把纠 纷关闭，我马上给您补发", Category::DisputePressure, "纠 纷"),
    ("spaced_western_union_letters", "pay the balance by W E S T E R N union, I give you the receiver name", Category::OffPlatformPayment, "W E S T E R N union"),
    ("spaced_whatsapp_letters", "message me on W h a t s A p p +86 138 0013 8000", Category::ContactMove, "W h a t s A p p"),
    ("spaced_gaofang", "高 仿 劳力士，机芯稳定，支持验货", Category::CounterfeitHint, "高 仿"),
    ("spaced_annual_inspection", "我们对公账户正在年 检，货款请先转到下面这个备用账户", Category::GatewayMaintenancePretext, "年 检"),
    ("spaced_baozhengjin", "你需要先交2000元保 证 金，3分钟原路退回给你", Category::AdvanceFee, "保 证 金"),
    ("spaced_pay_link_zh", "亲，我发你个付 款 链 接，不走平台能便宜20", Category::FakePaymentLink, "付 款 链 接"),
    ("spaced_usdt_letters", "pay the deposit in U S D T, TRC20 wallet address below", Category::OffPlatformPayment, "U S D T"),
    ("spaced_cut_off_today", "亲今天截 单，明天就涨价了，尽快付款哦", Category::Urgency, "截 单"),
    ("spaced_tabs_wechat", "加我微\t\t信：kevin8899，发您报价", Category::ContactMove, "微\t\t信"),
    ("spaced_ideographic_space_weixin", "加我微\u{3000}信：kevin8899，发您实拍", Category::ContactMove, "微\u{3000}信"),
    ("spaced_ideographic_space_private_transfer", "私\u{3000}下\u{3000}转\u{3000}账可以便宜点，亲", Category::OffPlatformPayment, "私\u{3000}下\u{3000}转\u{3000}账"),
    ("spaced_nbsp_wechat_letters", "add me on w\u{a0}e\u{a0}c\u{a0}h\u{a0}a\u{a0}t: sunny_888", Category::ContactMove, "w\u{a0}e\u{a0}c\u{a0}h\u{a0}a\u{a0}t"),
    // ---- Punctuation inside a word: dotted_, dashed_, slashed_, starred_, tilde_, underscored_, bullet_, middot_.
    ("dotted_whatsapp", "Let's move to W.h.a.t.s.a.p.p, faster reply than here", Category::ContactMove, "W.h.a.t.s.a.p.p"),
    ("dashed_telegram", "Contact me on t-e-l-e-g-r-a-m @fast_supply88 for the best price", Category::ContactMove, "t-e-l-e-g-r-a-m"),
    ("dashed_weixin_han", "加我微-信：tom2024，详细聊", Category::ContactMove, "微-信"),
    ("slashed_vx", "加V/X：abc12345，私聊价格", Category::ContactMove, "V/X"),
    ("starred_wechat", "add me on w*e*c*h*a*t, my id is kelly_88", Category::ContactMove, "w*e*c*h*a*t"),
    ("dotted_private_payment_zh", "私.下.付.款的话再便宜50，亲", Category::OffPlatformPayment, "私.下.付.款"),
    ("slashed_western_union", "pay via W/U and send me the MTCN, receiver name below", Category::OffPlatformPayment, "W/U"),
    ("dashed_no_invoice_zh", "不-开-票的话可以少3个点", Category::TaxInvoicePretext, "不-开-票"),
    ("dotted_paypal_ff", "P.a.y.P.a.l friends and family only pls", Category::OffPlatformPayment, "P.a.y.P.a.l"),
    ("starred_withdraw_complaint_zh", "麻烦撤*销*投*诉，我私下退给你", Category::DisputePressure, "撤*销*投*诉"),
    ("dashed_maintenance_zh", "平台支付通道正在维-护，您直接转账到我们公司账户就行", Category::GatewayMaintenancePretext, "维-护"),
    ("dotted_gaofang_brand", "高.仿.劳.力.士 现货，支持验货", Category::CounterfeitHint, "高.仿"),
    ("middot_baozhengjin", "需要先交保·证·金500，发货后退还给您", Category::AdvanceFee, "保·证·金"),
    ("dashed_today_only", "this price is only t-o-d-a-y, tomorrow it goes back to normal", Category::Urgency, "t-o-d-a-y"),
    ("dotted_customs", "Your parcel is held by c.u.s.t.o.m.s, please pay the clearance fee of $180 to release it", Category::AdvanceFee, "c.u.s.t.o.m.s"),
    ("slashed_pay_link_zh", "付/款/链/接发你了，比平台下单便宜", Category::FakePaymentLink, "付/款/链/接"),
    ("tilde_add_weixin", "加~微~信~详聊：lily520", Category::ContactMove, "加~微~信"),
    ("underscored_skype", "Add me on S_k_y_p_e: live:sunny.trade for video call", Category::ContactMove, "S_k_y_p_e"),
    ("bullet_personal_account", "货款转我们老板的个•人•账•户，一样的", Category::OffPlatformPayment, "个•人•账•户"),
    ("dotted_wechat_ping", "ping me on w.e.c.h.a.t, faster than here", Category::ContactMove, "w.e.c.h.a.t"),
    ("dashed_moneygram", "pay by money-gram pls, MTCN after", Category::OffPlatformPayment, "money-gram"),
    ("dotted_hyphenation_point_wechat", "W‧e‧C‧h‧a‧t: sunny_888 add me for the price list", Category::ContactMove, "W‧e‧C‧h‧a‧t"),
    ("dotted_middot_vx", "加我V·X：abc12345，私聊价格", Category::ContactMove, "V·X"),
    // ---- Emoji inside a word (微❤信, 加👉微信, emoji between single letters, regional-indicator letters).
    ("emoji_heart_weixin", "加我微❤信：lily520，发您实拍", Category::ContactMove, "微❤信"),
    ("emoji_point_add_weixin", "有事加👉微信：kevin8899", Category::ContactMove, "加👉微信"),
    ("emoji_star_weixin", "加我微🌟信，发您报价单", Category::ContactMove, "微🌟信"),
    ("emoji_private_transfer", "私🙈下转账给您便宜30", Category::OffPlatformPayment, "私🙈下转账"),
    ("emoji_no_invoice", "不开🧾票的话单价可以再少3毛", Category::TaxInvoicePretext, "不开🧾票"),
    ("emoji_personal_card", "货款打到我们老板的个人💳卡上", Category::OffPlatformPayment, "个人💳卡"),
    ("emoji_close_dispute", "亲，您先把纠🙏纷关闭，我马上给您补发", Category::DisputePressure, "纠🙏纷"),
    ("emoji_gaofang", "高🔥仿劳力士，机芯稳定", Category::CounterfeitHint, "高🔥仿"),
    ("emoji_baozhengjin", "需要先交保💰证金2000元，3分钟原路退回", Category::AdvanceFee, "保💰证金"),
    ("emoji_system_upgrade", "信保付款系统升🔧级中，麻烦先打款到我个人卡上", Category::GatewayMaintenancePretext, "升🔧级"),
    ("emoji_penguin_kouku", "加我扣🐧扣，我发你图片", Category::ContactMove, "扣🐧扣"),
    ("emoji_pay_link", "我发你个付款链🔗接，不走平台能便宜20", Category::FakePaymentLink, "链🔗接"),
    ("emoji_cut_off", "今天截⏰单，明天就涨价了，尽快付款哦", Category::Urgency, "截⏰单"),
    ("emoji_paper_plane", "下载个纸✈\u{fe0f}飞机，飞机号：kk_8888", Category::ContactMove, "纸✈\u{fe0f}飞机"),
    ("emoji_point_add_v", "加👆V：mike8899 细聊", Category::ContactMove, "加👆V"),
    ("emoji_regional_indicator_wechat", "add me on 🇼🇪🇨🇭🇦🇹: sunny_888, send you the catalog", Category::ContactMove, "🇼🇪🇨🇭🇦🇹"),
    ("emoji_between_letters_wechat", "add me on w💬e💬c💬h💬a💬t: sunny_888", Category::ContactMove, "w💬e💬c💬h💬a💬t"),
    // ---- Zero-width and other invisible format characters inside a word (ZWSP, ZWJ, ZWNJ, word joiner, BOM, soft hyphen).
    ("zerowidth_space_wechat", "add me on we\u{200b}chat: sunny_888 for faster reply", Category::ContactMove, "we\u{200b}chat"),
    ("zerowidth_joiner_whatsapp", "message me on Whats\u{200d}App +86 138 0013 8000", Category::ContactMove, "Whats\u{200d}App"),
    ("zerowidth_space_weixin_han", "加我微\u{200b}信：kevin8899", Category::ContactMove, "微\u{200b}信"),
    ("zerowidth_nonjoiner_paypal", "Pay\u{200c}Pal friends and family only pls, no G&S", Category::OffPlatformPayment, "Pay\u{200c}Pal"),
    ("zerowidth_personal_account", "Kindly send the 30% into our director's per\u{200b}sonal account, same business", Category::OffPlatformPayment, "per\u{200b}sonal"),
    ("zerowidth_no_invoice_zh", "不开\u{200b}票的话单价再少3毛", Category::TaxInvoicePretext, "不开\u{200b}票"),
    ("zerowidth_word_joiner_invoice", "without inv\u{2060}oice, cheaper price for you: 4.10 usd", Category::TaxInvoicePretext, "inv\u{2060}oice"),
    ("zerowidth_close_dispute", "Please close the dis\u{200b}pute, I will resend a new one tomorrow", Category::DisputePressure, "dis\u{200b}pute"),
    ("zerowidth_replica", "We sell repl\u{200b}ica watches, swiss movement", Category::CounterfeitHint, "repl\u{200b}ica"),
    ("zerowidth_gateway_upgrade", "The payment gateway is down for up\u{200b}grade, kindly send the payment to the account below", Category::GatewayMaintenancePretext, "up\u{200b}grade"),
    ("zerowidth_payment_link", "Pay via this pay\u{200b}ment link instead, it is cheaper than checkout", Category::FakePaymentLink, "pay\u{200b}ment link"),
    ("zerowidth_unfreeze_fee", "需要先交3000解\u{200b}冻费，解冻后原路退回", Category::AdvanceFee, "解\u{200b}冻"),
    ("zerowidth_discount_expires", "This discount ex\u{200b}pires tonight, please complete the payment now", Category::Urgency, "ex\u{200b}pires"),
    ("zerowidth_bom_telegram", "tele\u{feff}gram: @sale_king 联系我", Category::ContactMove, "tele\u{feff}gram"),
    ("zerowidth_soft_hyphen_western_union", "Please send the deposit by Western Un\u{ad}ion, I give you the receiver name", Category::OffPlatformPayment, "Western Un\u{ad}ion"),
    // ---- Cyrillic and Greek look-alike letters inside a Latin word (cyrillic_, greek_).
    ("cyrillic_e_wechat", "add me on wеchat: sunny_888", Category::ContactMove, "wеchat"),
    ("greek_omicron_western_union", "Please send the deposit by Western Uniοn, I give you the receiver name", Category::OffPlatformPayment, "Western Uniοn"),
    ("cyrillic_paypal", "РаyРаl friends and family only, I ship same day", Category::OffPlatformPayment, "РаyРаl"),
    ("cyrillic_whatsapp", "Let's move to WhаtsАpp, more convenient than Alibaba chat", Category::ContactMove, "WhаtsАpp"),
    ("cyrillic_personal_account", "You can TT to my реrsonal bank account, faster and no fees", Category::OffPlatformPayment, "реrsonal"),
    ("greek_invoice", "Without invοice the price is 6% lower", Category::TaxInvoicePretext, "invοice"),
    ("cyrillic_dont_open_dispute", "Please don't open a disрute, I will fix it for you", Category::DisputePressure, "disрute"),
    ("cyrillic_replica", "rеplica watches, swiss movement, 85 usd", Category::CounterfeitHint, "rеplica"),
    ("cyrillic_lookalike_domain", "Please complete payment at https://аlibаbа-secure-pay.top/order/8812", Category::FakePaymentLink, "аlibаbа-secure-pay.top"),
    ("greek_alpha_maintenance", "Alibaba checkout is under maintenαnce today, please pay directly by T/T to our bank", Category::GatewayMaintenancePretext, "maintenαnce"),
    ("cyrillic_customs", "Your parcel is held by сustoms, please pay the clearance fee of $180 to release it", Category::AdvanceFee, "сustoms"),
    ("cyrillic_telegram", "Contact me on Теlеgram @fast_supply88 for the best price", Category::ContactMove, "Теlеgram"),
    ("greek_deposit_today", "Last chance at this price, pay the depοsit today", Category::Urgency, "depοsit"),
    ("cyrillic_usdt", "You can also pay in USDТ (TRC20), wallet address below", Category::OffPlatformPayment, "USDТ"),
    ("cyrillic_skype", "Add me on Skyре: live:sunny.trade for video call", Category::ContactMove, "Skyре"),
    // ---- Mathematical alphanumerics (𝐰𝐞𝐜𝐡𝐚𝐭, 𝔀𝓮𝓬𝓱𝓪𝓽, 𝕌𝕊𝔻𝕋, 𝟏𝟑𝟖…).
    ("math_bold_wechat", "add me on 𝐰𝐞𝐜𝐡𝐚𝐭: sunny_888", Category::ContactMove, "𝐰𝐞𝐜𝐡𝐚𝐭"),
    ("math_script_wechat", "𝔀𝓮𝓬𝓱𝓪𝓽: kevin8899 加我详聊", Category::ContactMove, "𝔀𝓮𝓬𝓱𝓪𝓽"),
    ("math_bold_paypal", "𝐏𝐚𝐲𝐏𝐚𝐥 friends and family only pls", Category::OffPlatformPayment, "𝐏𝐚𝐲𝐏𝐚𝐥"),
    ("math_italic_whatsapp", "message me on 𝘞𝘩𝘢𝘵𝘴𝘈𝘱𝘱 +86 138 0013 8000", Category::ContactMove, "𝘞𝘩𝘢𝘵𝘴𝘈𝘱𝘱"),
    ("math_fraktur_replica", "𝔯𝔢𝔭𝔩𝔦𝔠𝔞 watches, swiss movement", Category::CounterfeitHint, "𝔯𝔢𝔭𝔩𝔦𝔠𝔞"),
    ("math_sans_western_union", "send it by 𝖶𝖾𝗌𝗍𝖾𝗋𝗇 𝖴𝗇𝗂𝗈𝗇 today, I give you the receiver name", Category::OffPlatformPayment, "𝖶𝖾𝗌𝗍𝖾𝗋𝗇 𝖴𝗇𝗂𝗈𝗇"),
    ("math_bold_without_invoice", "𝐰𝐢𝐭𝐡𝐨𝐮𝐭 𝐢𝐧𝐯𝐨𝐢𝐜𝐞, 5% cheaper for you", Category::TaxInvoicePretext, "𝐰𝐢𝐭𝐡𝐨𝐮𝐭 𝐢𝐧𝐯𝐨𝐢𝐜𝐞"),
    ("math_double_struck_usdt", "pay in 𝕌𝕊𝔻𝕋, wallet address below", Category::OffPlatformPayment, "𝕌𝕊𝔻𝕋"),
    ("math_monospace_close_dispute", "pls close the 𝚍𝚒𝚜𝚙𝚞𝚝𝚎, I will resend a new one tomorrow", Category::DisputePressure, "𝚍𝚒𝚜𝚙𝚞𝚝𝚎"),
    ("math_bold_gateway_maintenance", "Our payment gateway is under 𝐦𝐚𝐢𝐧𝐭𝐞𝐧𝐚𝐧𝐜𝐞, kindly send the payment to the account below", Category::GatewayMaintenancePretext, "𝐦𝐚𝐢𝐧𝐭𝐞𝐧𝐚𝐧𝐜𝐞"),
    ("math_script_telegram", "contact me on 𝓽𝓮𝓵𝓮𝓰𝓻𝓪𝓶 @fast_supply88", Category::ContactMove, "𝓽𝓮𝓵𝓮𝓰𝓻𝓪𝓶"),
    ("math_bold_customs", "your parcel is held by 𝐜𝐮𝐬𝐭𝐨𝐦𝐬, pay the clearance fee of $180 to release it", Category::AdvanceFee, "𝐜𝐮𝐬𝐭𝐨𝐦𝐬"),
    ("math_bold_digits_phone", "call me at +86 𝟏𝟑𝟖 𝟎𝟎𝟏𝟑 𝟖𝟎𝟎𝟎, easier to talk than here", Category::ContactMove, "𝟏𝟑𝟖 𝟎𝟎𝟏𝟑 𝟖𝟎𝟎𝟎"),
    ("math_bold_pay_today", "𝐩𝐚𝐲 𝐭𝐨𝐝𝐚𝐲, otherwise the price will change tomorrow", Category::Urgency, "𝐩𝐚𝐲 𝐭𝐨𝐝𝐚𝐲"),
    ("math_bold_payment_link", "pay via this 𝐩𝐚𝐲𝐦𝐞𝐧𝐭 𝐥𝐢𝐧𝐤 instead, it is cheaper", Category::FakePaymentLink, "𝐩𝐚𝐲𝐦𝐞𝐧𝐭 𝐥𝐢𝐧𝐤"),
    ("math_bold_no_fapiao", "𝐧𝐨 𝐟𝐚𝐩𝐢𝐚𝐨, cheaper 3%", Category::TaxInvoicePretext, "𝐧𝐨 𝐟𝐚𝐩𝐢𝐚𝐨"),
    // ---- Circled and parenthesized letters and digits (ⓦⓔⓒⓗⓐⓣ, ①③⑧, ⑴⑶⑻, ⒲⒠⒞⒣⒜⒯).
    ("circled_wechat", "add me on ⓦⓔⓒⓗⓐⓣ: sunny_888", Category::ContactMove, "ⓦⓔⓒⓗⓐⓣ"),
    ("circled_phone_zh", "手机号：①③⑧⓪⓪①③⑧⓪⓪⓪，有事电联", Category::ContactMove, "①③⑧⓪⓪①③⑧⓪⓪⓪"),
    ("circled_phone_en", "call me at ①③⑨ ①②③④ ⑤⑥⑦⑧, easier to talk than here", Category::ContactMove, "①③⑨ ①②③④ ⑤⑥⑦⑧"),
    ("circled_whatsapp", "ⓦⓗⓐⓣⓢⓐⓟⓟ: +8613912345678, faster reply", Category::ContactMove, "ⓦⓗⓐⓣⓢⓐⓟⓟ"),
    ("circled_paypal", "ⓟⓐⓨⓟⓐⓛ friends and family only", Category::OffPlatformPayment, "ⓟⓐⓨⓟⓐⓛ"),
    ("circled_qq_number", "QQ ②⑧④⑤⑤⑥①⑨③②，有问题随时找我", Category::ContactMove, "QQ ②⑧④⑤⑤⑥①⑨③②"),
    ("circled_usdt", "pay in ⓤⓢⓓⓣ, wallet address below", Category::OffPlatformPayment, "ⓤⓢⓓⓣ"),
    ("circled_aaa_grade", "Ⓐⓐⓐ quality Gucci belts, 12 usd each", Category::CounterfeitHint, "Ⓐⓐⓐ"),
    ("circled_vx", "加ⓥⓧ：abc12345，详细聊", Category::ContactMove, "ⓥⓧ"),
    ("circled_tax_points", "不开票的话可以少③个点", Category::TaxInvoicePretext, "少③"),
    ("circled_without_invoice", "ⓦⓘⓣⓗⓞⓤⓣ ⓘⓝⓥⓞⓘⓒⓔ, 5% cheaper", Category::TaxInvoicePretext, "ⓦⓘⓣⓗⓞⓤⓣ ⓘⓝⓥⓞⓘⓒⓔ"),
    ("circled_close_dispute", "please close the ⓓⓘⓢⓟⓤⓣⓔ, I will resend tomorrow", Category::DisputePressure, "ⓓⓘⓢⓟⓤⓣⓔ"),
    ("parenthesized_phone_zh", "手机：⑴⑶⑻ ⑴⑵⑶⑷ ⑸⑹⑺⑻，直接打我电话", Category::ContactMove, "⑴⑶⑻ ⑴⑵⑶⑷ ⑸⑹⑺⑻"),
    ("circled_pay_within_hours", "pay within ②④ hours or the stock goes to another buyer", Category::Urgency, "②④"),
    ("circled_skype", "Ⓢⓚⓨⓟⓔ: live:sunny.trade, add me for video call", Category::ContactMove, "Ⓢⓚⓨⓟⓔ"),
    ("circled_baozhengjin", "你需要先交②⓪⓪⓪元保证金，③分钟原路退回给你", Category::AdvanceFee, "②⓪⓪⓪元保证金"),
    ("circled_western_union", "pay by ⓌⓊ, MTCN after payment", Category::OffPlatformPayment, "ⓌⓊ"),
    ("circled_parenthesized_letters_wechat", "add me on ⒲⒠⒞⒣⒜⒯: sunny_888, more photos there", Category::ContactMove, "⒲⒠⒞⒣⒜⒯"),
    // ---- Other compatibility letters: superscript modifier letters, squared letters.
    ("compat_superscript_wechat", "add me on ʷᵉᶜʰᵃᵗ: sunny_888 for the real photos", Category::ContactMove, "ʷᵉᶜʰᵃᵗ"),
    ("compat_squared_letters_wechat", "Add me on 🅆🄴🄲🄷🄰🅃: sunny_888, catalog there", Category::ContactMove, "🅆🄴🄲🄷🄰🅃"),
    // ---- Diacritics on Latin letters, precomposed or combining (wéchat).
    ("diacritic_wechat", "add me on wéchat: sunny_888, faster reply", Category::ContactMove, "wéchat"),
    ("diacritic_western_union", "pay the deposit by wéstérn uníon, receiver name below", Category::OffPlatformPayment, "wéstérn uníon"),
    ("diacritic_combining_acute_wechat", "add me on we\u{301}chat: sunny_888, faster reply", Category::ContactMove, "we\u{301}chat"),
    // ---- Traditional Chinese (轉帳, 帳戶, 發票, 維護, 爭議, 連結…).
    ("traditional_private_transfer", "親，私下轉帳可以給您便宜點", Category::OffPlatformPayment, "轉帳"),
    ("traditional_personal_account", "貨款直接轉到我們老闆的個人帳戶就可以了", Category::OffPlatformPayment, "個人帳戶"),
    ("traditional_no_invoice", "不要發票的話單價可以再少3毛", Category::TaxInvoicePretext, "發票"),
    ("traditional_maintenance", "平台支付通道正在維護，您直接轉帳到我們公司帳戶就行", Category::GatewayMaintenancePretext, "維護"),
    ("traditional_dispute", "麻煩撤銷爭議，我私下退給你", Category::DisputePressure, "爭議"),
    ("traditional_pay_link", "我發你個付款連結，不走平台能便宜20", Category::FakePaymentLink, "連結"),
    ("traditional_wechat_id", "我的微信號是 tom2024，以後聯繫", Category::ContactMove, "微信號是 tom2024"),
    ("traditional_imitation_goods", "精仿古馳皮帶，仿貨批發，細節到位", Category::CounterfeitHint, "仿貨"),
    ("traditional_baozhengjin", "你需要先繳納2000元保證金，3分鐘原路退還", Category::AdvanceFee, "保證金"),
    ("traditional_customs_hold", "包裹被海關扣留了，請先繳納800元關稅才能放行", Category::AdvanceFee, "海關扣留"),
    ("traditional_order_timeout", "訂單即將超時，請立即付款，否則系統自動取消", Category::Urgency, "訂單即將超時"),
    ("traditional_confirm_receipt", "貨還沒到的話也可以先確認收貨，後天就到了", Category::DisputePressure, "確認收貨"),
    ("traditional_account_frozen", "公司帳戶被凍結了，麻煩打款到我們財務的個人卡上", Category::GatewayMaintenancePretext, "帳戶被凍結"),
    ("traditional_private_account_tax", "打我們私帳可以免稅點，價格更低", Category::TaxInvoicePretext, "私帳"),
    ("traditional_qr_code", "掃我的微信收款碼付款，給你少收20", Category::OffPlatformPayment, "收款碼"),
    ("traditional_scan_verify_store", "掃碼認證店鋪，否則關店", Category::FakePaymentLink, "掃碼認證店鋪"),
    ("traditional_withdraw_refund", "退款先撤銷一下，我給您補發", Category::DisputePressure, "撤銷"),
    // ---- Leetspeak and look-alike digits/symbols (wh@tsapp, w3chat, p4ypal, $kype, pers0nal acc0unt).
    ("leet_whatsapp", "pls message me on wh@tsapp +86 138 0013 8000", Category::ContactMove, "wh@tsapp"),
    ("leet_wechat", "add me on w3chat: kelly_88, faster reply", Category::ContactMove, "w3chat"),
    ("leet_paypal", "p4ypal friends and family only, I ship same day", Category::OffPlatformPayment, "p4ypal"),
    ("leet_skype", "add me on $kype: live:sunny.trade for video call", Category::ContactMove, "$kype"),
    ("leet_personal_account", "You can TT to my pers0nal acc0unt, faster and no fees", Category::OffPlatformPayment, "pers0nal acc0unt"),
    ("leet_without_invoice", "w1th0ut inv0ice the price is 6% lower", Category::TaxInvoicePretext, "w1th0ut inv0ice"),
    ("leet_close_dispute", "Please cl0se the disput3, I will resend a new one tomorrow", Category::DisputePressure, "cl0se the disput3"),
    ("leet_replica", "r3plica watches, swiss movement, 85 usd", Category::CounterfeitHint, "r3plica"),
    ("leet_western_union", "send by W3stern Uni0n, I give you the receiver name", Category::OffPlatformPayment, "W3stern Uni0n"),
    ("leet_maintenance", "Alibaba checkout is under m@intenance today, please pay directly by T/T to our bank", Category::GatewayMaintenancePretext, "m@intenance"),
    ("leet_customs", "your parcel is held by cust0ms, pay the clearance fee of $180 to release it", Category::AdvanceFee, "cust0ms"),
    ("leet_pay_today", "pl3ase p@y t0day, otherwise the price will change tomorrow", Category::Urgency, "p@y t0day"),
    ("leet_payment_link", "I send you a p@yment l1nk, faster than Alibaba checkout and no fee", Category::FakePaymentLink, "p@yment l1nk"),
    ("leet_telegram", "contact me on t3l3gram @fast_supply88", Category::ContactMove, "t3l3gram"),
    ("leet_lookalike_domain", "pay the deposit at www.p4ypal-checkout.xyz/inv/33", Category::FakePaymentLink, "p4ypal-checkout.xyz"),
    ("leet_usdt", "pay in u$dt, trc20 wallet address below", Category::OffPlatformPayment, "u$dt"),
    ("leet_hit_me_whatsapp", "hit me up on wh@tsapp bro, faster reply", Category::ContactMove, "wh@tsapp"),
    ("leet_knockoff", "kn0ck0ff Jordan 4, nobody can tell, 30 usd a pair", Category::CounterfeitHint, "kn0ck0ff"),
    ("leet_cancel_refund", "cancel the r3fund, i send u again tomorrow", Category::DisputePressure, "r3fund"),
    ("leet_dont_report", "pls dont rep0rt to alibaba, i refund u on paypal", Category::DisputePressure, "rep0rt"),
    // ---- Repeated letters (wechaaat, whatsaaapp).
    ("repeat_wechat", "add me on wechaaat: sunny_888", Category::ContactMove, "wechaaat"),
    ("repeat_whatsapp", "message me on whatsaaapp +86 138 0013 8000", Category::ContactMove, "whatsaaapp"),
    ("repeat_paypal", "paypaaal friends and family only pls", Category::OffPlatformPayment, "paypaaal"),
    ("repeat_telegram", "contact me on telegraaam @fast_supply88", Category::ContactMove, "telegraaam"),
    ("repeat_personal_account", "send it to my personnnal account, faster and no fees", Category::OffPlatformPayment, "personnnal"),
    ("repeat_without_invoice", "without invoooice, price is 5% lower", Category::TaxInvoicePretext, "invoooice"),
    ("repeat_close_dispute", "please close the disssspute, I will resend tomorrow", Category::DisputePressure, "disssspute"),
    ("repeat_replica", "repliiica watches, swiss movement", Category::CounterfeitHint, "repliiica"),
    ("repeat_western_union", "pay by Westeeern Union today, I give you the receiver name", Category::OffPlatformPayment, "Westeeern Union"),
    ("repeat_customs", "your parcel is held by cuuustoms, pay the clearance fee of $180 to release it", Category::AdvanceFee, "cuuustoms"),
    ("repeat_maintenance", "Alibaba checkout is under maintenaaance, pay directly by T/T to our bank", Category::GatewayMaintenancePretext, "maintenaaance"),
    ("repeat_discount_expires", "this discount expiiires tonight, please complete the payment now", Category::Urgency, "expiiires"),
    ("repeat_skype", "add me on skyyype: live:sunny.trade", Category::ContactMove, "skyyype"),
    ("repeat_payment_link", "pay via this payment liiink instead, it is cheaper", Category::FakePaymentLink, "liiink"),
    // ---- Phone and account numbers written as Chinese, financial, circled or full-width numerals.
    ("numerals_han_phone", "手机号：一三八 零零一三 八零零零，有事电联", Category::ContactMove, "一三八 零零一三 八零零零"),
    ("numerals_circled_phone", "电话 ①③⑨①②③④⑤⑥⑦⑧ 直接打给我", Category::ContactMove, "①③⑨①②③④⑤⑥⑦⑧"),
    ("numerals_fullwidth_phone", "手机：１３８ ００１３ ８０００，电联", Category::ContactMove, "１３８ ００１３ ８０００"),
    ("numerals_han_wechat_id", "微信：一三五一二三四五六七八，加我发您报价", Category::ContactMove, "一三五一二三四五六七八"),
    ("numerals_yao_phone", "打我电话 幺三八幺二三四五六七八", Category::ContactMove, "幺三八幺二三四五六七八"),
    ("numerals_han_kouku", "扣扣 二八四五五六一九三二 发你图片", Category::ContactMove, "扣扣 二八四五五六一九三二"),
    ("numerals_circled_qq", "QQ：⑧⑧⑥⑤②①⓪③，加我发你图纸", Category::ContactMove, "⑧⑧⑥⑤②①⓪③"),
    ("numerals_han_call_me", "call me at 一三九 一二三四 五六七八 on whatsapp", Category::ContactMove, "一三九 一二三四 五六七八"),
    ("numerals_han_vx", "vx：一三五八八六六七七八八，加我详聊", Category::ContactMove, "一三五八八六六七七八八"),
    ("numerals_mixed_forms_phone", "手机号码 １３⑨ ①２③④ ５⑥７⑧，电联", Category::ContactMove, "１３⑨ ①２③④ ５⑥７⑧"),
    ("numerals_han_tel_en", "tel: 一三八 零零一三 八零零零, call me anytime", Category::ContactMove, "一三八 零零一三 八零零零"),
    ("numerals_han_my_phone_en", "my phone number is +八六 一三九 一二三四 五六七八, call me", Category::ContactMove, "八六 一三九 一二三四 五六七八"),
    ("numerals_fullwidth_mobile_en", "My mobile is ００８６ １３５１２０７６６９０, call me directly", Category::ContactMove, "００８６ １３５１２０７６６９０"),
    ("numerals_han_mobile_en", "Call me at 一三八 零零一三 八零零零, easier to talk than here", Category::ContactMove, "一三八 零零一三 八零零零"),
    ("numerals_han_tel_colon", "电话：一三九一二三四五六七八，微信同号", Category::ContactMove, "一三九一二三四五六七八"),
    ("numerals_han_alipay_account", "My Alipay account: 一三八 零零一三 八零零零, please pay there", Category::OffPlatformPayment, "一三八 零零一三 八零零零"),
    ("numerals_financial_phone", "手机号：壹叁捌 零零壹叁 捌零零零，有事电联", Category::ContactMove, "壹叁捌 零零壹叁 捌零零零"),
    // ---- Homophones, slang and abbreviations (薇信, 威信, 卫星, 扣扣, 企鹅, 纸飞机, vx, v信, 加V, 咔 for 卡, zfb, PT鞋).
    ("homophone_wei_rose_xin", "亲，加我薇信 lily520，发您实拍", Category::ContactMove, "薇信"),
    ("homophone_wei_power_xin", "有事加威信：kevin8899", Category::ContactMove, "威信"),
    ("homophone_satellite", "这边不方便，加我卫星聊", Category::ContactMove, "卫星"),
    ("homophone_kouku", "加我扣扣 2845561932，发你图纸", Category::ContactMove, "扣扣"),
    ("homophone_penguin", "企鹅号：88652103，详聊", Category::ContactMove, "企鹅号"),
    ("homophone_paper_plane", "上纸飞机聊吧，这里敏感，飞机号 @mia_bags", Category::ContactMove, "纸飞机"),
    ("homophone_vx", "vx：abc12345，加我详聊", Category::ContactMove, "vx"),
    ("homophone_v_xin", "方便留个v信吗，发您报价", Category::ContactMove, "v信"),
    ("homophone_add_v", "有事加V：mike8899，这里回复慢", Category::ContactMove, "加V"),
    ("homophone_ka_for_card", "货款打到我们老板的个人咔上", Category::OffPlatformPayment, "个人咔"),
    ("homophone_wx_transfer", "wx转我就行，给您便宜10块", Category::OffPlatformPayment, "wx转我"),
    ("homophone_piao_pinyin", "不开piao可以便宜5个点", Category::TaxInvoicePretext, "不开piao"),
    ("homophone_telegraph", "加我电报：@cheapfactory，这边说话不方便", Category::ContactMove, "电报"),
    ("homophone_v_me_transfer", "v我转账，给你少算20", Category::OffPlatformPayment, "v我转账"),
    ("homophone_small_plane", "小飞机 @mia_bags 联系我", Category::ContactMove, "小飞机"),
    ("homophone_super_a", "超A货劳力士 现货，支持验货", Category::CounterfeitHint, "超A"),
    ("homophone_s_hu", "打我s户，可以不开票，便宜6个点", Category::TaxInvoicePretext, "s户"),
    ("homophone_add_wei", "有事加我微，这里回复慢", Category::ContactMove, "加我微"),
    ("homophone_pt_shoes", "PT鞋 公司级 现货，细节到位", Category::CounterfeitHint, "PT鞋"),
    ("homophone_zfb_transfer", "zfb转我就行，便宜5块", Category::OffPlatformPayment, "zfb转我"),
    ("homophone_v_xin_transfer", "V信转账给我，马上发货", Category::OffPlatformPayment, "V信转账给我"),
    ("homophone_a_huo", "A货劳力士，支持验货", Category::CounterfeitHint, "A货"),
    // ---- Han and Latin mixed in one phrase (加我wechat, 转我personal账户).
    ("mixed_add_wechat", "加我wechat：lily_2025，发您图片", Category::ContactMove, "加我wechat"),
    ("mixed_personal_account", "转我personal账户，便宜5个点", Category::OffPlatformPayment, "personal账户"),
    ("mixed_add_whatsapp", "这里不方便，加我whatsapp +86 138 0013 8000 细聊", Category::ContactMove, "加我whatsapp"),
    ("mixed_paypal_friends", "PayPal好友付款就行，不要选商品付款", Category::OffPlatformPayment, "PayPal好友付款"),
    ("mixed_no_fapiao", "不要fapiao的话可以便宜3个点", Category::TaxInvoicePretext, "不要fapiao"),
    ("mixed_no_invoice_zh", "不开invoice单价少两毛", Category::TaxInvoicePretext, "不开invoice"),
    ("mixed_add_telegram", "加我telegram：@cheapfactory，这边说话不方便", Category::ContactMove, "加我telegram"),
    ("mixed_add_line", "請加LINE：abc123 詳談", Category::ContactMove, "加LINE"),
    ("mixed_usdt_zh", "货款可以用USDT支付，给您优惠", Category::OffPlatformPayment, "用USDT"),
    ("mixed_account_audit", "公司account在年审，定金微信转我就行", Category::GatewayMaintenancePretext, "account在年审"),
    ("mixed_western_union", "可以用western union汇款，收款人信息发你", Category::OffPlatformPayment, "western union"),
    ("mixed_qq_contact", "QQ上联系，发你图片", Category::ContactMove, "QQ上联系"),
    ("mixed_vx_transfer", "加个vx直接转我，马上安排发货", Category::OffPlatformPayment, "vx直接转我"),
    ("mixed_checkout_maintenance", "平台checkout在维护，先转我个人卡", Category::GatewayMaintenancePretext, "checkout在维护"),
    // Moved from KNOWN_GAPS once folding handled them.
    ("piped_weixin", "有事微|信：kevin8899，这里回复慢", Category::ContactMove, "微|信"),
    ("piped_wechat_letters", "add me on w|e|c|h|a|t: sunny_888", Category::ContactMove, "w|e|c|h|a|t"),
    ("emoji_inside_latin_word", "add me on we🔥chat: sunny_888", Category::ContactMove, "we🔥chat"),
    ("smallcaps_wechat", "add me on ᴡᴇᴄʜᴀᴛ: sunny_888", Category::ContactMove, "ᴡᴇᴄʜᴀᴛ"),
    ("combining_strikethrough_whatsapp", "message me on W\u{336}h\u{336}a\u{336}t\u{336}s\u{336}A\u{336}p\u{336}p\u{336} +86 138 0013 8000", Category::ContactMove, "W\u{336}h\u{336}a\u{336}t\u{336}s\u{336}A\u{336}p\u{336}p\u{336}"),
];

/// Evasions the detector misses today, with the reason. Kinds:
/// - folding gap: the folded view does not undo the evasion; the plain form (given) is caught;
/// - span gap: the message is caught but the span does not cover all of the evasive text;
/// - dictionary gap: a homophone or abbreviation no keyword lists; the plain word is caught;
/// - rule gap: no rule covers the phrasing; for a mixed-language message the all-Chinese (or all-English) form is
///   caught, otherwise the plain, un-evaded form given is missed too.
#[rustfmt::skip]
const KNOWN_GAPS: &[Case] = &[
    // rule gap (since the lexicon rules): "checkout has a bug" is no trouble word of the gateway rules, so a switch to
    //   Western Union is only off_platform_payment, not the maintenance pretext;
    ("leet_western_union_instead", "checkout has a bug, pay via w3stern uni0n instead", Category::GatewayMaintenancePretext, "w3stern uni0n"),
    // rule gap (since the lexicon rules): a Chinese brand name glued to `logo` with a private-chat ask is no
    //   counterfeit composition; `耐克的logo，私聊看实拍` likewise
    ("mixed_brand_logo", "耐克logo，私聊看实拍", Category::CounterfeitHint, "耐克logo"),
    // folding gap: `n0` is not resolved: the leetspeak vocabulary only has words of 3+ letters, so `no` is never a target;
    //   caught: no invoice, price is $4.10 instead of $4.50
    ("leet_two_letter_no", "n0 inv0ice, price is $4.10 instead of $4.50", Category::TaxInvoicePretext, "n0 inv0ice"),
    // folding gap: look-alikes are only folded inside a word that already has a Latin letter; ААА is all Cyrillic;
    //   caught: AAA quality Gucci belts, 12 usd each
    ("cyrillic_all_lookalike_aaa", "ААА quality Gucci belts, 12 usd each", Category::CounterfeitHint, "ААА"),
    // folding gap: two single letters are only joined across punctuation (W-U, V/X), not across a space;
    //   caught: pay by WU, I send you the receiver name
    ("spaced_two_letters_wu", "pay by W U, I send you the receiver name", Category::OffPlatformPayment, "W U"),
    // folding gap: two single letters are only joined across punctuation, not across a space;
    //   caught: 加qq 2845561932 发你图片
    ("spaced_two_letters_qq", "加q q 2845561932 发你图片", Category::ContactMove, "q q"),
    // folding gap: a word split into two multi-letter pieces is not rejoined (only runs of single letters are);
    //   caught: add me on wechat: sunny_888
    ("split_word_wechat", "add me on wec hat: sunny_888", Category::ContactMove, "wec hat"),
    // dictionary gap: 徽信 (homophone of 微信) is not a keyword; 薇信/威信/卫星 are;
    //   caught: 加我微信：kevin8899，发您实拍
    ("homophone_hui_xin", "加我徽信：kevin8899，发您实拍", Category::ContactMove, "徽信"),
    // dictionary gap: 微芯 (homophone of 微信) is not a keyword;
    //   caught: 加我微信：kevin8899，发您实拍
    ("homophone_wei_xin_core", "加我微芯：kevin8899，发您实拍", Category::ContactMove, "微芯"),
    // dictionary gap: bzj (pinyin initials of 保证金) is not a keyword;
    //   caught: 先交保证金2000元，3分钟原路退回
    ("homophone_bzj_deposit", "先交bzj 2000元，3分钟原路退回", Category::AdvanceFee, "bzj"),
    // rule gap: `wei xin` is a keyword of contact_move.wechat_invite, but the handle branch of its pattern only knows `weixin`/`we chat`;
    //   caught: weixin：kevin8899，加我详聊
    ("spaced_pinyin_wei_xin_handle", "wei xin：kevin8899，加我详聊", Category::ContactMove, "wei xin：kevin8899"),
    // rule gap: the Chinese close-dispute patterns only know 纠纷/退款/投诉…, not an English `dispute` inside Chinese;
    //   caught: 亲，先把纠纷关闭，我马上给您补发
    ("mixed_close_dispute", "亲，先把dispute关闭，我马上给您补发", Category::DisputePressure, "dispute关闭"),
    // rule gap: zh_dont_involve_platform has no English `dispute` alternative;
    //   caught: 亲，不要开纠纷，我给你补发
    ("mixed_dont_open_dispute", "亲，不要开dispute，我给你补发", Category::DisputePressure, "不要开dispute"),
    // rule gap: zh_pay_link has no English `payment link`; the English rule wants English `cheaper/instead/…`;
    //   caught: 我发你个付款链接，不走平台能便宜20
    ("mixed_payment_link", "我发你个payment link，不走平台能便宜20", Category::FakePaymentLink, "payment link"),
    // rule gap: zh_pay_link has no `link` alternative for 链接;
    //   caught: 付款链接发你了，比平台便宜
    ("mixed_pay_link_cheaper", "付款link发你了，比平台便宜", Category::FakePaymentLink, "付款link"),
    // rule gap: zh_pay_deadline has no English `pay` alternative (only 否则取消 is caught, which does not cover the pressure);
    //   caught: 今天必须付款，否则取消订单
    ("mixed_pay_today", "今天必须pay，否则取消订单", Category::Urgency, "今天必须pay"),
    // rule gap: zh_customs_hold_pay keys on 海关/清关…, not an English `customs` inside Chinese;
    //   caught: 海关扣押了，需要缴纳2000元才能放行
    ("mixed_customs_hold", "customs扣押了，需要缴纳2000元才能放行", Category::AdvanceFee, "customs扣押"),
    // rule gap: the Chinese deposit rules have no English `deposit` alternative;
    //   caught: 先交保证金2000元，3分钟原路退回
    ("mixed_deposit", "先交deposit 2000，3分钟原路退回", Category::AdvanceFee, "先交deposit"),
    // rule gap: the English personal-account patterns want `my/our … personal account`; 我的 is not `my`;
    //   caught: please pay to my personal account
    ("mixed_personal_account_en", "please pay to 我的personal account", Category::OffPlatformPayment, "personal account"),
    // rule gap: pay_via_chat_app's `send the money … on <app>` branch lists whatsapp/telegram/line/skype/signal/viber but not wechat;
    //   plain form also missed: pls send the money on wechat to me directly
    ("fullwidth_send_money_on_wechat", "pls send the money on ｗｅｃｈａｔ to me directly", Category::OffPlatformPayment, "ｗｅｃｈａｔ"),
    // rule gap: `pay my wife's Alipay` (no `to`) is not covered by third_party_payee_en, with or without the apostrophe;
    //   plain form also missed: pay my wife's Alipay pls, 5% off
    ("fullwidth_pay_wifes_alipay", "pay my wifes ＡＬＩＰＡＹ pls, 5% off", Category::OffPlatformPayment, "ＡＬＩＰＡＹ"),
    // rule gap: zh_pay_deadline has no `今天不付就涨价` form (今天 must be followed by a pay verb, not 不付);
    //   plain form also missed: 今天不付就涨价了哦
    ("traditional_unpaid_price_rise", "今天不付就漲價了哦", Category::Urgency, "漲價"),
    // rule gap: account_problem_pay_other needs the possessive `colleague's card`; without the apostrophe it is missed;
    //   plain form also missed: our alipay is under maintenance, pls pay to my colleague card
    ("fullwidth_alipay_maintenance_colleague_card", "our ａｌｉｐａｙ is under maintenance, pls pay to my colleague card", Category::GatewayMaintenancePretext, "ａｌｉｐａｙ"),
    // rule gap: account_problem_pay_other needs `sister's`; `sisters` without the apostrophe is missed (with it, even `fr0zen` is caught);
    //   plain form also missed: our bank acc is frozen, pay to my sisters acc
    ("leet_sisters_acc_no_apostrophe", "our bank acc is fr0zen, pay to my sisters acc", Category::GatewayMaintenancePretext, "fr0zen"),
];

/// `Ok` when some finding of `category` covers the first occurrence of `covered` in `text`; otherwise what was found.
fn check(name: &str, text: &str, category: Category, covered: &str) -> Result<(), String> {
    let at = text
        .find(covered)
        .unwrap_or_else(|| panic!("{name}: {covered:?} not in text"));
    let want = at..at + covered.len();
    let report = DETECTOR.scan(text);
    let ok = report
        .findings()
        .iter()
        .any(|f| f.category() == category && f.span().start <= want.start && want.end <= f.span().end);
    if ok {
        return Ok(());
    }
    let got: Vec<_> = report
        .findings()
        .iter()
        .map(|f| (f.rule_id().to_string(), text[f.span()].to_string()))
        .collect();
    Err(format!("{name}: want {category} covering {covered:?}; got {got:?}"))
}

#[test]
fn evasions_are_caught_with_spans_on_the_original() {
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|&(name, text, category, covered)| check(name, text, category, covered).err())
        .collect();
    assert!(CASES.len() >= 160, "only {} cases", CASES.len());
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn case_tables_are_well_formed() {
    let mut names: Vec<&str> = CASES.iter().chain(KNOWN_GAPS).map(|c| c.0).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "duplicate case names");
    for category in Category::ALL {
        let n = CASES.iter().filter(|c| c.2 == category).count();
        assert!(n >= 10, "only {n} cases for {category}");
    }
    for &(name, text, _, covered) in CASES.iter().chain(KNOWN_GAPS) {
        assert!(!text.contains('\n'), "{name}: one line per message");
        assert!(text.len() > covered.len() + 8, "{name}: a message, not a bare keyword");
    }
}

/// Documents the gaps; fails when one is now caught, so that it is moved into `CASES`.
#[test]
#[ignore = "documents known misses; run with --ignored"]
fn known_gaps_are_still_missed() {
    let now_caught: Vec<&str> = KNOWN_GAPS
        .iter()
        .filter(|&&(name, text, category, covered)| check(name, text, category, covered).is_ok())
        .map(|c| c.0)
        .collect();
    assert!(
        now_caught.is_empty(),
        "now caught, move them into CASES: {now_caught:?}"
    );
}
