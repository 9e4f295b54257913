"""The Python package against the engine: offsets, batches, pickling, rule errors, conversations, chat logs."""

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import redflag

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def detector():
    return redflag.Detector()


@pytest.mark.parametrize(
    "text",
    [
        "Better you transfer the balance to my personal account, I give you 2% discount.",
        "亲，公司账户在年审，这次货款先转我们会计的个人卡，加我薇信 lily_8899",
        "🎉🎉 亲亲～ 加我微信 lily_8899 😊 私下转账便宜5个点 👍",
        "Ｐａｙ ｔｏ ｍｙ ｐｅｒｓｏｎａｌ ａｃｃｏｕｎｔ 🙏 thanks",
    ],
)
def test_character_offsets_slice_the_finding_text(detector, text):
    report = detector.scan(text)
    assert report.findings, text
    raw = text.encode("utf-8")
    for f in report.findings:
        assert text[f.start : f.end] == f.text
        assert raw[f.byte_start : f.byte_end].decode("utf-8") == f.text
    for e in report.entities:
        assert raw[e.byte_start : e.byte_end].decode("utf-8") == text[e.start : e.end]


def test_report_fields(detector):
    r = detector.scan("Our company account is under audit, please pay the deposit to my personal account.")
    assert r.risk == "high" and r.is_alert
    assert "off_platform_payment" in r.categories
    d = r.to_dict()
    assert d["risk"] == "high" and d["findings"]
    assert json.loads(r.to_json()) == d
    assert json.loads(r.findings_json()) == d["findings"]
    clean = detector.scan("Thanks, the samples arrived today.")
    assert clean.risk == "none" and not clean.is_alert and clean.findings == []


def test_scan_batch_equals_scan_in_order(detector):
    texts = [
        "add my wechat lily_8899",
        "Thanks, the samples arrived.",
        "不开票的话直接打我私人账户，再便宜3个点",
        "",
        "Pay here instead, it is cheaper than checkout: https://a1ibaba-secure.top/pay/77",
    ] * 60
    batch = detector.scan_batch(texts)
    assert len(batch) == len(texts)
    for text, b in zip(texts, batch):
        one = detector.scan(text)
        assert b.to_json() == one.to_json()
    assert [r.to_json() for r in detector.scan_batch(texts, threads=1)] == [r.to_json() for r in batch]
    assert detector.scan_batch([]) == []


def test_pickled_detector_scans_the_same(detector, tmp_path):
    rules = tmp_path / "zork.toml"
    rules.write_text(
        """
[lexicons.zork]
description = "A made-up currency"
terms = ["zorkmid*"]

[[rule]]
id = "off_platform_payment.zorkmids"
category = "off_platform_payment"
severity = "high"
all = ["{zork}", "{pay_verb}"]
within = "sentence"
examples.match = ["pay in zorkmids please", "pay zorkmids now"]
examples.ignore = ["zorkmids are a joke", "I will pay by card"]
""",
        encoding="utf-8",
    )
    custom = redflag.Detector(rules=[rules])
    assert custom.scan("please pay 40 zorkmids").is_alert
    for d in (detector, custom):
        loaded = pickle.loads(pickle.dumps(d))
        for text in ["please pay 40 zorkmids", "亲，这次货款先转我们会计的个人卡", "hello"]:
            assert loaded.scan(text).to_json() == d.scan(text).to_json()


def test_rule_errors_name_file_line_and_rule(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nid = "urgency.x"\ncategory = "urgency"\nseverity = "low"\nall = ["{nope}"]\n')
    with pytest.raises(redflag.RuleError) as e:
        redflag.Detector(rules=[bad])
    msg = str(e.value)
    assert "bad.toml:5" in msg and "urgency.x" in msg and "nope" in msg, msg
    with pytest.raises(redflag.RuleError):
        redflag.Detector.from_toml("[[rule]\n")
    with pytest.raises(redflag.RuleError):
        redflag.Detector(rules=[tmp_path / "missing.toml"])


def test_conversation_escalates_across_messages(detector):
    c = detector.conversation()
    c.push("seller", "Alibaba messenger is not stable for me, can we continue on WhatsApp?")
    assert c.risk in ("low", "medium")
    c.push("seller", "Please send the 30% deposit to our finance manager's personal account.")
    c.push("buyer", "ok")
    assert c.risk == "high" and c.messages == 3 and c.escalations
    with pytest.raises(ValueError):
        c.push("boss", "hi")


def test_parse_chat():
    log = "Lily: hello\nLily: add my wechat lily_88\nBob: ok"
    msgs = redflag.parse_chat(log)
    assert [m.sender for m in msgs] == ["Lily", "Lily", "Bob"]
    assert msgs[1].text == "add my wechat lily_88" and msgs[1].line == 2
    assert len(redflag.parse_chat(log, format="plain")) == 3
    with pytest.raises(ValueError):
        redflag.parse_chat(log, format="fax")
    # Every export format of the chat crate, auto-detected; the app's own lines are marked, not counted.
    line = "[LINE] Chat history with Lily\n\n2024/03/12(Tue)\n10:02\tLily\thello\n10:03\tLily\t[Sticker]\n10:04\tBob\tok\n"
    msgs = redflag.parse_chat(line)
    assert [(m.sender, m.text, m.system) for m in msgs] == [
        ("Lily", "hello", False), ("Lily", "[Sticker]", True), ("Bob", "ok", False)]
    assert [m.index for m in msgs] == [0, 1, 1]
    telegram = '{"name": "Lily", "messages": [{"id": 1, "type": "message", "date": "2024-03-12T10:02:00", ' \
        '"from": "Lily", "text": ["pay ", {"type": "bold", "text": "here"}]}]}'
    msgs = redflag.parse_chat(telegram, format="telegram")
    assert [(m.sender, m.text) for m in msgs] == [("Lily", "pay here")]


def test_same_risks_and_categories_as_the_cli(detector):
    """scan_batch over the held-out messages gives the CLI's risks and categories."""
    rows = [json.loads(l) for l in (ROOT / "tests/data/heldout.jsonl").read_text(encoding="utf-8").splitlines() if l]
    texts = [r["text"].replace("\n", " ") for r in rows]
    cli = os.environ.get("REDFLAG_SCAN_BIN") or str(ROOT / "target/release/examples/scan")
    if not Path(cli).exists():
        pytest.skip(f"no CLI binary at {cli} (build it with cargo build --release --example scan)")
    out = subprocess.run(
        [cli, "--lines", "--format", "jsonl", "--fail-on", "none"],
        input="\n".join(texts) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert len(out) == len(texts)
    for text, line, report in zip(texts, out, detector.scan_batch(texts)):
        want = json.loads(line)
        assert report.risk == want["risk"], text
        assert sorted(set(report.categories)) == sorted({f["category"] for f in want["findings"]}), text
