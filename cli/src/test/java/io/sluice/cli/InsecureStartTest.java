package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a security section a master or worker refuses, before binding anything, a host that is
 * not loopback: exit 2 and one line naming the address and the config key.
 */
class InsecureStartTest {
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new String[] {String.valueOf(exit), out.toString(), err.toString()};
  }

  private static Path config(Path dir, String masterHost, String workerHost) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(
        f,
        "master: {host: "
            + masterHost
            + ", grpcPort: 17999, httpPort: 17998}\nworkers:\n  - {id: w1, host: "
            + workerHost
            + ", grpcPort: 17997, httpPort: 17996}\n");
    return f;
  }

  @Test
  void aMasterOnTheWildcardAddressIsRefused(@TempDir Path tmp) throws Exception {
    String[] r = run("master", "--config", config(tmp, "0.0.0.0", "127.0.0.1").toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2].strip().lines()).hasSize(1);
    assertThat(r[2])
        .startsWith(
            "sluice: refusing to listen on 0.0.0.0 (master.host (or SLUICE_MASTER)) with"
                + " security: none");
  }

  @Test
  void aWorkerOnALanAddressIsRefused(@TempDir Path tmp) throws Exception {
    String[] r =
        run(
            "worker",
            "--config",
            config(tmp, "127.0.0.1", "192.168.77.5").toString(),
            "--id",
            "w1");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2].strip().lines()).hasSize(1);
    assertThat(r[2])
        .startsWith(
            "sluice worker: refusing to listen on 192.168.77.5 (workers[0].host, w1) with"
                + " security: none");
  }
}
