package io.sluice.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.runtime.CallKey;
import io.sluice.runtime.Invocation;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerCallsTest {

  @Test
  void theRunBodyCarriesTheInputTheActivationIdAndTheKeys() {
    ObjectNode input = JsonNodeFactory.instance.objectNode().put("n", 1);
    CallKey key = CallKey.of("r", List.of(new CallKey.Enclosing("m", 0, 1)), "f", 2);
    Invocation inv =
        new Invocation(
            new FunctionDef("f", "docker", null, null),
            input,
            Long.MAX_VALUE,
            "r.m.0",
            "f",
            2,
            Hints.NONE,
            null,
            key);
    ObjectNode body = ContainerCalls.runBody(inv);
    assertThat(body.get("value")).isEqualTo(input);
    assertThat(body.get("activation_id").asText()).isEqualTo("r.m.0/f/2");
    assertThat(body.get("idempotency_key").asText()).isEqualTo("r/m@1[0]/f@2");
    assertThat(body.get("step_key").asText()).isEqualTo("r/m[0]/f");
  }
}
