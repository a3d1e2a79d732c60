package io.sluice.cli;

import picocli.CommandLine.Option;

/** The {@code --master HOST:PORT} option of every client command. */
final class MasterAddress {
  @Option(
      names = "--master",
      required = true,
      paramLabel = "HOST:PORT",
      description = "the master's gRPC address")
  String address;
}
