package io.sluice.cli;

import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sluice.proto.WorkflowServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;

/**
 * A client command's connection to the master. It is made before the first request, within the
 * connect deadline ({@code --connect-timeout}): a malformed address, a host that does not resolve,
 * a port nothing listens on, or a peer that does not answer gRPC in time each become one line
 * naming the address and exit code 2 — never a stack trace, never a hang. A request the master
 * refuses is reported by {@link #fail}.
 */
final class MasterConnection implements AutoCloseable {
  private final String address;
  private final ManagedChannel channel;
  private final io.grpc.Channel calls;
  private java.util.Optional<io.sluice.cluster.tls.TlsContexts> tls = java.util.Optional.empty();

  MasterConnection(CommandLine cl, MasterAddress master) {
    this.address = master.address(cl);
    java.nio.file.Path tokenFile = master.tokenFile();
    io.grpc.ClientInterceptor token = tokenFile == null ? null : BearerHeader.fromFile(tokenFile);
    Duration timeout = master.connectTimeout(cl);
    long deadline = System.nanoTime() + timeout.toNanos();
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || !address.substring(colon + 1).matches("\\d{1,5}")) {
      throw new CommandLine.ParameterException(
          cl, "--master must be HOST:PORT (e.g. 127.0.0.1:17400), got '" + address + "'");
    }
    String host = address.substring(0, colon);
    int port = Integer.parseInt(address.substring(colon + 1));
    if (port < 1 || port > 65535) {
      throw new CommandLine.ParameterException(
          cl, "--master " + address + ": port " + port + " is not between 1 and 65535");
    }
    this.tls = master.tls(cl);
    InetAddress ip = resolve(host, deadline);
    probe(new InetSocketAddress(ip, port), deadline);
    this.channel =
        Grpc.newChannelBuilder(
                address,
                tls.map(t -> t.channel(io.sluice.cluster.tls.CertificateAuthority.Kind.MASTER))
                    .orElseGet(InsecureChannelCredentials::create))
            .maxInboundMessageSize(io.sluice.cluster.wire.WireLimits.MAX_MESSAGE_BYTES)
            .build();
    this.calls = token == null ? channel : io.grpc.ClientInterceptors.intercept(channel, token);
    try {
      awaitReady(deadline, timeout);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The host's address, looked up within the deadline (a resolver can take long to give up). */
  private InetAddress resolve(String host, long deadline) {
    CompletableFuture<InetAddress> lookup =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return InetAddress.getByName(host);
              } catch (UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    try {
      return lookup.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new CliFailure(
          Main.EXIT_INVALID,
          "cannot reach the master at " + address + ": cannot resolve host '" + host + "'");
    } catch (TimeoutException e) {
      lookup.cancel(true);
      throw unreachable("looking up host '" + host + "' took longer than --connect-timeout");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable("interrupted while looking up host '" + host + "'");
    }
  }

  /** A plain TCP connect first: its failure says precisely why (refused, timed out...). */
  private void probe(InetSocketAddress to, long deadline) {
    int millis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    try (Socket s = new Socket()) {
      s.connect(to, millis);
    } catch (java.net.SocketTimeoutException e) {
      throw unreachable("no connection within --connect-timeout");
    } catch (IOException e) {
      throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  /** Waits until the channel is READY: a peer that accepts TCP but does not speak gRPC ends too. */
  private void awaitReady(long deadline, Duration timeout) {
    ConnectivityState state = channel.getState(true);
    while (state != ConnectivityState.READY) {
      if (state == ConnectivityState.TRANSIENT_FAILURE) {
        throw unreachable(
            tls.isPresent()
                ? "the TLS connection failed (is it a Sluice master's gRPC port with security.tls,"
                    + " and is its certificate signed by the CA of --ca-file?)"
                : "the connection failed (is it a Sluice master's gRPC port? with security.tls,"
                    + " give the cluster's CA: --ca-file or SLUICE_CA_FILE)");
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw unreachable(
            "no gRPC answer within --connect-timeout "
                + io.sluice.model.format.Durations.format(timeout)
                + " (is it a Sluice master's gRPC port?)");
      }
      CountDownLatch changed = new CountDownLatch(1);
      channel.notifyWhenStateChanged(state, changed::countDown);
      try {
        changed.await(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw unreachable("interrupted while connecting");
      }
      state = channel.getState(false);
    }
  }

  private CliFailure unreachable(String why) {
    return new CliFailure(
        Main.EXIT_INVALID,
        "cannot reach the master at "
            + address
            + ": "
            + why
            + "; is it running (sluice master --config FILE)?");
  }

  /** A stub; {@code waitForEnd} calls get no deadline, others one of 60 s. */
  WorkflowServiceGrpc.WorkflowServiceBlockingStub stub(boolean waitForEnd) {
    var s = WorkflowServiceGrpc.newBlockingStub(calls);
    return waitForEnd ? s : s.withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /** The channel (with the token, if any), for asynchronous stubs (e.g. {@code submit --count}). */
  io.grpc.Channel channel() {
    return calls;
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
    } else if (s.getCode() == Status.Code.UNAUTHENTICATED
        || s.getCode() == Status.Code.PERMISSION_DENIED) {
      cl.getErr()
          .println(
              "sluice: the master at "
                  + address
                  + " refused the call ("
                  + s.getCode()
                  + "): "
                  + what);
    } else {
      cl.getErr().println("sluice: the master at " + address + " answered " + s.getCode() + ":");
      cl.getErr().println(what);
    }
    return Main.EXIT_INVALID;
  }

  @Override
  public void close() {
    if (channel == null) {
      return;
    }
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
