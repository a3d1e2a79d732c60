package io.sluice.bench.workflow;

/** A running cluster the harness measures on: a master's gRPC address; closing stops it. */
interface BenchCluster extends AutoCloseable {
  /** The master's gRPC address, HOST:PORT. */
  String address();

  @Override
  void close();
}
