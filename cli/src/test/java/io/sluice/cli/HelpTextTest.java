package io.sluice.cli;

import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every {@code --help}: each option and parameter described and labelled, each description a
 * complete sentence (the command list shows a command's first one alone), and no word or option
 * broken across two lines.
 */
class HelpTextTest {
  static Stream<String> commands() {
    List<String> names = new ArrayList<>();
    names.add("");
    names.addAll(new CommandLine(new Main()).getSubcommands().keySet());
    return names.stream();
  }

  private static CommandSpec spec(String name) {
    CommandLine cl = new CommandLine(new Main());
    return name.isEmpty() ? cl.getCommandSpec() : cl.getSubcommands().get(name).getCommandSpec();
  }

  @ParameterizedTest
  @MethodSource("commands")
  void helpIsCompleteAndUnbroken(String name) {
    CliTest.Result r = name.isEmpty() ? sluice("--help") : sluice(name, "--help");
    assertThat(r.exit()).isZero();
    String help = r.out();
    CommandSpec spec = spec(name);
    List<String> whole = new ArrayList<>();
    for (String d : spec.usageMessage().description()) {
      assertThat(d).as("a description of %s", name).matches("(?s).*[.)]$");
      whole.addAll(words(d));
    }
    for (String f : spec.usageMessage().footer()) {
      whole.addAll(words(f));
    }
    for (ArgSpec a : spec.args()) {
      String what = a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
      assertThat(String.join(" ", a.description())).as("%s %s", name, what).isNotBlank();
      if (a.arity().max() > 0) {
        assertThat(a.paramLabel()).as("%s %s", name, what).doesNotStartWith("<");
      }
      for (String d : a.description()) {
        whole.addAll(words(d));
      }
      if (a instanceof OptionSpec o && o.arity().max() > 0) {
        // In the synopsis and the option list alike.
        whole.add(o.longestName() + "=" + o.paramLabel());
      }
    }
    for (String w : whole) {
      assertThat(help).as("'%s' unbroken in:%n%s", w, help).contains(w);
    }
  }

  /** The words of a text picocli prints as they are (not those it fills in itself). */
  private static List<String> words(String text) {
    return Stream.of(text.split("\\s+")).filter(w -> !w.isEmpty() && !w.contains("${")).toList();
  }
}
