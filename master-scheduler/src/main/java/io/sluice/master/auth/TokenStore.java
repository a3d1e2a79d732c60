package io.sluice.master.auth;

import io.sluice.cluster.security.TokenFile;
import io.sluice.cluster.security.TokenHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's client tokens ({@code security.tokens}), re-read when the file's modification time
 * changes, checked at most once a second on the call path (no timer to stop). A file that became
 * malformed or unreadable keeps the entries read before, with a warning: a half-written edit does
 * not lock every client out.
 */
public final class TokenStore {
  private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);
  private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

  private final Path file;
  private final LongSupplier nanos;
  private volatile List<TokenFile.Entry> entries;
  private volatile FileTime modified;
  private volatile long checkedAt;

  TokenStore(Path file, LongSupplier nanos) {
    this.file = file;
    this.nanos = nanos;
    try {
      this.modified = Files.getLastModifiedTime(file);
      this.entries = TokenFile.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tokens file " + file + ": " + e, e);
    }
    this.checkedAt = nanos.getAsLong();
    LOG.info("clients authenticate with tokens: {} entries in {}", entries.size(), file);
  }

  /**
   * Reads {@code file}.
   *
   * @throws UncheckedIOException when it cannot be read
   * @throws IllegalArgumentException naming the line of a malformed entry
   */
  public static TokenStore open(Path file) {
    return new TokenStore(file, System::nanoTime);
  }

  /** The entry whose hash is the token's, or null; every entry is compared, in constant time. */
  public TokenFile.Entry authenticate(String token) {
    reloadIfChanged();
    byte[] h = TokenHash.digest(token);
    TokenFile.Entry found = null;
    for (TokenFile.Entry e : entries) {
      if (MessageDigest.isEqual(h, e.hash()) && found == null) {
        found = e;
      }
    }
    return found;
  }

  /** The entry named {@code name} as the file holds it now, or null. */
  public TokenFile.Entry named(String name) {
    reloadIfChanged();
    for (TokenFile.Entry e : entries) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private void reloadIfChanged() {
    long now = nanos.getAsLong();
    if (now - checkedAt < CHECK_EVERY_NANOS) {
      return;
    }
    synchronized (this) {
      if (now - checkedAt < CHECK_EVERY_NANOS) {
        return;
      }
      checkedAt = now;
      try {
        FileTime m = Files.getLastModifiedTime(file);
        if (m.equals(modified)) {
          return;
        }
        entries = TokenFile.read(file);
        modified = m;
        LOG.info("tokens file {} re-read: {} entries", file, entries.size());
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "tokens file {} not re-read, keeping the previous entries: {}", file, e.getMessage());
      }
    }
  }
}
