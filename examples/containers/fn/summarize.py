def summarize(scores):
    longest = max(scores, key=lambda s: s["length"]) if scores else None
    return {
        "words": len(scores),
        "score": sum(s["score"] for s in scores),
        "longest": longest["word"] if longest else None,
    }
