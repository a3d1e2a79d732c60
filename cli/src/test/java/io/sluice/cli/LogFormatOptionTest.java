package io.sluice.cli;

import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.log.LogLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code --log-format}: on every command, checked, one line when wrong. */
class LogFormatOptionTest {
  @AfterEach
  void backToText() {
    LogLayout.use("text");
  }

  @Test
  void everyCommandTakesItAndAWrongOneIsOneLine() {
    String hello = CliTest.ROOT.resolve("examples/hello.yaml").toString();
    assertThat(sluice("validate", "--log-format", "json", hello).exit()).isZero();
    assertThat(sluice("--log-format", "text", "validate", hello).exit()).isZero();
    CliTest.Result bad = sluice("validate", "--log-format", "xml", hello);
    assertThat(bad.exit()).isEqualTo(Main.EXIT_INVALID);
    assertThat(bad.err()).contains("text or json").hasLineCount(2);
  }
}
