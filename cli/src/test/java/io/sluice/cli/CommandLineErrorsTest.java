package io.sluice.cli;

import static io.sluice.cli.CliTest.ROOT;
import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a mistyped command line prints: one line saying what is wrong, a hint, exit 2. */
class CommandLineErrorsTest {
  private static final String HELLO = ROOT.resolve("examples/hello.yaml").toString();

  @Test
  void aMistypedCommandSuggestsTheNearestOnes() {
    CliTest.Result r = sluice("sumbit", HELLO);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("'sumbit' is not a sluice command; did you mean: submit?");
    assertThat(r.err().lines()).hasSize(2).last().isEqualTo("see sluice --help");
    assertThat(sluice("stauts", "x").err()).contains("did you mean: status?");
    assertThat(sluice("bnech").err()).contains("did you mean: bench?");
    CliTest.Result none = sluice("frobnicate");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("the commands are: run, validate, graph");
    assertThat(none.out()).isEmpty();
  }

  @Test
  void aMistypedOptionSuggestsTheNearestOne() {
    CliTest.Result r = sluice("submit", "--wiat", HELLO);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "sluice submit: unknown option '--wiat'; did you mean: --wait?\n"
                + "see sluice submit --help\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "run|HELLO|--time-scale|fast",
        "run|HELLO|--workers|-1",
        "run|HELLO|--store|disk|--workers|1",
        "drain|w1|--master|127.0.0.1:1|--timeout|soon",
        "graph|HELLO|--format|gif",
        "submit|--master|127.0.0.1:1",
        "status|x|--master|127.0.0.1:1|--connect-timeout|0s"
      })
  void aBadOptionValueIsOneLinePlusAHintNotTheUsage(String line) {
    String[] args = line.replace("HELLO", HELLO).split("\\|");
    CliTest.Result r = sluice(args);
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().lines()).as(r.err()).hasSize(2);
    assertThat(r.err()).startsWith("sluice " + args[0] + ": ").doesNotContain("Usage:");
    assertThat(r.err().lines().toList().get(1)).isEqualTo("see sluice " + args[0] + " --help");
  }

  @Test
  void aMissingAtFileSaysItIsMissingForEveryAtFileOption() {
    CliTest.Result in = sluice("run", HELLO, "--input", "@missing.json");
    assertThat(in.exit()).isEqualTo(2);
    assertThat(in.err())
        .contains("--input: file missing.json does not exist (in " + Path.of("").toAbsolutePath())
        .doesNotContain("JSON:");
    CliTest.Result sub = sluice("submit", HELLO, "--master", "127.0.0.1:1", "--input", "@/no/x");
    assertThat(sub.err()).contains("--input: file /no/x does not exist");
    CliTest.Result data =
        sluice("send-event", "--type", "t", "--data", "@/no/d.json", "--master", "127.0.0.1:1");
    assertThat(data.exit()).isEqualTo(2);
    assertThat(data.err()).contains("--data: file /no/d.json does not exist");
    CliTest.Result dir = sluice("run", HELLO, "--input", "@" + ROOT);
    assertThat(dir.err()).contains("is a directory, not a file");
    CliTest.Result file = sluice("submit", "/no/wf.yaml", "--master", "127.0.0.1:1");
    assertThat(file.err()).contains("FILE: file /no/wf.yaml does not exist");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dot", "json", "yaml"})
  void graphPrintsEveryFormatToAStreamThatDoesNotFlushItself(String format) {
    StringWriter out = new StringWriter();
    int exit =
        Main.execute(
            new PrintWriter(new java.io.BufferedWriter(out), false),
            new PrintWriter(new StringWriter(), false),
            "graph",
            HELLO,
            "--format",
            format);
    assertThat(exit).isZero();
    assertThat(out.toString())
        .startsWith(
            switch (format) {
              case "dot" -> "digraph \"hello\"";
              case "json" -> "{";
              default -> "sluice: ";
            })
        .contains("hello");
  }

  @Test
  void graphDrawsSvgAndPngWithoutGraphviz(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    CliTest.Result svg = sluice("graph", HELLO, "--format", "svg");
    assertThat(svg.exit()).as(svg.err()).isZero();
    assertThat(svg.out()).startsWith("<svg").contains("data-node=").endsWith("</svg>\n");
    java.nio.file.Path png = tmp.resolve("hello.png");
    CliTest.Result r = sluice("graph", HELLO, "--format", "png", "-o", png.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isPositive();
    assertThat(img.getHeight()).isGreaterThan(40);
  }

  @Test
  void graphPngWithoutOutputSaysToAddOne() {
    CliTest.Result r = sluice("graph", HELLO, "--format", "png");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).contains("--output FILE");
  }

  @Test
  void suggestionsCountASwapAsOneEdit() {
    assertThat(Suggestions.distance("sumbit", "submit")).isEqualTo(1);
    assertThat(Suggestions.distance("", "run")).isEqualTo(3);
    assertThat(Suggestions.distance("drian", "drain")).isEqualTo(1);
    assertThat(Suggestions.closest("sub", java.util.List.of("submit", "status")))
        .contains("submit");
    assertThat(Suggestions.closest("xyz", java.util.List.of("run", "graph"))).isEmpty();
  }
}
