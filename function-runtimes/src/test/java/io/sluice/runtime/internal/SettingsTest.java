package io.sluice.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Test
  void durationsWithUnitsAndIso() {
    assertThat(Settings.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Settings.parseDuration("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Settings.parseDuration("1.5m")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Settings.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Settings.parseDuration("PT5S")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Settings.parseDuration("soon")).isNull();
  }

  @Test
  void badSettingNamesFunctionPlaceAndSetting() {
    FunctionDef f =
        new FunctionDef(
            "resize", "process", JSON.objectNode().put("timeout", 5), Location.of("f.yaml", 3));
    assertThatThrownBy(() -> Settings.duration(f, "timeout"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("function 'resize' (f.yaml:3)")
        .hasMessageContaining("'timeout'")
        .hasMessageContaining("5s");
  }

  @Test
  void numbersAreChecked() {
    FunctionDef f =
        new FunctionDef(
            "s", "synthetic", JSON.objectNode().put("n", -1).put("x", 1.5).put("b", true), null);
    assertThatThrownBy(() -> Settings.nonNegativeLong(f, "n", 0)).hasMessageContaining(">= 0");
    assertThatThrownBy(() -> Settings.nonNegativeLong(f, "x", 0)).hasMessageContaining("whole");
    assertThat(Settings.nonNegativeNumber(f, "x", 0)).isEqualTo(1.5);
    assertThat(Settings.nonNegativeLong(f, "absent", 9)).isEqualTo(9);
    assertThat(Settings.bool(f, "b", false)).isTrue();
  }

  @Test
  void envKeepsOrderAndRefusesReservedNamesWithTheirReason() {
    FunctionDef f =
        new FunctionDef(
            "c",
            "docker",
            JSON.objectNode().set("env", JSON.objectNode().put("B", "x").put("A", 2)),
            null);
    assertThat(Settings.env(f, Map.of())).containsExactly(Map.entry("B", "x"), Map.entry("A", "2"));
    assertThatThrownBy(() -> Settings.env(f, Map.of("A", "the runtime sets it")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("function 'c'")
        .hasMessageContaining("setting 'env' must not set A: the runtime sets it");
    FunctionDef none = new FunctionDef("n", "process", JSON.objectNode(), null);
    assertThat(Settings.env(none, Map.of("PORT", "why"))).isEmpty();
    FunctionDef list =
        new FunctionDef("l", "process", JSON.objectNode().set("env", JSON.arrayNode()), null);
    assertThatThrownBy(() -> Settings.env(list, Map.of())).hasMessageContaining("must be a map");
    FunctionDef nested =
        new FunctionDef(
            "o",
            "process",
            JSON.objectNode().set("env", JSON.objectNode().set("X", JSON.objectNode())),
            null);
    assertThatThrownBy(() -> Settings.env(nested, Map.of()))
        .hasMessageContaining("value of X must be a string or number");
  }
}
