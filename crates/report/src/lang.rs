//! The language a report is written in.

use std::str::FromStr;

use serde::Serialize;

/// The language of the verdict, the labels and the steps: English or Chinese (simplified).
///
/// # Example
///
/// ```
/// use redflag_report::Lang;
///
/// assert_eq!("zh".parse::<Lang>(), Ok(Lang::Zh));
/// assert_eq!(Lang::of_text("请付款到我的个人账户"), Lang::Zh);
/// assert_eq!(Lang::of_text("please pay my personal account"), Lang::En);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English.
    En,
    /// Chinese (simplified characters).
    Zh,
}

impl Lang {
    /// The language most of `text` is written in.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(redflag_report::Lang::of_text(""), redflag_report::Lang::En);
    /// ```
    pub fn of_text(text: &str) -> Lang {
        let mut counter = LangCounter::default();
        counter.add(text);
        counter.lang()
    }

    /// The short name: `en` or `zh`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(redflag_report::Lang::Zh.as_str(), "zh");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Lang, String> {
        match s.to_ascii_lowercase().as_str() {
            "en" | "english" => Ok(Lang::En),
            "zh" | "cn" | "chinese" | "zh-cn" | "zh-hans" | "zh-tw" | "zh-hk" | "zh-hant" => Ok(Lang::Zh),
            _ => Err(format!("unknown language {s:?} (expected en, zh)")),
        }
    }
}

/// Counts Han characters against Latin letters over many texts.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct LangCounter {
    han: usize,
    latin: usize,
}

impl LangCounter {
    pub(crate) fn add(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_ascii_alphabetic() {
                self.latin += 1;
            } else if is_han(c) {
                self.han += 1;
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.han + self.latin == 0
    }

    /// Chinese when Han characters are at least a quarter of the letters: one Han character carries about as much
    /// as a short English word, so a log that is a quarter Han by count is mostly Chinese by content.
    pub(crate) fn lang(&self) -> Lang {
        if self.han > 0 && self.han * 4 >= self.latin {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_by_share_of_han() {
        let cases = [
            ("", Lang::En),
            ("hello, price is 2.10", Lang::En),
            ("亲，在吗", Lang::Zh),
            ("ok 好的，明天发货 thanks", Lang::Zh),
            ("please send the PI for the 500 pcs order 谢谢", Lang::En),
        ];
        for (text, want) in cases {
            assert_eq!(Lang::of_text(text), want, "{text:?}");
        }
    }

    #[test]
    fn names_parse() {
        for (s, want) in [("en", Ok(Lang::En)), ("ZH", Ok(Lang::Zh)), ("zh-TW", Ok(Lang::Zh))] {
            assert_eq!(s.parse::<Lang>(), want);
        }
        assert!("fr".parse::<Lang>().unwrap_err().contains("expected en, zh"));
    }
}
