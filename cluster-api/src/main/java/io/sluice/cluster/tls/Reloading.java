package io.sluice.cluster.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read from files and read again when one of them changes (its modification time, size or
 * inode): how certificates and keys are rotated without a restart. The files are looked at (one
 * {@code stat} each) at every {@link #get()}, which TLS calls once or twice per handshake; a change
 * that cannot be read (a half-copied file, a key that does not fit its certificate) keeps the
 * previous value and is logged once.
 */
final class Reloading<T> {
  private static final Logger LOG = LoggerFactory.getLogger(Reloading.class);

  private record Snapshot<T>(List<Object> stamp, T value, long generation) {}

  private final List<Path> files;
  private final Supplier<T> loader;
  private volatile Snapshot<T> current;
  private List<Object> failedStamp = List.of();

  /**
   * Reads the value now.
   *
   * @throws RuntimeException the loader's, when the files cannot be read at start
   */
  Reloading(List<Path> files, Supplier<T> loader) {
    this.files = List.copyOf(files);
    this.loader = loader;
    List<Object> stamp = stamp();
    this.current = new Snapshot<>(stamp, loader.get(), 1);
  }

  /** The value of the files as they are now (or the last one that could be read). */
  T get() {
    return snapshot().value();
  }

  /** Counts the values read: 1 for the first, then one more per reload. */
  long generation() {
    return snapshot().generation();
  }

  private Snapshot<T> snapshot() {
    Snapshot<T> s = current;
    List<Object> now = stamp();
    if (now.equals(s.stamp())) {
      return s;
    }
    synchronized (this) {
      s = current;
      if (now.equals(s.stamp()) || now.equals(failedStamp)) {
        return s;
      }
      try {
        T value = loader.get();
        s = new Snapshot<>(now, value, s.generation() + 1);
        current = s;
        LOG.info("TLS: reloaded {}", files);
      } catch (RuntimeException e) {
        failedStamp = now;
        LOG.warn(
            "TLS: keeping the previous key material; cannot reload {}: {}", files, e.getMessage());
      }
      return s;
    }
  }

  private List<Object> stamp() {
    List<Object> out = new ArrayList<>(files.size() * 3);
    for (Path f : files) {
      try {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        out.add(a.lastModifiedTime().toMillis());
        out.add(a.size());
        out.add(a.fileKey() == null ? "" : a.fileKey());
      } catch (IOException e) {
        out.add("missing");
      }
    }
    return out;
  }
}
