//! Categories, severities and the risk of a message.

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;

/// The pretext a finding belongs to. Serialized in snake_case (`off_platform_payment`).
///
/// # Example
///
/// ```
/// use redflag::Category;
///
/// let c: Category = "contact_move".parse().unwrap();
/// assert_eq!(c, Category::ContactMove);
/// assert_eq!(c.as_str(), "contact_move");
/// assert_eq!(Category::ALL.len(), 9);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Pay outside the platform's checkout/escrow: personal accounts, Western Union, PayPal F&F, private QR codes.
    OffPlatformPayment,
    /// Move the chat to WeChat, WhatsApp, Telegram, QQ, Skype, Line, e-mail or phone.
    ContactMove,
    /// Cheaper without an invoice, or pay a private account to save tax.
    TaxInvoicePretext,
    /// "The checkout / our account is under maintenance, audit, frozen or changed: pay this other account".
    GatewayMaintenancePretext,
    /// Real/original logo, 1:1, AAA, replica, 高仿, 原单, famous brands below cost.
    CounterfeitHint,
    /// Close or cancel the dispute/refund, confirm receipt before arrival, keep the platform out.
    DisputePressure,
    /// Payment links or QR codes that are not the platform's checkout; look-alike domains.
    FakePaymentLink,
    /// Surprise or upfront fees: customs release, unfreezing, deposits, verification fees.
    AdvanceFee,
    /// Time pressure around a payment.
    Urgency,
}

impl Category {
    /// Every category, in declaration order.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(redflag::Category::ALL[0], redflag::Category::OffPlatformPayment);
    /// ```
    pub const ALL: [Category; 9] = [
        Category::OffPlatformPayment,
        Category::ContactMove,
        Category::TaxInvoicePretext,
        Category::GatewayMaintenancePretext,
        Category::CounterfeitHint,
        Category::DisputePressure,
        Category::FakePaymentLink,
        Category::AdvanceFee,
        Category::Urgency,
    ];

    /// The snake_case name used in rule files and JSON.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(redflag::Category::FakePaymentLink.as_str(), "fake_payment_link");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Category::OffPlatformPayment => "off_platform_payment",
            Category::ContactMove => "contact_move",
            Category::TaxInvoicePretext => "tax_invoice_pretext",
            Category::GatewayMaintenancePretext => "gateway_maintenance_pretext",
            Category::CounterfeitHint => "counterfeit_hint",
            Category::DisputePressure => "dispute_pressure",
            Category::FakePaymentLink => "fake_payment_link",
            Category::AdvanceFee => "advance_fee",
            Category::Urgency => "urgency",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Category`], [`Severity`] or [`Risk`] from a string.
///
/// # Example
///
/// ```
/// let err = "lots".parse::<redflag::Severity>().unwrap_err();
/// assert!(err.to_string().contains("lots"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?} (expected one of: {expected})")]
pub struct ParseEnumError {
    what: &'static str,
    value: String,
    expected: &'static str,
}

impl FromStr for Category {
    type Err = ParseEnumError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| ParseEnumError {
                what: "category",
                value: s.to_string(),
                expected: "off_platform_payment, contact_move, tax_invoice_pretext, gateway_maintenance_pretext, \
                       counterfeit_hint, dispute_pressure, fake_payment_link, advance_fee, urgency",
            })
    }
}

/// How serious one finding is. Ordered: `Low < Medium < High`.
///
/// # Example
///
/// ```
/// use redflag::Severity;
/// assert!(Severity::High > Severity::Low);
/// assert_eq!("medium".parse::<Severity>().unwrap(), Severity::Medium);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A weak signal on its own (urgency).
    Low,
    /// Caution: keep the deal on the platform.
    Medium,
    /// Stop: do not pay or proceed until verified through the platform.
    High,
}

impl Severity {
    /// The snake_case name.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(redflag::Severity::High.as_str(), "high");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = ParseEnumError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            _ => Err(ParseEnumError {
                what: "severity",
                value: s.to_string(),
                expected: "low, medium, high",
            }),
        }
    }
}

/// The risk of a message or a conversation. Ordered: `None < Low < Medium < High`. An *alert* is `High`.
///
/// # Example
///
/// ```
/// use redflag::{Risk, Severity};
/// assert_eq!(Risk::from(Severity::Medium), Risk::Medium);
/// assert!(Risk::None < Risk::Low);
/// assert_eq!("none".parse::<Risk>().unwrap(), Risk::None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Deserialize)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    /// Nothing found.
    #[default]
    None,
    /// A weak signal.
    Low,
    /// Caution: keep the deal on the platform.
    Medium,
    /// Stop: do not pay or proceed until verified through the platform.
    High,
}

impl Risk {
    /// The snake_case name.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(redflag::Risk::Medium.as_str(), "medium");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::None => "none",
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }
}

impl fmt::Display for Risk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Risk {
    type Err = ParseEnumError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "none" => Ok(Risk::None),
            "low" => Ok(Risk::Low),
            "medium" => Ok(Risk::Medium),
            "high" => Ok(Risk::High),
            _ => Err(ParseEnumError {
                what: "risk",
                value: s.to_string(),
                expected: "none, low, medium, high",
            }),
        }
    }
}

impl From<Severity> for Risk {
    fn from(s: Severity) -> Risk {
        match s {
            Severity::Low => Risk::Low,
            Severity::Medium => Risk::Medium,
            Severity::High => Risk::High,
        }
    }
}

/// The risk of a set of findings' severities: the highest one.
pub(crate) fn risk_of(severities: impl IntoIterator<Item = Severity>) -> Risk {
    severities.into_iter().map(Risk::from).max().unwrap_or(Risk::None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>().unwrap(), c);
        }
        for s in [Severity::Low, Severity::Medium, Severity::High] {
            assert_eq!(s.as_str().parse::<Severity>().unwrap(), s);
        }
        for r in [Risk::None, Risk::Low, Risk::Medium, Risk::High] {
            assert_eq!(r.as_str().parse::<Risk>().unwrap(), r);
        }
    }

    #[test]
    fn risk_is_highest_severity() {
        assert_eq!(risk_of([]), Risk::None);
        assert_eq!(risk_of([Severity::Low, Severity::High, Severity::Medium]), Risk::High);
        assert_eq!(risk_of([Severity::Low]), Risk::Low);
    }
}
