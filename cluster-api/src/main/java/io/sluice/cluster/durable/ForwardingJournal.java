package io.sluice.cluster.durable;

import io.sluice.cluster.api.EdgeEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A journal that forwards every call to another one: extend it to watch or change a few calls
 * (tests that count what is recorded, or make a dying worker's writes vanish).
 */
public abstract class ForwardingJournal implements Journal {
  private final Journal delegate;

  protected ForwardingJournal(Journal delegate) {
    this.delegate = delegate;
  }

  protected Journal delegate() {
    return delegate;
  }

  @Override
  public boolean enabled() {
    return delegate.enabled();
  }

  @Override
  public CompletionStage<Optional<Recorded>> redrive(String instanceId) {
    return delegate.redrive(instanceId);
  }

  @Override
  public boolean reachable() {
    return delegate.reachable();
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public CompletionStage<Void> started(InstanceRecord record) {
    return delegate.started(record);
  }

  @Override
  public CompletionStage<CallOutcome> called(
      String instanceId, String callKey, CallOutcome outcome) {
    return delegate.called(instanceId, callKey, outcome);
  }

  @Override
  public CompletionStage<Void> accepted(List<EdgeEvent> edges) {
    return delegate.accepted(edges);
  }

  @Override
  public CompletionStage<Void> partEnded(String instanceId, String partWorker, byte[] result) {
    return delegate.partEnded(instanceId, partWorker, result);
  }

  @Override
  public CompletionStage<Void> partMoved(String instanceId, String partWorker, String holder) {
    return delegate.partMoved(instanceId, partWorker, holder);
  }

  @Override
  public CompletionStage<Void> ended(String instanceId) {
    return delegate.ended(instanceId);
  }

  @Override
  public CompletionStage<Void> ended(String instanceId, byte[] finalStatus) {
    return delegate.ended(instanceId, finalStatus);
  }

  @Override
  public CompletionStage<Optional<Recorded>> load(String instanceId) {
    return delegate.load(instanceId);
  }

  @Override
  public CompletionStage<List<InstanceRecord>> running() {
    return delegate.running();
  }

  @Override
  public CompletionStage<Void> workflowRegistered(String key, byte[] registration) {
    return delegate.workflowRegistered(key, registration);
  }

  @Override
  public CompletionStage<List<byte[]>> workflows() {
    return delegate.workflows();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
