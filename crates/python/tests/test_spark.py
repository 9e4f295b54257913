"""The Spark job (examples/spark_scan.py) in Spark local mode on 100,000 generated messages: its per-message
results equal `scan_batch` on the same messages, and its per-chat roll-up equals a conversation pushed in Python."""

import json
import shutil
import sys
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (.ci/run installs it)")
pq = pytest.importorskip("pyarrow.parquet")
if shutil.which("java") is None:
    pytest.skip("no java on PATH (Spark needs it)", allow_module_level=True)

import pyarrow as pa  # noqa: E402

import redflag  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
import spark_scan  # noqa: E402

TEMPLATES = [
    "Thanks for the feedback on the stitching, the new sample ships on Friday.",
    "Alibaba messenger is not stable for me, can we continue on WhatsApp? +86 137 2288 4061",
    "Sorry dear, our company account is under annual audit, please send the deposit to our manager's personal account.",
    "亲，面料已经到厂了，预计下周三开始裁剪，大货照片做好了发您看",
    "亲，公司账户在年审，这次货款先转我们会计的个人卡",
    "If you pay today I keep the old price, from tomorrow the material cost goes up 8%.",
    "不开票的话直接打我私人账户，再便宜3个点",
    "Pay here instead, it is cheaper than checkout: https://a1ibaba-secure.top/pay/77",
    "1:1 App1e logo and box, $6.50/pc, real logo photos on my w.e.c.h.a.t",
    "OK 👍",
]
N = 100_000
PER_CHAT = 20


def test_spark_job_equals_scan_batch(tmp_path, monkeypatch):
    # The Python workers must be this interpreter, which has redflag and pyarrow installed.
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    texts = [f"{TEMPLATES[i % len(TEMPLATES)]} #{i}" for i in range(N)]
    ids = [f"m{i}" for i in range(N)]
    chats = [f"c{i // PER_CHAT}" for i in range(N)]
    table = pa.table({"id": ids, "chat_id": chats, "time": list(range(N)), "text": texts})
    src = tmp_path / "messages.parquet"
    pq.write_table(table, src)
    out, rolled = tmp_path / "scanned", tmp_path / "chats"

    spark_scan.main(["--input", str(src), "--output", str(out), "--chats", str(rolled), "--master", "local[2]"])

    got = pq.read_table(out).to_pylist()
    assert len(got) == N
    by_id = {r["id"]: r for r in got}
    d = redflag.Detector()
    alerts = 0
    for i, report in enumerate(d.scan_batch(texts)):
        row = by_id[ids[i]]
        assert row["chat_id"] == chats[i]
        assert row["risk"] == report.risk, texts[i]
        assert row["categories"] == report.categories, texts[i]
        assert json.loads(row["findings"]) == json.loads(report.to_json())["findings"], texts[i]
        alerts += report.is_alert
    assert alerts > N // 10, "the generated messages include scams"

    per_chat = {r["chat_id"]: r for r in pq.read_table(rolled).to_pylist()}
    assert len(per_chat) == N // PER_CHAT
    for c in range(0, N // PER_CHAT, 97):
        convo = d.conversation()
        for i in range(c * PER_CHAT, (c + 1) * PER_CHAT):
            convo.push("unknown", texts[i])
        row = per_chat[f"c{c}"]
        assert (row["risk"], row["messages"], row["escalations"]) == (convo.risk, convo.messages, convo.escalations)
