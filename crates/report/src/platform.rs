//! Which marketplace a chat is about, from what its messages say, or as the user tells.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// A marketplace whose buyer protection the next steps refer to.
///
/// # Example
///
/// ```
/// use redflag_report::Platform;
///
/// assert_eq!("1688".parse::<Platform>(), Ok(Platform::Alibaba1688));
/// assert_eq!(Platform::AliExpress.name(), "AliExpress");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Platform {
    /// Alibaba.com, the international B2B site (Trade Assurance).
    #[serde(rename = "alibaba")]
    Alibaba,
    /// 1688.com, the domestic Chinese B2B site (AliWangWang chat, Alipay escrow).
    #[serde(rename = "1688")]
    Alibaba1688,
    /// AliExpress, retail.
    #[serde(rename = "aliexpress")]
    AliExpress,
    /// Taobao and Tmall, domestic retail.
    #[serde(rename = "taobao")]
    Taobao,
}

impl Platform {
    /// Every platform.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(redflag_report::Platform::ALL.len(), 4);
    /// ```
    pub const ALL: [Platform; 4] = [
        Platform::Alibaba,
        Platform::Alibaba1688,
        Platform::AliExpress,
        Platform::Taobao,
    ];

    /// The short name used on the command line and in JSON: `alibaba`, `1688`, `aliexpress`, `taobao`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(redflag_report::Platform::Taobao.as_str(), "taobao");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Alibaba => "alibaba",
            Platform::Alibaba1688 => "1688",
            Platform::AliExpress => "aliexpress",
            Platform::Taobao => "taobao",
        }
    }

    /// The name a buyer knows it by.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(redflag_report::Platform::Alibaba.name(), "Alibaba.com");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Platform::Alibaba => "Alibaba.com",
            Platform::Alibaba1688 => "1688",
            Platform::AliExpress => "AliExpress",
            Platform::Taobao => "Taobao",
        }
    }

    /// The platform a text names most clearly, if any (see [`PlatformGuess`] to read a whole log).
    ///
    /// # Example
    ///
    /// ```
    /// use redflag_report::Platform;
    ///
    /// assert_eq!(Platform::detect("I found your shop on aliexpress"), Some(Platform::AliExpress));
    /// assert_eq!(Platform::detect("price is 1688 yuan"), None);
    /// ```
    pub fn detect(text: &str) -> Option<Platform> {
        let mut g = PlatformGuess::default();
        g.add(text);
        g.platform()
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Platform {
    type Err = String;

    fn from_str(s: &str) -> Result<Platform, String> {
        match s.to_ascii_lowercase().as_str() {
            "alibaba" | "alibaba.com" => Ok(Platform::Alibaba),
            "1688" | "1688.com" => Ok(Platform::Alibaba1688),
            "aliexpress" | "aliexpress.com" => Ok(Platform::AliExpress),
            "taobao" | "tmall" | "taobao.com" => Ok(Platform::Taobao),
            _ => Err(format!(
                "unknown platform {s:?} (expected alibaba, 1688, aliexpress, taobao)"
            )),
        }
    }
}

/// Words that name a platform or a feature only it has, with a weight: a domain or the platform's own name counts
/// more than a feature two platforms share. Matched on lowercased text.
const CUES: &[(&str, Platform, u32)] = &[
    ("alibaba.com", Platform::Alibaba, 3),
    ("trade assurance", Platform::Alibaba, 3),
    ("信用保障", Platform::Alibaba, 2),
    ("信保", Platform::Alibaba, 2),
    ("国际站", Platform::Alibaba, 2),
    ("國際站", Platform::Alibaba, 2),
    ("1688.com", Platform::Alibaba1688, 3),
    ("跨境宝", Platform::Alibaba1688, 3),
    ("跨境寶", Platform::Alibaba1688, 3),
    ("诚信通", Platform::Alibaba1688, 2),
    ("誠信通", Platform::Alibaba1688, 2),
    ("阿里旺旺", Platform::Alibaba1688, 1),
    ("旺旺", Platform::Alibaba1688, 1),
    ("wangwang", Platform::Alibaba1688, 1),
    ("aliexpress", Platform::AliExpress, 3),
    ("ali express", Platform::AliExpress, 3),
    ("速卖通", Platform::AliExpress, 3),
    ("速賣通", Platform::AliExpress, 3),
    ("open dispute", Platform::AliExpress, 1),
    ("purchase protection", Platform::AliExpress, 1),
    ("taobao", Platform::Taobao, 3),
    ("淘宝", Platform::Taobao, 3),
    ("淘寶", Platform::Taobao, 3),
    ("天猫", Platform::Taobao, 3),
    ("天貓", Platform::Taobao, 3),
    ("tmall", Platform::Taobao, 3),
    ("千牛", Platform::Taobao, 1),
];

/// Reads a chat message by message and guesses the platform it is about.
///
/// Cues are the platforms' names and domains (`alibaba.com`, `1688`, `aliexpress`, `淘宝`), features only one has
/// (Trade Assurance / 信保, 跨境宝, 速卖通), and weaker shared ones (旺旺 is 1688's and Taobao's chat). A bare
/// "Alibaba" counts for Alibaba.com. `1688` counts only as a word of its own, not inside a number or after a
/// currency sign (a price of ¥1688 is not the platform). The platform with the highest score wins; a tie is no guess.
///
/// # Example
///
/// ```
/// use redflag_report::{Platform, PlatformGuess};
///
/// let mut g = PlatformGuess::default();
/// g.add("hi, I saw your store on 1688");
/// g.add("请在旺旺上确认规格");
/// assert_eq!(g.platform(), Some(Platform::Alibaba1688));
/// ```
#[derive(Debug, Default, Clone)]
pub struct PlatformGuess {
    score: [u32; 4],
}

impl PlatformGuess {
    /// Adds the cues of one message.
    pub fn add(&mut self, text: &str) {
        let lower = text.to_lowercase();
        for &(cue, platform, weight) in CUES {
            let n = lower.matches(cue).count() as u32;
            self.score[platform as usize] += n * weight;
        }
        // "alibaba" alone (not ".com", which is counted above) is Alibaba.com; "1688" on its own.
        let bare_alibaba = lower.matches("alibaba").count() - lower.matches("alibaba.com").count();
        self.score[Platform::Alibaba as usize] += bare_alibaba as u32 * 2;
        self.score[Platform::Alibaba1688 as usize] += count_1688(&lower) * 3;
    }

    /// The best guess, or `None` when nothing (or a tie) points to one platform.
    pub fn platform(&self) -> Option<Platform> {
        let best = *self.score.iter().max()?;
        if best == 0 || self.score.iter().filter(|&&s| s == best).count() > 1 {
            return None;
        }
        Platform::ALL.into_iter().find(|p| self.score[*p as usize] == best)
    }
}

/// How many times `1688` stands as a name: not part of a longer number, a price or an amount
/// (`¥1688`, `1688元`, `1,688`, `1688 pcs`), and not followed by a unit; `1688.com` counts.
fn count_1688(lower: &str) -> u32 {
    let mut n = 0;
    for (at, _) in lower.match_indices("1688") {
        let before = lower[..at].chars().next_back();
        let after = &lower[at + 4..];
        let next = after.chars().next();
        let digit_or_money = |c: Option<char>| {
            c.is_some_and(|c| c.is_ascii_digit() || matches!(c, '¥' | '$' | '￥' | ',' | '.' | '€' | '£'))
        };
        if digit_or_money(before) && !after.starts_with(".com") {
            continue;
        }
        if next.is_some_and(|c| c.is_ascii_digit() || c == ',') || (next == Some('.') && !after.starts_with(".com")) {
            continue;
        }
        let rest = after.trim_start();
        const UNITS: &[&str] = &[
            "元", "块", "rmb", "yuan", "usd", "pcs", "pc", "个", "件", "套", "米", "kg", "g ", "美元", "dollars",
        ];
        if UNITS.iter().any(|u| rest.starts_with(u)) || before.is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_from_cues() {
        let cases: &[(&[&str], Option<Platform>)] = &[
            (&["hello"], None),
            (&["please order through trade assurance"], Some(Platform::Alibaba)),
            (&["found you on alibaba"], Some(Platform::Alibaba)),
            (&["你好，我在1688上看到你们的店"], Some(Platform::Alibaba1688)),
            (&["https://detail.1688.com/offer/123.html"], Some(Platform::Alibaba1688)),
            (&["亲，淘宝下单就行"], Some(Platform::Taobao)),
            (&["天貓旗艦店"], Some(Platform::Taobao)),
            (
                &["my aliexpress order", "I will open dispute"],
                Some(Platform::AliExpress),
            ),
            (&["速卖通的订单"], Some(Platform::AliExpress)),
            // Prices and amounts are not the platform.
            (
                &["unit price ¥1688", "total 1688元", "1,688 pcs", "21688", "1688 pcs"],
                None,
            ),
            // A tie is no guess.
            (&["alibaba.com or aliexpress?"], None),
        ];
        for (texts, want) in cases {
            let mut g = PlatformGuess::default();
            for t in *texts {
                g.add(t);
            }
            assert_eq!(g.platform(), *want, "{texts:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for p in Platform::ALL {
            assert_eq!(p.as_str().parse::<Platform>(), Ok(p));
        }
        assert!("ebay"
            .parse::<Platform>()
            .unwrap_err()
            .contains("expected alibaba, 1688"));
    }
}
