package io.sluice.runtime.synthetic;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Payload strings of synthetic outputs. A replayed workflow asks for the same few sizes again and
 * again, so strings are shared per size while their total stays under a budget; beyond it each one
 * is built fresh (cheap: one array fill).
 */
final class Payloads {
  private static final long BUDGET_CHARS = 64L * 1024 * 1024;

  private final Map<Integer, String> bySize = new ConcurrentHashMap<>();
  private final AtomicLong cachedChars = new AtomicLong();

  String of(int chars) {
    String s = bySize.get(chars);
    if (s != null) {
      return s;
    }
    s = "x".repeat(chars);
    if (cachedChars.addAndGet(chars) <= BUDGET_CHARS) {
      String raced = bySize.putIfAbsent(chars, s);
      if (raced != null) {
        cachedChars.addAndGet(-chars);
        return raced;
      }
    } else {
      cachedChars.addAndGet(-chars);
    }
    return s;
  }
}
