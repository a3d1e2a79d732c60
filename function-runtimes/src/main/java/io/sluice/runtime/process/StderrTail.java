package io.sluice.runtime.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a stream to its end and keeps only its last bytes, for error messages. */
final class StderrTail {
  static final int KEEP = 4096;

  private StderrTail() {}

  static String read(InputStream in) {
    byte[] kept = new byte[KEEP];
    int length = 0;
    long total = 0;
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        total += n;
        if (n >= KEEP) {
          System.arraycopy(buf, n - KEEP, kept, 0, KEEP);
          length = KEEP;
          continue;
        }
        int drop = Math.max(0, length + n - KEEP);
        System.arraycopy(kept, drop, kept, 0, length - drop);
        length -= drop;
        System.arraycopy(buf, 0, kept, length, n);
        length += n;
      }
    } catch (IOException e) {
      // The process was killed; what was read so far is all there is.
    }
    String text = new String(kept, 0, length, StandardCharsets.UTF_8).strip();
    return total > KEEP ? "..." + text : text;
  }
}
