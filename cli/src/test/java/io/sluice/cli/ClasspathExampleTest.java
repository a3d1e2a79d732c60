package io.sluice.cli;

import static io.sluice.cli.CliTest.ROOT;
import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runtime.java.UserClassPath;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/classpath: a java function class of one's own, compiled here into a temporary folder (so
 * it is on no class path of the build), runs from {@code sluice run --classpath}, locally and on
 * in-process workers; without it, the call fails naming the class and how to add it.
 */
class ClasspathExampleTest {
  @TempDir Path classes;

  @AfterEach
  void forget() {
    UserClassPath.clear();
  }

  private void compileGreet() {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(
            null,
            null,
            null,
            "-cp",
            System.getProperty("java.class.path"),
            "-d",
            classes.toString(),
            ROOT.resolve("examples/classpath/src/example/classpath/Greet.java").toString());
    assertThat(rc).as("javac exit").isZero();
    assertThat(classes.resolve("example/classpath/Greet.class")).exists();
  }

  @Test
  void aClassOfOnesOwnRunsFromTheGivenFolder() {
    compileGreet();
    var r =
        sluice(
            "run",
            ROOT.resolve("examples/classpath/greet.yaml").toString(),
            "--classpath",
            classes.toString(),
            "--input",
            "{\"name\": \"Ada\"}");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("Hello, Ada!");
  }

  @Test
  void workersFindItToo() {
    compileGreet();
    var r =
        sluice(
            "run",
            ROOT.resolve("examples/classpath/greet.yaml").toString(),
            "--classpath",
            classes.toString(),
            "--workers",
            "2",
            "--input",
            "{\"name\": \"Grace\"}");
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).contains("Hello, Grace!");
  }

  @Test
  void withoutItTheCallSaysHowToAddTheClass() throws Exception {
    Files.createDirectories(classes.resolve("empty"));
    var r =
        sluice(
            "run",
            ROOT.resolve("examples/classpath/greet.yaml").toString(),
            "--classpath",
            classes.resolve("empty").toString());
    assertThat(r.exit()).as(r.err()).isNotZero();
    assertThat(r.err()).contains("example.classpath.Greet").contains("--classpath");
    System.out.println("without the class: exit " + r.exit() + ", " + r.err().strip());
  }

  @Test
  void aMissingEntryIsNamed() {
    var r =
        sluice(
            "run",
            ROOT.resolve("examples/classpath/greet.yaml").toString(),
            "--classpath",
            classes.resolve("nope.jar").toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_INVALID);
    assertThat(r.err()).contains("nope.jar does not exist");
  }
}
