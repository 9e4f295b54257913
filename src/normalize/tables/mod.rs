//! The generated character tables that pass 1 folds by, one per file (written by `tools/gen_tables.py`).

mod confusables;
mod traditional;

pub(super) use self::confusables::CONFUSABLE_LATIN;
pub(super) use self::traditional::T2S;
