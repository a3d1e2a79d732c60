package io.sluice.runtime.process;

import io.sluice.runtime.CallTime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a stream to its end and keeps only its last {@link CallTime#DEFAULT_LOG_BYTES} bytes: the
 * call's log, and the end of it for error messages.
 *
 * @param text the kept bytes as text, starting on a whole character
 * @param truncated the stream held more than was kept
 */
record StderrTail(String text, boolean truncated) {
  static final int KEEP = CallTime.DEFAULT_LOG_BYTES;

  /** What an error message quotes of it, in characters. */
  static final int MESSAGE_KEEP = 4096;

  static StderrTail read(InputStream in) {
    byte[] kept = new byte[KEEP];
    int length = 0;
    long total = 0;
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        total += n;
        int drop = Math.max(0, length + n - KEEP);
        System.arraycopy(kept, drop, kept, 0, length - drop);
        length -= drop;
        System.arraycopy(buf, 0, kept, length, n);
        length += n;
      }
    } catch (IOException e) {
      // The process was killed; what was read so far is all there is.
    }
    int start = 0;
    while (total > KEEP && start < length && (kept[start] & 0xC0) == 0x80) {
      start++; // a cut character's continuation bytes
    }
    return new StderrTail(
        new String(kept, start, length - start, StandardCharsets.UTF_8), total > KEEP);
  }

  /** Its end for an error message: stripped, at most {@link #MESSAGE_KEEP} characters. */
  String forMessage() {
    String s = text.strip();
    return truncated || s.length() > MESSAGE_KEEP
        ? "..." + s.substring(Math.max(0, s.length() - MESSAGE_KEEP))
        : s;
  }
}
