package io.sluice.master.instance;

import java.util.concurrent.atomic.LongAdder;

/**
 * The messages and bytes of one instance that went through the master: requests it sent to workers
 * and their answers, and what workers sent it about the instance (serialized protobuf sizes). The
 * client's own calls are not counted: they are the same whichever mode runs the instance.
 */
public final class MasterTraffic {
  private final LongAdder messages = new LongAdder();
  private final LongAdder bytes = new LongAdder();

  /** One message of {@code size} bytes. */
  public void message(int size) {
    messages.increment();
    bytes.add(size);
  }

  /** A round trip: a request and its answer. */
  public void roundTrip(int requestSize, int answerSize) {
    message(requestSize);
    message(answerSize);
  }

  /** Adds what {@code other} counted. */
  public void add(MasterTraffic other) {
    messages.add(other.messages());
    bytes.add(other.bytes());
  }

  public long messages() {
    return messages.sum();
  }

  public long bytes() {
    return bytes.sum();
  }
}
