import re

DEFAULT = "the gates of a sluice open when the water in front of them arrives"


def main(args):
    text = (args or {}).get("text") or DEFAULT
    return {"words": re.findall(r"[A-Za-z']+", text.lower())}
