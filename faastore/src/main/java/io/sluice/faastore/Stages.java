package io.sluice.faastore;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Small helpers for completed and failed stages. */
final class Stages {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final CompletableFuture<Optional<Blob>> ABSENT =
      CompletableFuture.completedFuture(Optional.empty());

  private Stages() {}

  static CompletionStage<Void> done() {
    return DONE.copy();
  }

  static CompletionStage<Optional<Blob>> absent() {
    return ABSENT.copy();
  }

  static <T> CompletionStage<T> failed(Throwable t) {
    return CompletableFuture.failedFuture(t);
  }

  static StoreException tooLarge(DataKey key, long size, long limit) {
    return new StoreException(
        "value "
            + key
            + " is "
            + size
            + " bytes, over the store's max-value-size of "
            + limit
            + " bytes; make the node produce less data or raise max-value-size");
  }
}
