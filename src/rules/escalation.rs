//! The built-in conversation escalation rules (`data/escalation.toml`): parsed once per detector, applied by
//! by a conversation over the messages of one chat.

use std::sync::Arc;

use serde::Deserialize;

use crate::score::{Category, Risk};

const ESCALATION: &str = include_str!("../../data/escalation.toml");

/// An escalation rule, from `data/escalation.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EscalationRule {
    pub(crate) id: String,
    pub(crate) description: String,
    /// The description in Chinese (simplified), for reports written in Chinese.
    #[serde(default)]
    pub(crate) description_zh: Option<String>,
    pub(crate) needs: Vec<Vec<Category>>,
    #[serde(default)]
    pub(crate) distinct: bool,
    pub(crate) risk: Risk,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EscalationFile {
    escalation: Vec<EscalationRule>,
}

/// The built-in escalation rules.
pub(crate) fn escalation_rules() -> Vec<Arc<EscalationRule>> {
    // Embedded data, checked by `tests::escalation_rules_load`; failing here is a build defect.
    match toml::from_str::<EscalationFile>(ESCALATION) {
        Ok(f) => f.escalation.into_iter().map(Arc::new).collect(),
        Err(e) => panic!("data/escalation.toml is invalid: {e}"),
    }
}
