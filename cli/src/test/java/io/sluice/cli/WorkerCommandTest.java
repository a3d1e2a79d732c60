package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerCommandTest {
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new String[] {String.valueOf(exit), out.toString(), err.toString()};
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aBadConfigExitsTwoNamingTheKey(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("c.yaml");
    Files.writeString(f, "master: {host: 127.0.0.1, grpcPort: 1}\nworkers: []\nbogus: 1\n");
    String[] r = run("worker", "--config", f.toString(), "--id", "w1");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("bogus").contains("httpPort");
  }

  @Test
  void aClasspathEntryThatDoesNotExistExitsTwoNamingIt(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("c.yaml");
    Files.writeString(
        f,
        "master: {host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\nworkers:\n  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + ", classpath: [fns/missing.jar]}\n");
    String[] r = run("worker", "--config", f.toString(), "--id", "w1");
    assertThat(r[0]).isEqualTo("2");
    // relative entries are resolved from the config file's folder
    assertThat(r[2]).contains(tmp.resolve("fns/missing.jar").toString()).contains("does not exist");
    io.sluice.runtime.java.UserClassPath.clear();
  }

  @Test
  void anUnknownIdExitsTwoListingTheWorkers(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("c.yaml");
    Files.writeString(
        f,
        "master: {host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\nworkers:\n  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n");
    String[] r = run("worker", "--config", f.toString(), "--id", "w7");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("unknown worker id 'w7'").contains("w1");
    String[] away =
        run("worker", "--config", f.toString(), "--id", "w1", "--register-timeout", "1");
    assertThat(away[0]).isEqualTo("1");
    assertThat(away[2]).contains("could not register with the master at 127.0.0.1:");
  }
}
