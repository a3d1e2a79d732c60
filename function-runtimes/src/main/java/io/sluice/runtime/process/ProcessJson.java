package io.sluice.runtime.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The JSON a process reads and prints: exactly one value each way, of any size up to the output
 * limit (Jackson's default string and document limits are lifted; the byte limit is the runtime's).
 */
final class ProcessJson {
  private static final ObjectMapper JSON =
      JsonMapper.builder(io.sluice.model.format.JsonMappers.unboundedFactory())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private ProcessJson() {}

  static void write(OutputStream out, JsonNode value) throws IOException {
    JSON.writeValue(out, value);
  }

  /**
   * The one JSON value in {@code stdout}; throws {@link IllegalArgumentException} saying what is
   * wrong with it and how it began.
   */
  static JsonNode parse(byte[] stdout) {
    String problem;
    try {
      JsonNode out = JSON.readTree(stdout);
      if (out != null && !out.isMissingNode()) {
        return out;
      }
      problem = "printed nothing on stdout";
    } catch (JsonProcessingException e) {
      problem =
          "printed something that is not one JSON value on stdout (" + e.getOriginalMessage() + ")";
    } catch (IOException e) {
      problem = "printed output that cannot be read: " + e.getMessage();
    }
    String start = new String(stdout, 0, Math.min(stdout.length, 200), StandardCharsets.UTF_8);
    throw new IllegalArgumentException(
        problem
            + "; a process function must print exactly one JSON value"
            + (start.isBlank() ? "" : "; stdout began: " + start.strip()));
  }
}
