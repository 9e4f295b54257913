//! Accuracy on labelled sets, as a floor that catches regressions (rustrict style):
//! `tests/data/heldout.jsonl` (written for this project, never used to write rules' examples) always, and the
//! shared development set when `../shared` is present.

use std::collections::BTreeMap;

use redflag::Detector;
use serde_json::Value;

struct Score {
    recall: f64,
    precision: f64,
    /// Share of the lines that warrant no alert raised to `high`, benign or not (the eval tool's figure).
    false_alert_rate: f64,
    /// Share of the benign look-alikes (no expected category) raised to `high`.
    benign_alert_rate: f64,
}

fn score(path: &std::path::Path) -> Score {
    let d = Detector::new();
    let text = std::fs::read_to_string(path).unwrap();
    let (mut tp, mut fn_, mut fp) = (BTreeMap::<String, usize>::new(), BTreeMap::new(), BTreeMap::new());
    let (mut benign, mut false_alerts) = (0, 0);
    let (mut lookalikes, mut lookalike_alerts) = (0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let row: Value = serde_json::from_str(line).unwrap();
        let msg = row["text"].as_str().unwrap().replace(['\r', '\n'], " ");
        let report = d.scan(&msg);
        let got: Vec<String> = report.categories().iter().map(|c| c.as_str().to_string()).collect();
        let list = |k: &str| -> Vec<String> {
            row[k]
                .as_array()
                .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
                .unwrap_or_default()
        };
        let (want, allow) = (list("expect"), list("allow"));
        for c in &want {
            *(if got.contains(c) { &mut tp } else { &mut fn_ })
                .entry(c.clone())
                .or_insert(0) += 1;
        }
        for c in got.iter().filter(|c| !want.contains(c) && !allow.contains(c)) {
            *fp.entry(c.clone()).or_insert(0) += 1;
        }
        if row["alert"] != true {
            benign += 1;
            false_alerts += usize::from(report.is_alert());
            if want.is_empty() {
                lookalikes += 1;
                lookalike_alerts += usize::from(report.is_alert());
            }
        }
    }
    let sum = |m: &BTreeMap<String, usize>| m.values().sum::<usize>() as f64;
    let s = Score {
        recall: sum(&tp) / (sum(&tp) + sum(&fn_)).max(1.0),
        precision: sum(&tp) / (sum(&tp) + sum(&fp)).max(1.0),
        false_alert_rate: false_alerts as f64 / (benign as f64).max(1.0),
        benign_alert_rate: lookalike_alerts as f64 / (lookalikes as f64).max(1.0),
    };
    println!(
        "{}: recall {:.3} precision {:.3} false alerts {:.3}",
        path.display(),
        s.recall,
        s.precision,
        s.false_alert_rate
    );
    s
}

#[test]
fn heldout_set_floor() {
    let s = score(&crate::root().join("tests/data/heldout.jsonl"));
    assert!(s.recall >= HELDOUT_RECALL, "recall {:.3} < {HELDOUT_RECALL}", s.recall);
    assert!(
        s.precision >= HELDOUT_PRECISION,
        "precision {:.3} < {HELDOUT_PRECISION}",
        s.precision
    );
    // Indirect counterfeit hints (same factory, branded goods far below cost) are alerts by dev2's labels and not by
    // this file's; the rules follow dev2, so this file's overall figure counts them (0.078 when set). Benign
    // look-alikes are held on their own (0.030 when set).
    assert!(s.false_alert_rate <= 0.09, "false alert rate {:.3}", s.false_alert_rate);
    assert!(
        s.benign_alert_rate <= 0.04,
        "benign look-alike alert rate {:.3}",
        s.benign_alert_rate
    );
}

#[test]
fn development_set_floor() {
    let Some(shared) = crate::shared() else {
        println!("note: ../shared is absent; skipping the development-set floor");
        return;
    };
    let s = score(&shared.join("eval/dev.jsonl"));
    assert!(
        s.recall >= 0.95 && s.precision >= 0.95,
        "dev recall {:.3} precision {:.3}",
        s.recall,
        s.precision
    );
}

// Floors under the figures measured when the rules became compositions of concept lexicons (recall 0.855,
// precision 0.972, false alerts 0.046 on 2026-12-02); the per-phrase rules before them scored 0.86 recall here while
// missing a third of paraphrases elsewhere (dev2's check split, 0.56 then, 0.86 now).
const HELDOUT_RECALL: f64 = 0.84;
const HELDOUT_PRECISION: f64 = 0.96;
