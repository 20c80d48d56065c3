"""Debian's python3-miio (a miIO client nobody here wrote) against one simulated Xiaomi device.

Reads one JSON request on stdin (the token never goes on a command line):
  {"ip": "127.1.2.3", "token": "<32 hex>", "did": "123", "steps": ["hello", "info", "get", "set", "get"],
   "set": [{"siid": 2, "piid": 2, "value": 70}], "get": [[2, 1], [2, 2]], "timeout": 2, "retries": 3}
and prints one JSON line per step: {"step": ..., "result": ...}, or {"step": "error", "type": ..., "message": ...}.
"""
import json
import sys

import miio
from miio.miioprotocol import MiIOProtocol


def main():
    req = json.loads(sys.stdin.readline())
    device = miio.Device(req["ip"], req["token"])
    device._protocol._timeout = req.get("timeout", 5)
    retries = req.get("retries", 3)
    did = req["did"]
    for step in req["steps"]:
        try:
            if step == "hello":
                m = MiIOProtocol.discover(req["ip"])
                result = {"device_id": int.from_bytes(m.header.value.device_id, "big"), "stamp": int(m.header.value.ts.timestamp())}
            elif step == "info":
                result = device.send("miIO.info", retry_count=retries)
            elif step == "get":
                result = device.send("get_properties", [{"did": did, "siid": s, "piid": p} for s, p in req["get"]], retry_count=retries)
            elif step == "set":
                result = device.send("set_properties", [dict(p, did=did) for p in req["set"]], retry_count=retries)
            else:
                raise ValueError("unknown step " + step)
            print(json.dumps({"step": step, "result": result}), flush=True)
        except Exception as e:  # the test reads what python-miio raised
            print(json.dumps({"step": "error", "at": step, "type": type(e).__name__, "message": str(e)}), flush=True)
            return


main()
