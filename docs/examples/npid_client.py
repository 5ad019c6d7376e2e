#!/usr/bin/python3
"""A client of npid-stream in Python, with Debian's packages only (apt-get install python3-kafka python3-avro).

Send an image to the images topic, with its class on the labels topic:
    /usr/bin/python3 docs/examples/npid_client.py ingest cat.png --label cats --bootstrap-servers 127.0.0.1:9092
Ask for an image's class and print the answer as one JSON line:
    /usr/bin/python3 docs/examples/npid_client.py query cat.png --bootstrap-servers 127.0.0.1:9092

The records are Avro in single-object encoding (docs/clients.md): C3 01, the writer schema's CRC-64-AVRO
fingerprint (8 bytes, little-endian), then the Avro body. The schemas are read from the repository's .avsc files.
"""
import argparse
import io
import json
import os
import struct
import sys
import time
import uuid

import avro.io
import avro.name
import avro.schema
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                       "schemas", "src", "main", "avro", "io", "npid", "schemas", "event")
IMAGE_MAX_BYTES = 8 * 1024 * 1024  # npid.image.max.bytes; the topics take it plus 64 KiB for the record

# CRC-64-AVRO, as the Avro specification gives it ("Schema Fingerprints")
EMPTY = 0xC15D213AA4D7A795
TABLE = []
for i in range(256):
    fp = i
    for _ in range(8):
        fp = (fp >> 1) ^ (EMPTY & -(fp & 1))
    TABLE.append(fp)


def fingerprint(schema):
    """The 64-bit CRC-64-AVRO of the schema's Parsing Canonical Form."""
    fp = EMPTY
    for byte in schema.canonical_form.encode("utf-8"):
        fp = (fp >> 8) ^ TABLE[(fp ^ byte) & 0xFF]
    return fp


def load_schemas(folder):
    """Parses the .avsc files; Image first, since ImageEvent and QueryEvent refer to it by name."""
    names = avro.name.Names()
    schemas = {}
    for name in ("Image", "ImageEvent", "LabelEvent", "QueryEvent", "ClassificationResult"):
        with open(os.path.join(folder, name + ".avsc"), encoding="utf-8") as f:
            schemas[name] = avro.schema.make_avsc_object(json.load(f), names)
    return schemas


def encode(schema, record):
    """Avro single-object encoding: C3 01, the fingerprint (little-endian), the body."""
    out = io.BytesIO()
    out.write(b"\xc3\x01" + struct.pack("<Q", fingerprint(schema)))
    avro.io.DatumWriter(schema).write(record, avro.io.BinaryEncoder(out))
    return out.getvalue()


def decode(schema, payload):
    """The record of a single-object encoded payload written with this schema."""
    if payload[:2] != b"\xc3\x01" or struct.unpack("<Q", payload[2:10])[0] != fingerprint(schema):
        raise ValueError("not a %s written with this schema version" % schema.name)
    return avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(payload[10:])))


def image_record(path):
    """An Image: the file's bytes as they are; PNG and JPEG carry their own size."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) > IMAGE_MAX_BYTES:
        sys.exit("%s: %d bytes, over npid.image.max.bytes" % (path, len(data)))
    encoding = "PNG" if data.startswith(b"\x89PNG") else "JPEG" if data.startswith(b"\xff\xd8\xff") else None
    if encoding is None:
        sys.exit("%s: not a PNG or JPEG file" % path)
    return {"encoding": encoding, "data": data, "width": None, "height": None, "channels": None}


def producer(args):
    # Kafka's default partitioner: murmur2 of the key, as in Java. The indexer finds an image's label in the
    # partition of its id, so every producer of images and labels must partition this way.
    return KafkaProducer(bootstrap_servers=args.bootstrap_servers, acks="all",
                         max_request_size=IMAGE_MAX_BYTES + 65536)


def ingest(args, schemas):
    image_id = args.id or "python/" + os.path.basename(args.image)
    now = int(time.time() * 1000)
    send = producer(args)
    event = {"id": image_id, "image": image_record(args.image), "label": None, "className": None,
             "source": args.image, "timestampMs": now}
    send.send(args.topic_prefix + "images", key=image_id.encode("utf-8"),
              value=encode(schemas["ImageEvent"], event)).get(timeout=30)
    if args.label:
        # the class goes to labels on its own: the image trains unlabelled, the label only votes
        label = {"id": image_id, "label": 0, "className": args.label, "timestampMs": now}
        send.send(args.topic_prefix + "labels", key=image_id.encode("utf-8"),
                  value=encode(schemas["LabelEvent"], label)).get(timeout=30)
    send.close()
    print(json.dumps({"id": image_id, "className": args.label}))
    return 0


def query(args, schemas):
    results = args.topic_prefix + "results"
    # read from the end of results, positioned before the query goes out, so its answer cannot be missed
    consumer = KafkaConsumer(bootstrap_servers=args.bootstrap_servers, enable_auto_commit=False, group_id=None)
    partitions = [TopicPartition(results, p) for p in sorted(consumer.partitions_for_topic(results) or [])]
    if not partitions:
        sys.exit("topic %s does not exist; create the topics with 'npid topics'" % results)
    consumer.assign(partitions)
    consumer.seek_to_end(*partitions)
    for partition in partitions:
        consumer.position(partition)
    query_id = "python-" + uuid.uuid4().hex[:12]
    request_id = str(uuid.uuid4())  # new for every send: two sends under one query id are answered apart
    event = {"queryId": query_id, "image": image_record(args.image), "k": args.k, "replyKey": None,
             "timestampMs": int(time.time() * 1000), "requestId": request_id}
    send = producer(args)
    send.send(args.topic_prefix + "queries", key=query_id.encode("utf-8"),
              value=encode(schemas["QueryEvent"], event)).get(timeout=30)
    send.close()
    deadline = time.time() + args.timeout
    while time.time() < deadline:
        for records in consumer.poll(timeout_ms=500).values():
            for record in records:
                # results are keyed by the query id (or by the replyKey a query sets); others are other queries'
                if record.key == query_id.encode("utf-8"):
                    result = decode(schemas["ClassificationResult"], record.value)
                    if result["requestId"] != request_id:
                        continue  # an answer to another send under this query id
                    print(json.dumps(result))
                    consumer.close()
                    return 0 if result["status"] in ("OK", "PARTIAL") else 1
    consumer.close()
    sys.exit("no answer to %s within %s s: are the embedder and the indexer running?" % (query_id, args.timeout))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["ingest", "query"])
    parser.add_argument("image", help="a PNG or JPEG file")
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--topic-prefix", default="npid.")
    parser.add_argument("--label", help="ingest: the image's class name, sent to labels")
    parser.add_argument("--id", help="ingest: the image id (default python/<file name>)")
    parser.add_argument("--k", type=int, help="query: neighbours that vote (default: the indexer's, 200)")
    parser.add_argument("--timeout", type=float, default=60.0, help="query: seconds to wait for the answer")
    parser.add_argument("--schemas", default=SCHEMAS, help="the folder of the .avsc files")
    args = parser.parse_args()
    schemas = load_schemas(args.schemas)
    return ingest(args, schemas) if args.command == "ingest" else query(args, schemas)


if __name__ == "__main__":
    sys.exit(main())
