package io.sluice.bench.workflow;

/** A running cluster the harness measures on: a master's gRPC address; closing stops it. */
interface BenchCluster extends AutoCloseable {
  /** The master's gRPC address, HOST:PORT. */
  String address();

  /** How a client reaches the master: plaintext, or TLS trusting the cluster's CA. */
  default io.grpc.ChannelCredentials credentials() {
    return io.grpc.InsecureChannelCredentials.create();
  }

  @Override
  void close();
}
