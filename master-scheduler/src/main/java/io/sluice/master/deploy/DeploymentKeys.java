package io.sluice.master.deploy;

import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.model.FunctionDef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key a deployment is compiled under on workers: {@code name@version#hash}, where the short
 * hash covers the definition text and the binding (registry, synthetic, scales). The same inputs
 * give the same key in every JVM; other scales or another text give another key, so workers keep
 * them apart.
 */
public final class DeploymentKeys {
  private DeploymentKeys() {}

  public static WorkflowKey of(RegisteredWorkflow wf, Binding b) {
    StringBuilder s = new StringBuilder();
    s.append(wf.fileName()).append('\n').append(wf.sourceText()).append('\n');
    Map<String, FunctionDef> sorted = new TreeMap<>(b.registry());
    sorted.forEach(
        (name, f) ->
            s.append(name).append('=').append(f.runtime()).append(f.settings()).append('\n'));
    s.append(b.synthetic()).append('/').append(b.timeScale()).append('/').append(b.dataScale());
    return new WorkflowKey(wf.key().name(), wf.key().version() + "#" + shortHash(s.toString()));
  }

  /** The registered version a deployment key belongs to (the part before '#'). */
  public static WorkflowKey registered(WorkflowKey deployment) {
    String v = deployment.version();
    int hash = v.lastIndexOf('#');
    return hash < 0 ? deployment : new WorkflowKey(deployment.name(), v.substring(0, hash));
  }

  static String shortHash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
