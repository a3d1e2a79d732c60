package io.sluice.cli;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sluice.proto.WorkflowServiceGrpc;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * A client command's connection to the master. A master that cannot be reached, or that refuses the
 * request, becomes a {@link CommandLine.ParameterException}-style failure with exit code 2 and a
 * message naming the address.
 */
final class MasterConnection implements AutoCloseable {
  private final String address;
  private final ManagedChannel channel;

  MasterConnection(CommandLine cl, String address) {
    if (address == null || !address.matches("[^:\\s]+:\\d{1,5}")) {
      throw new CommandLine.ParameterException(
          cl, "--master must be HOST:PORT (e.g. 127.0.0.1:17400), got '" + address + "'");
    }
    this.address = address;
    this.channel =
        Grpc.newChannelBuilder(address, InsecureChannelCredentials.create())
            .maxInboundMessageSize(io.sluice.cluster.wire.WireLimits.MAX_MESSAGE_BYTES)
            .build();
  }

  /** A stub; {@code waitForEnd} calls get no deadline, others one of 60 s. */
  WorkflowServiceGrpc.WorkflowServiceBlockingStub stub(boolean waitForEnd) {
    var s = WorkflowServiceGrpc.newBlockingStub(channel);
    return waitForEnd ? s : s.withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /** The message and exit code for a failed call. */
  int fail(CommandLine cl, StatusRuntimeException e) {
    Status s = e.getStatus();
    String what = s.getDescription() == null ? s.getCode().toString() : s.getDescription();
    if (s.getCode() == Status.Code.UNAVAILABLE || s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      cl.getErr()
          .println(
              "sluice: cannot reach the master at "
                  + address
                  + " ("
                  + s.getCode()
                  + ": "
                  + what
                  + "); is it running (sluice master --config FILE)?");
    } else {
      cl.getErr().println("sluice: the master at " + address + " answered " + s.getCode() + ":");
      cl.getErr().println(what);
    }
    return Main.EXIT_INVALID;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
