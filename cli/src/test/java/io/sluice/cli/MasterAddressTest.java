package io.sluice.cli;

import static io.sluice.cli.CliTest.ROOT;
import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.IntegrationTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --master} and its connection: a bad or unreachable address is one line naming it and exit
 * 2 for every client command, within {@code --connect-timeout}; {@code SLUICE_MASTER} is the
 * default.
 */
class MasterAddressTest {
  private static final String HELLO = ROOT.resolve("examples/hello.yaml").toString();

  /** Each client command's arguments, the address to be appended. */
  private static List<String> command(String name) {
    return switch (name) {
      case "submit" -> List.of("submit", HELLO, "--wait");
      case "status" -> List.of("status", "some-id");
      case "cancel" -> List.of("cancel", "some-id");
      case "send-event" -> List.of("send-event", "--type", "t", "--instance", "some-id");
      case "placement" -> List.of("placement", HELLO);
      case "drain" -> List.of("drain", "w1", "--wait");
      case "list" -> List.of("list", "instances");
      case "watch" -> List.of("watch", "some-id");
      case "history" -> List.of("history", "some-id");
      case "logs" -> List.of("logs", "some-id");
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static CliTest.Result run(String name, String... more) {
    List<String> args = new ArrayList<>(command(name));
    args.addAll(List.of(more));
    return sluice(args.toArray(String[]::new));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "submit",
        "status",
        "cancel",
        "send-event",
        "placement",
        "drain",
        "list",
        "watch",
        "history",
        "logs"
      })
  void aPeerThatAcceptsButNeverAnswersEndsAtTheConnectDeadline(String name) throws Exception {
    // The kernel accepts the TCP connection into the backlog; nothing ever speaks HTTP/2.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + silent.getLocalPort();
      CliTest.Result r = run(name, "--master", address, "--connect-timeout", "500ms");
      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertThat(r.err())
          .isEqualTo(
              "sluice: cannot reach the master at "
                  + address
                  + ": no gRPC answer within --connect-timeout 500ms (is it a Sluice master's gRPC"
                  + " port?); is it running (sluice master --config FILE)?\n");
      assertThat(r.out()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "submit",
        "status",
        "cancel",
        "send-event",
        "placement",
        "drain",
        "list",
        "watch",
        "history",
        "logs"
      })
  void aPortNothingListensOnIsOneLineNamingIt(String name) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CliTest.Result r = run(name, "--master", "127.0.0.1:" + port);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith("sluice: cannot reach the master at 127.0.0.1:" + port + ": ")
        .containsIgnoringCase("refused");
  }

  @Test
  void malformedAddressesAreOneLineAndAHint() {
    CliTest.Result range = run("status", "--master", "127.0.0.1:99999");
    assertThat(range.exit()).isEqualTo(2);
    assertThat(range.err())
        .isEqualTo(
            "sluice status: --master 127.0.0.1:99999: port 99999 is not between 1 and 65535\n"
                + "see sluice status --help\n");
    for (String bad : List.of(":", "nonsense", "host:", ":17400", "h:p")) {
      CliTest.Result r = run("submit", "--master", bad);
      assertThat(r.exit()).as(bad).isEqualTo(2);
      assertThat(r.err())
          .as(bad)
          .startsWith("sluice submit: --master must be HOST:PORT (e.g. 127.0.0.1:17400), got '")
          .doesNotContain("Usage")
          .doesNotContain("\tat ");
    }
    CliTest.Result host = run("placement", "--master", "no-such-host.invalid:1");
    assertThat(host.exit()).isEqualTo(2);
    assertThat(host.err())
        .isEqualTo(
            "sluice: cannot reach the master at no-such-host.invalid:1: cannot resolve host"
                + " 'no-such-host.invalid'\n");
  }

  @Test
  void withoutMasterOrSluiceMasterTheCommandSaysWhatToGive() {
    // The test JVM runs without SLUICE_MASTER (surefire passes the environment through).
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(MasterAddress.ENV) == null);
    CliTest.Result r = sluice("status", "some-id");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "sluice status: --master HOST:PORT is required (or set SLUICE_MASTER=HOST:PORT)\n"
                + "see sluice status --help\n");
  }

  @Test
  @IntegrationTest // starts a JVM with SLUICE_MASTER in its environment
  void sluiceMasterIsTheDefaultAddress() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                "io.sluice.cli.Main",
                "status",
                "some-id")
            .redirectErrorStream(true);
    pb.environment().put(MasterAddress.ENV, "127.0.0.1:" + port);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out).startsWith("sluice: cannot reach the master at 127.0.0.1:" + port + ": ");
  }
}
