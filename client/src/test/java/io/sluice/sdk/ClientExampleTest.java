package io.sluice.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.LocalCluster;
import io.sluice.testing.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/client builds and runs: its sources compile against this module's classes and the
 * library's dependencies (with javax.tools, the JDK's own compiler: no Maven run, no download, no
 * install into a shared repository, so it works offline on a fresh clone), its main runs against a
 * master and workers in this JVM, and its pom asks for this build's sluice-client. Its history part
 * needs GetHistory (issue 12's server side).
 */
@IntegrationTest // a master and three workers in this JVM over gRPC
class ClientExampleTest {
  private static final Path EXAMPLE = ClientTest.ROOT.resolve("examples/client");

  @Test
  void theExampleCompilesAgainstTheLibraryAndRunsAgainstACluster(@TempDir Path classes)
      throws Exception {
    compile(classes);
    String out;
    try (LocalCluster cluster = new LocalCluster(3)) {
      out =
          runMain(
              classes,
              "example.HelloClient",
              cluster.address(),
              ClientTest.ROOT.resolve("examples/hello.yaml").toString());
    }
    assertThat(out).contains("registered hello@1").contains(" SUCCEEDED in ");
    assertThat(out).contains("status: SUCCEEDED").contains("node greet");
    assertThat(out).containsPattern("\\n +1 instance\\.started");
    assertThat(out).contains("instance.succeeded");
  }

  @Test
  void theExamplesPomDependsOnThisBuildsClient() throws IOException {
    String pom = Files.readString(EXAMPLE.resolve("pom.xml"));
    Matcher version =
        Pattern.compile("<artifactId>sluice-client</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(version.find()).as("sluice-client dependency in %s", pom).isTrue();
    Matcher parent =
        Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL)
            .matcher(Files.readString(ClientTest.ROOT.resolve("client/pom.xml")));
    assertThat(parent.find()).isTrue();
    assertThat(version.group(1)).isEqualTo(parent.group(1));
  }

  private static void compile(Path classes) throws IOException {
    List<String> sources;
    try (Stream<Path> files = Files.walk(EXAMPLE.resolve("src/main/java"))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).toList();
    }
    assertThat(sources).isNotEmpty();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("--release", "17", "-Xlint:all", "-Werror"));
    args.addAll(List.of("-classpath", classPath(), "-d", classes.toString()));
    args.addAll(sources);
    StringWriter errors = new StringWriter();
    int exit =
        javac.run(
            null,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(
                new java.io.OutputStream() {
                  @Override
                  public void write(int b) {
                    errors.write(b);
                  }
                },
                true,
                StandardCharsets.UTF_8),
            args.toArray(String[]::new));
    assertThat(exit).as("javac: %s", errors).isZero();
  }

  /**
   * The test's class path; a manifest-only jar (how failsafe starts the JVM) is replaced by the
   * entries its manifest lists.
   */
  private static String classPath() throws IOException {
    List<String> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      entries.add(e);
      if (e.endsWith(".jar") && Files.isRegularFile(Path.of(e))) {
        try (JarFile jar = new JarFile(e)) {
          var manifest = jar.getManifest();
          String cp = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
          if (cp != null) {
            for (String url : cp.trim().split("\\s+")) {
              entries.add(Path.of(java.net.URI.create(url)).toString());
            }
          }
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** Runs {@code main} of the compiled class and returns what it printed. */
  private static String runMain(Path classes, String mainClass, String... args) throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, ClientExampleTest.class.getClassLoader())) {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      loader.loadClass(mainClass).getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new AssertionError(
          "the example failed; it printed:\n" + printed.toString(StandardCharsets.UTF_8),
          e.getCause());
    } finally {
      System.setOut(stdout);
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    stdout.print(out);
    return out;
  }
}
