package io.sluice.cluster.durable;

import io.sluice.cluster.api.EdgeEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a durable cluster ({@code durability: redis}) writes so that an instance goes on when a
 * process dies (docs/durability.md): the instance's start (by the master), each function call's
 * outcome (by the worker that ran it, before the result is used) and the edge events each worker
 * accepted from its peers (before it acknowledges them). A worker that takes over a dead worker's
 * part {@link #load}s this and replays the part: calls with a recorded outcome are not made again,
 * accepted edges resolve again, everything else is re-derived.
 *
 * <p>Every method is asynchronous and must not block its caller (engine threads and gRPC I/O
 * threads call it). A failed stage means the write is not durable; callers then hold back what
 * depended on it.
 */
public interface Journal extends AutoCloseable {

  /** The journal of a cluster without durability: records nothing, recovers nothing. */
  Journal NONE = new NoJournal();

  /** Whether this journal records anything (false for {@link #NONE}). */
  boolean enabled();

  /**
   * Whether the journal's store answers now (a master refuses new durable instances while it does
   * not, with a message naming it). Journals that cannot tell answer true.
   */
  default boolean reachable() {
    return true;
  }

  /** Where the journal keeps its records, for messages (e.g. {@code redis://host:port}). */
  default String describe() {
    return "the journal";
  }

  /** An instance started (written by the master before any part starts). */
  CompletionStage<Void> started(InstanceRecord record);

  /**
   * A function call completed (or failed) with {@code outcome}. The first outcome recorded for a
   * call key wins: the stage completes with the recorded one, which the caller must use (so two
   * runs of one call, e.g. by a worker wrongly declared dead and its replacement, agree).
   */
  CompletionStage<CallOutcome> called(String instanceId, String callKey, CallOutcome outcome);

  /** Edge events a worker accepted from peers (any instances; one round trip for the lot). */
  CompletionStage<Void> accepted(List<EdgeEvent> edges);

  /** A part of an instance ended on a worker (so that a restarted master hears of it). */
  CompletionStage<Void> partEnded(String instanceId, String partWorker, byte[] result);

  /**
   * A part of an instance moved from a dead worker to {@code holder} (written by the master before
   * the holder takes it over, so that a restarted master knows where it runs).
   */
  CompletionStage<Void> partMoved(String instanceId, String partWorker, String holder);

  /**
   * The instance ended: its record is kept for the configured retention (so late readers and {@code
   * status} find it), then dropped.
   */
  CompletionStage<Void> ended(String instanceId);

  /**
   * As {@link #ended(String)}, keeping the instance's final status (a serialized {@code
   * InstanceStatus}) for the retention, so that a restarted master still answers for it.
   */
  default CompletionStage<Void> ended(String instanceId, byte[] finalStatus) {
    return ended(instanceId);
  }

  /**
   * Prepares an ended instance to run again under its id (redrive, docs/durability.md): drops its
   * failed call outcomes, accepted edges, part ends, moves and final status, and counts it as
   * running again (its record no longer expires). Answers what is kept — its start and the
   * successful call outcomes, which the new run replays instead of calling again — or empty when
   * nothing is recorded of it (never started, or expired).
   */
  default CompletionStage<Optional<Recorded>> redrive(String instanceId) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(describe() + " cannot redrive instances"));
  }

  /** Everything recorded of an instance (empty if nothing was, or it expired). */
  CompletionStage<Optional<Recorded>> load(String instanceId);

  /** The instances started and not ended (what a restarted master reloads). */
  CompletionStage<List<InstanceRecord>> running();

  /**
   * A workflow version was registered: {@code registration} is what a restarted master needs to
   * register it again (a serialized {@code RegisterWorkflowRequest}), kept under {@code key}
   * ({@code name@version}; a later registration under the same key replaces it).
   */
  CompletionStage<Void> workflowRegistered(String key, byte[] registration);

  /** The registrations kept by {@link #workflowRegistered}, each once (ordered by key). */
  CompletionStage<List<byte[]>> workflows();

  @Override
  default void close() {}

  /** {@link #NONE}. */
  final class NoJournal implements Journal {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private NoJournal() {}

    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public CompletionStage<Void> started(InstanceRecord record) {
      return DONE;
    }

    @Override
    public CompletionStage<CallOutcome> called(
        String instanceId, String callKey, CallOutcome outcome) {
      return CompletableFuture.completedFuture(outcome);
    }

    @Override
    public CompletionStage<Void> accepted(List<EdgeEvent> edges) {
      return DONE;
    }

    @Override
    public CompletionStage<Void> partEnded(String instanceId, String partWorker, byte[] result) {
      return DONE;
    }

    @Override
    public CompletionStage<Void> partMoved(String instanceId, String partWorker, String holder) {
      return DONE;
    }

    @Override
    public CompletionStage<Void> ended(String instanceId) {
      return DONE;
    }

    @Override
    public CompletionStage<Optional<Recorded>> load(String instanceId) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<List<InstanceRecord>> running() {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<Void> workflowRegistered(String key, byte[] registration) {
      return DONE;
    }

    @Override
    public CompletionStage<List<byte[]>> workflows() {
      return CompletableFuture.completedFuture(List.of());
    }
  }
}
