# Sluice's synthetic function, run inside a container by the synthetic runtime (setting
# `container: docker`). The runtime computes what the call does from the node's hints and the
# time and data scales, exactly as the in-JVM synthetic runtime does, and sends it as the input:
#   {"node": ID, "sleepMs": MS, "payloadChars": N}
# The container sleeps MS and answers {"node": ID} plus "payload": "xxx..." of N characters when
# N > 0: the same output as the in-JVM runtime.
import time


def main(value):
    sleep_ms = value.get("sleepMs") or 0
    if sleep_ms > 0:
        time.sleep(sleep_ms / 1000.0)
    out = {"node": value["node"]}
    chars = value.get("payloadChars") or 0
    if chars > 0:
        out["payload"] = "x" * chars
    return out
