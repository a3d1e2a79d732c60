package io.sluice.cluster.durable;

import io.sluice.cluster.api.ClusterException;

/**
 * A journal write or read that did not happen: Redis unreachable or silent past {@code redisWait}
 * ({@link Reason#UNAVAILABLE}: the same write may succeed once Redis is back), or Redis refused it
 * ({@link Reason#REFUSED}). The message names Redis, its address and, for a timeout, how long the
 * journal waited.
 */
public final class JournalException extends ClusterException {
  private static final long serialVersionUID = 1L;

  public JournalException(Reason reason, String message, Throwable cause) {
    super(reason, message, cause);
  }
}
