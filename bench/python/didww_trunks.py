"""bench/cli.ts, part 5: what a plain script on DIDWW's official Python SDK (PyPI `didww` 3.2.0)
does with N outbound trunks: create them all, then delete them all, against the same emulator.

    python3 didww_trunks.py --url http://127.0.0.1:PORT/v3 --key KEY --trunks trunks.json [--rate 20]

--rate 0 (default): naive, one call after the other as fast as the SDK goes. --rate R: each call
starts no earlier than 1/R s after the previous one started. No retries either way: a refused call
(429 or other) is counted and the script goes on; a trunk whose create failed is not deleted, a
trunk whose delete failed is left behind. Prints one JSON object on stdout.

The SDK (didww/client.py, didww/resources/voice_out_trunk.py) has VoiceOutTrunk with
client.voice_out_trunks().create/delete, a `base_url` argument, and no retry or pacing of its own.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", ".python"))

from didww.client import DidwwClient  # noqa: E402
from didww.exceptions import DidwwApiError  # noqa: E402
from didww.resources.authentication_method import CredentialsAndIpAuthenticationMethod  # noqa: E402
from didww.resources.did import Did  # noqa: E402
from didww.resources.voice_out_trunk import VoiceOutTrunk  # noqa: E402


def build(args):
    t = VoiceOutTrunk()
    t.name = args["name"]
    t.on_cli_mismatch_action = args["onCliMismatchAction"]
    auth = args["authenticationMethod"]
    t.authentication_method = CredentialsAndIpAuthenticationMethod(allowed_sip_ips=auth["allowedSipIps"], tech_prefix=auth.get("techPrefix"))
    t.capacity_limit = args["capacityLimit"]
    t.threshold_amount = args["thresholdAmount"]
    t.dst_prefixes = args["dstPrefixes"]
    t.dids = [Did.build(i) for i in args["didIds"]]
    t.emergency_dids = [Did.build(i) for i in args["emergencyDidIds"]]
    return t


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--trunks", required=True, help="JSON file: a list of OutboundTrunk args (camelCase)")
    p.add_argument("--rate", type=float, default=0.0)
    o = p.parse_args()
    with open(o.trunks) as f:
        specs = json.load(f)
    client = DidwwClient(o.key, base_url=o.url)
    trunks = client.voice_out_trunks()
    gap = 1.0 / o.rate if o.rate > 0 else 0.0
    next_start = [time.monotonic()]
    failed = {"create": 0, "delete": 0}
    statuses = {}

    def pace():
        if gap:
            now = time.monotonic()
            if now < next_start[0]:
                time.sleep(next_start[0] - now)
            next_start[0] = max(now, next_start[0]) + gap

    def attempt(kind, fn):
        pace()
        try:
            return fn()
        except DidwwApiError as e:
            failed[kind] += 1
            key = str(getattr(e, "status_code", "?"))
            statuses[key] = statuses.get(key, 0) + 1
            return None

    t0 = time.monotonic()
    ids = []
    for spec in specs:
        r = attempt("create", lambda: trunks.create(build(spec)))
        if r is not None:
            ids.append(r.data.id)
    t1 = time.monotonic()
    for i in ids:
        attempt("delete", lambda: trunks.delete(i))
    t2 = time.monotonic()
    print(json.dumps({"createMs": round((t1 - t0) * 1000), "deleteMs": round((t2 - t1) * 1000), "created": len(ids), "failed": failed, "failedByStatus": statuses}))


if __name__ == "__main__":
    main()
