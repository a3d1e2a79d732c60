package io.sluice.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.format.SourceDocument;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Turns a seed definition into a mutant, for the definition fuzzer: zero to three {@link
 * TreeMutations} on the document's tree (then written back as YAML, or as JSON for JSON seeds and
 * now and then for YAML ones), then zero to two {@link TextMutations} on its bytes; at least one of
 * the two. The same seed and random source give the same mutant.
 */
public final class DefinitionMutator {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Seed trees, parsed once (mutants work on deep copies). */
  private final Map<String, ObjectNode> trees = new ConcurrentHashMap<>();

  /** A mutant: its bytes, whether they are JSON, and the mutations that made it, in order. */
  public record Mutant(byte[] bytes, boolean json, List<String> steps) {
    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The mutations, one per line, for a failure message. */
    public String describe() {
      return String.join("\n    ", steps);
    }
  }

  /** A mutant of {@code seed} drawn from {@code random}. */
  public Mutant mutate(FuzzSeeds.Seed seed, SplittableRandom random) {
    int treeOps = random.nextInt(4);
    int textOps = random.nextInt(3);
    if (treeOps + textOps == 0) {
      treeOps = 1;
    }
    List<String> steps = new ArrayList<>();
    steps.add("seed " + seed.name());
    byte[] bytes = seed.bytes();
    boolean json = seed.json();
    if (treeOps > 0) {
      ObjectNode tree = tree(seed).deepCopy();
      TreeMutations ops = new TreeMutations(random);
      for (int i = 0; i < treeOps; i++) {
        steps.add(ops.mutate(tree));
      }
      json = json || random.nextInt(10) == 0;
      bytes = write(tree, json);
      steps.add("written as " + (json ? "JSON" : "YAML"));
    }
    TextMutations text = new TextMutations(random);
    for (int i = 0; i < textOps; i++) {
      bytes = text.mutate(bytes, json);
      steps.add(text.last());
    }
    return new Mutant(bytes, json, steps);
  }

  private ObjectNode tree(FuzzSeeds.Seed seed) {
    return trees.computeIfAbsent(
        seed.name(),
        k -> {
          JsonNode root =
              SourceDocument.parse(seed.name(), new String(seed.bytes(), StandardCharsets.UTF_8))
                  .root();
          if (!(root instanceof ObjectNode o)) {
            throw new IllegalArgumentException("seed " + k + " is not a mapping");
          }
          return o;
        });
  }

  private static byte[] write(ObjectNode tree, boolean json) {
    try {
      if (json) {
        return JSON.writeValueAsBytes(tree);
      }
      DumperOptions o = new DumperOptions();
      o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
      o.setWidth(120);
      return new Yaml(o)
          .dump(JSON.convertValue(tree, Object.class))
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a mutant: " + e.getMessage(), e);
    }
  }
}
