package io.sluice.faastore;

/**
 * Names one stored value: the output {@code key} of node {@code nodeId} in workflow instance {@code
 * instanceId}, rendered {@code instance/node/key}. Instance and node ids may not contain {@code /},
 * {@code {} or {@code }} (they become parts of store keys and Redis hash tags); the key may hold
 * anything but must not be empty.
 */
public record DataKey(String instanceId, String nodeId, String key) {

  public DataKey {
    checkPart("instanceId", instanceId);
    checkPart("nodeId", nodeId);
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException(
          "data key of " + instanceId + "/" + nodeId + " is empty; give the output a name");
    }
  }

  /** Parses {@code instance/node/key} (the key part may itself contain {@code /}). */
  public static DataKey parse(String rendered) {
    String[] parts = rendered.split("/", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "'" + rendered + "' is not a data key; expected instance/node/key");
    }
    return new DataKey(parts[0], parts[1], parts[2]);
  }

  private static void checkPart(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("data key " + what + " is empty");
    }
    for (char c : new char[] {'/', '{', '}'}) {
      if (value.indexOf(c) >= 0) {
        throw new IllegalArgumentException(
            "data key " + what + " '" + value + "' contains '" + c + "', which store keys reserve");
      }
    }
  }

  @Override
  public String toString() {
    return instanceId + "/" + nodeId + "/" + key;
  }
}
