package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import java.net.URI;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code run --workers}'s store flags build a StoreConfig and default to its defaults. */
class RunStoreFlagsTest {

  private static StoreConfig store(String... flags) {
    String[] args = new String[flags.length + 3];
    args[0] = "wf.yaml";
    args[1] = "--workers";
    args[2] = "2";
    System.arraycopy(flags, 0, args, 3, flags.length);
    RunCommand run = new RunCommand();
    CommandLine cl = new CommandLine(run);
    cl.parseArgs(args);
    return run.storeConfig(cl);
  }

  @Test
  void withoutFlagsTheStoreIsStoreConfigsDefault() {
    assertThat(store()).isEqualTo(StoreConfig.DEFAULT);
    assertThat(store().inlineThreshold()).isEqualTo(StoreConfig.DEFAULT_INLINE_THRESHOLD);
    assertThat(store().mode()).isEqualTo(StoreMode.parse(StoreConfig.DEFAULT_MODE));
  }

  @Test
  void theHelpShowsStoreConfigsDefaults() {
    String help = new CommandLine(new RunCommand()).getUsageMessage();
    assertThat(help.replaceAll("\\s+", " "))
        .contains("(default " + StoreConfig.DEFAULT_INLINE_THRESHOLD + " bytes")
        .contains("(default " + StoreConfig.DEFAULT_MODE + ")");
  }

  @Test
  void flagsSetTheirKeysWithTheOneSizeRule() {
    StoreConfig c =
        store("--store", "tiered", "--inline-threshold", "64KB", "--redis", "redis://h:6379");
    assertThat(c.mode()).isEqualTo(StoreMode.TIERED);
    assertThat(c.inlineThreshold()).isEqualTo(64_000);
    assertThat(c.redisUri()).contains(URI.create("redis://h:6379"));
    assertThat(store("--inline-threshold", "64KiB").inlineThreshold()).isEqualTo(65_536);
  }

  @Test
  void badFlagsNameTheFlag() {
    assertThatThrownBy(() -> store("--inline-threshold", "lots"))
        .hasMessageStartingWith("--inline-threshold: bad size 'lots'");
    assertThatThrownBy(() -> store("--store", "disk"))
        .hasMessageStartingWith("--store: unknown store mode 'disk'");
    assertThatThrownBy(() -> store("--store", "redis"))
        .hasMessageStartingWith("--redis: store: 'redis' is required by mode redis");
  }
}
