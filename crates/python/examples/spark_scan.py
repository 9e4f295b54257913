"""Scan a marketplace's message history with Spark.

Reads messages from Parquet or JSON lines (columns: an id, the text, and optionally chat_id, sender and time),
scans them with `mapInArrow` (one detector per Python worker, one `scan_batch` call per Arrow batch, the GIL
released in Rust), and writes one row per message: id, chat_id (if given), risk, categories and the findings as
JSON (the CLI's `findings` array, byte offsets). With `--chats`, it also writes a per-chat roll-up: the
conversation risk over each chat's messages in time order, the number of messages and the escalation rules met.

    spark-submit --master local[*] crates/python/examples/spark_scan.py \\
        --input messages.parquet --output scanned/ [--chats chats/] [--id-col id] [--text-col text]

On a cluster, install the `redflag` wheel on every executor (or ship it with `--py-files`/an environment archive)
and submit the same way with your `--master`.
"""

import argparse

import pyarrow as pa

import redflag


def _worker_detector():
    """A function giving this Python worker process's detector, rebuilt once from the pickled rule sources the
    driver sent.

    Spark ships the closures below by value (this file need not be importable on the executors), so the cache
    cannot be a global of this file, which each task would get a copy of: it lives on the `redflag` module, which
    every worker imports once. The function is made here, nested, so that it too is shipped by value.
    """

    def get(pickled):
        import pickle

        import redflag as rf

        cache = rf.__dict__.setdefault("_worker_detectors", {})
        d = cache.get(pickled)
        if d is None:
            d = cache[pickled] = pickle.loads(pickled)
        return d

    return get


MESSAGE_SCHEMA = "id string, chat_id string, risk string, categories array<string>, findings string"
CHAT_SCHEMA = "chat_id string, risk string, messages long, escalations array<string>"


def scan_messages(df, detector, id_col="id", text_col="text", chat_col=None):
    """One row per message: id, chat_id, risk, categories, findings (JSON)."""
    import pickle

    pickled = pickle.dumps(detector)
    cols = [df[id_col].cast("string").alias("id"), df[text_col].cast("string").alias("text")]
    if chat_col:
        cols.append(df[chat_col].cast("string").alias("chat_id"))
    df = df.select(*cols)

    get_detector = _worker_detector()

    def scan_batches(batches):
        d = get_detector(pickled)
        for batch in batches:
            ids = batch.column("id").to_pylist()
            texts = [t or "" for t in batch.column("text").to_pylist()]
            chats = batch.column("chat_id").to_pylist() if "chat_id" in batch.schema.names else [None] * len(ids)
            reports = d.scan_batch(texts)
            yield pa.RecordBatch.from_arrays(
                [
                    pa.array(ids, pa.string()),
                    pa.array(chats, pa.string()),
                    pa.array([r.risk for r in reports], pa.string()),
                    pa.array([r.categories for r in reports], pa.list_(pa.string())),
                    pa.array([r.findings_json() for r in reports], pa.string()),
                ],
                names=["id", "chat_id", "risk", "categories", "findings"],
            )

    return df.mapInArrow(scan_batches, MESSAGE_SCHEMA)


def roll_up_chats(df, detector, text_col="text", chat_col="chat_id", sender_col=None, order_col="time", seller=None):
    """One row per chat: the conversation's risk over its messages in `order_col` order."""
    import pickle

    import pandas as pd

    pickled = pickle.dumps(detector)
    cols = [df[chat_col].cast("string").alias("chat_id"), df[text_col].cast("string").alias("text"), df[order_col].alias("_order")]
    if sender_col:
        cols.append(df[sender_col].cast("string").alias("sender"))
    df = df.select(*cols)

    get_detector = _worker_detector()

    def one_chat(pdf):
        d = get_detector(pickled)
        pdf = pdf.sort_values("_order", kind="stable")
        convo = d.conversation()
        for row in pdf.itertuples(index=False):
            role = "unknown"
            if seller is not None and sender_col:
                role = "seller" if row.sender == seller else "buyer"
            convo.push(role, row.text or "")
        return pd.DataFrame(
            {
                "chat_id": [pdf["chat_id"].iloc[0]],
                "risk": [convo.risk],
                "messages": [convo.messages],
                "escalations": [convo.escalations],
            }
        )

    return df.groupBy("chat_id").applyInPandas(one_chat, CHAT_SCHEMA)


def read(spark, path):
    if path.endswith(".parquet") or not (path.endswith(".jsonl") or path.endswith(".json")):
        return spark.read.parquet(path)
    return spark.read.json(path)


def main(argv=None):
    from pyspark.sql import SparkSession

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", required=True, help="Parquet file/directory or JSON lines (.jsonl/.json)")
    p.add_argument("--output", required=True, help="directory for the per-message results")
    p.add_argument("--chats", help="directory for the per-chat roll-up (needs a chat_id column)")
    p.add_argument("--format", choices=["parquet", "json"], default="parquet")
    p.add_argument("--id-col", default="id")
    p.add_argument("--text-col", default="text")
    p.add_argument("--chat-col", default="chat_id")
    p.add_argument("--order-col", default="time", help="orders a chat's messages (default: time)")
    p.add_argument("--rules", action="append", default=[], help="extra rule files (TOML), repeatable")
    p.add_argument("--master", help="Spark master when not run by spark-submit (e.g. local[*])")
    args = p.parse_args(argv)

    builder = SparkSession.builder.appName("redflag-scan")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    detector = redflag.Detector(rules=args.rules or None)
    df = read(spark, args.input)
    chat_col = args.chat_col if args.chat_col in df.columns else None
    out = scan_messages(df, detector, args.id_col, args.text_col, chat_col)
    out.write.mode("overwrite").format(args.format).save(args.output)
    if args.chats:
        if not chat_col:
            raise SystemExit(f"--chats needs a {args.chat_col!r} column")
        order = args.order_col if args.order_col in df.columns else args.id_col
        roll = roll_up_chats(df, detector, args.text_col, chat_col, None, order)
        roll.write.mode("overwrite").format(args.format).save(args.chats)
    spark.stop()


if __name__ == "__main__":
    main()
