package io.sluice.model.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.Location;
import io.sluice.model.Problem;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A definition file read into a Jackson tree that remembers the line of every object, array and
 * field, so importers can report problems as {@code FILE:LINE}. YAML (with anchors and aliases
 * resolved, duplicate keys allowed: the last one wins) and JSON are both read.
 */
public final class SourceDocument {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /**
   * Most YAML aliases to collections a document may use. Generous: the largest FaaSFlow benchmark
   * (genome-scal-200) uses 528.
   */
  public static final int MAX_ALIASES = 10_000;

  /**
   * Most values (objects, arrays, scalars) a document may expand to, aliases counted at every use.
   * It bounds what an alias bomb (a few lines whose aliases nest and multiply) can build in memory;
   * the largest workflow in the corpus expands to well under a tenth of it.
   */
  public static final long MAX_NODES = 2_000_000;

  /** Deepest nesting of objects and arrays, in YAML and JSON. */
  public static final int MAX_NESTING = 200;

  private final String file;
  private final JsonNode root;
  private final Map<JsonNode, Integer> containerLines = new IdentityHashMap<>();
  private final Map<JsonNode, Map<String, Integer>> fieldLines = new IdentityHashMap<>();
  private final List<Problem> duplicateKeys = new ArrayList<>();
  private final Set<org.yaml.snakeyaml.nodes.Node> expanding =
      java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private long nodesLeft = MAX_NODES;

  private SourceDocument(String file) {
    this.file = file;
    this.root = null;
  }

  private SourceDocument(String file, JsonNode root, SourceDocument lines) {
    this.file = file;
    this.root = root;
    this.containerLines.putAll(lines.containerLines);
    this.fieldLines.putAll(lines.fieldLines);
    this.duplicateKeys.addAll(lines.duplicateKeys);
  }

  /** Reads a file; JSON when its first non-blank character is '{' or '[', YAML otherwise. */
  public static SourceDocument read(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DefinitionException(
          new Problem(Location.of(path.toString(), 0), null, "cannot read file: " + e));
    }
    return parse(path.toString(), text);
  }

  /** Parses text named {@code file} (used only in messages). */
  public static SourceDocument parse(String file, String text) {
    String t = text.stripLeading();
    if (t.startsWith("{") || t.startsWith("[")) {
      return parseJson(file, text);
    }
    return parseYaml(file, text);
  }

  public String file() {
    return file;
  }

  public JsonNode root() {
    return root;
  }

  /**
   * Keys that appear twice in one object, each as a problem naming both lines. The document keeps
   * the last value (what PyYAML and Python's json do, so imported FaaSFlow and WfCommons files read
   * as their own tools read them); Sluice's own formats call {@link #requireUniqueKeys}.
   */
  public List<Problem> duplicateKeys() {
    return List.copyOf(duplicateKeys);
  }

  /** Throws {@link DefinitionException} naming every duplicate key with both its lines. */
  public void requireUniqueKeys() {
    if (!duplicateKeys.isEmpty()) {
      throw new DefinitionException(duplicateKeys);
    }
  }

  /** The location of an object or array of this document (line 0 if unknown). */
  public Location locate(JsonNode node) {
    Integer line = node == null ? null : containerLines.get(node);
    return Location.of(file, line == null ? 0 : line);
  }

  /** The location of a field of an object of this document (the object's, if unknown). */
  public Location locate(JsonNode object, String field) {
    Map<String, Integer> m = object == null ? null : fieldLines.get(object);
    Integer line = m == null ? null : m.get(field);
    return line == null ? locate(object) : Location.of(file, line);
  }

  // ---- YAML -------------------------------------------------------------------------------

  private static SourceDocument parseYaml(String file, String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setCodePointLimit(Integer.MAX_VALUE);
    options.setNestingDepthLimit(MAX_NESTING);
    org.yaml.snakeyaml.nodes.Node yamlRoot;
    try {
      yamlRoot = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = m == null ? 0 : m.getLine() + 1;
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      throw new DefinitionException(
          new Problem(Location.of(file, line), null, "malformed YAML: " + what));
    } catch (YAMLException e) {
      String why = String.valueOf(e.getMessage());
      if (why.contains("aliases")) {
        why =
            "more than "
                + MAX_ALIASES
                + " aliases to collections (a definition this large is more likely an alias bomb"
                + " than a workflow)";
      }
      throw new DefinitionException(
          new Problem(Location.of(file, 0), null, "malformed YAML: " + why));
    }
    SourceDocument lines = new SourceDocument(file);
    JsonNode root = yamlRoot == null ? F.nullNode() : lines.convert(yamlRoot);
    return new SourceDocument(file, root, lines);
  }

  private JsonNode convert(org.yaml.snakeyaml.nodes.Node n) {
    int line = n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    if (--nodesLeft < 0) {
      throw new DefinitionException(
          new Problem(
              Location.of(file, line),
              null,
              "the document expands to more than "
                  + MAX_NODES
                  + " values once its aliases are resolved (an alias bomb?)"));
    }
    if (n instanceof MappingNode m) {
      enter(n, line);
      ObjectNode o = F.objectNode();
      containerLines.put(o, line);
      Map<String, Integer> fields = new HashMap<>();
      fieldLines.put(o, fields);
      for (NodeTuple t : m.getValue()) {
        String key =
            t.getKeyNode() instanceof ScalarNode k ? k.getValue() : String.valueOf(t.getKeyNode());
        int keyLine = t.getKeyNode().getStartMark().getLine() + 1;
        Integer first = fields.put(key, keyLine);
        if (first != null) {
          duplicateKeys.add(
              new Problem(
                  Location.of(file, keyLine),
                  null,
                  "duplicate key '" + key + "': first at line " + first + ", again here"));
        }
        o.set(key, convert(t.getValueNode()));
      }
      expanding.remove(n);
      return o;
    }
    if (n instanceof SequenceNode s) {
      enter(n, line);
      ArrayNode a = F.arrayNode();
      containerLines.put(a, line);
      for (org.yaml.snakeyaml.nodes.Node item : s.getValue()) {
        a.add(convert(item));
      }
      expanding.remove(n);
      return a;
    }
    ScalarNode sc = (ScalarNode) n;
    String v = sc.getValue();
    Tag tag = sc.getTag();
    try {
      if (Tag.NULL.equals(tag)) {
        return F.nullNode();
      } else if (Tag.BOOL.equals(tag)) {
        String l = v.toLowerCase(java.util.Locale.ROOT);
        return F.booleanNode(l.equals("true") || l.equals("yes") || l.equals("on"));
      } else if (Tag.INT.equals(tag)) {
        String clean = v.replace("_", "");
        BigInteger b = new BigInteger(clean);
        return b.bitLength() < 63 ? F.numberNode(b.longValue()) : F.numberNode(b);
      } else if (Tag.FLOAT.equals(tag)) {
        return F.numberNode(Double.parseDouble(v.replace("_", "")));
      }
    } catch (NumberFormatException e) {
      return F.textNode(v);
    }
    return F.textNode(v);
  }

  /** Marks a collection as being converted; meeting it again inside itself is a recursive alias. */
  private void enter(org.yaml.snakeyaml.nodes.Node n, int line) {
    if (!expanding.add(n)) {
      throw new DefinitionException(
          new Problem(
              Location.of(file, line),
              null,
              "recursive YAML alias: the collection at line "
                  + line
                  + " contains an alias to itself"));
    }
  }

  // ---- JSON -------------------------------------------------------------------------------

  private static SourceDocument parseJson(String file, String text) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxDocumentLength(-1)
                    .maxNestingDepth(MAX_NESTING)
                    .build())
            .build();
    SourceDocument lines = new SourceDocument(file);
    try (JsonParser p = factory.createParser(text)) {
      JsonToken t = p.nextToken();
      JsonNode root = t == null ? F.nullNode() : lines.readJson(p);
      if (p.nextToken() != null) {
        throw new DefinitionException(
            new Problem(
                Location.of(file, p.currentLocation().getLineNr()),
                null,
                "malformed JSON: content after the end of the document"));
      }
      return new SourceDocument(file, root, lines);
    } catch (JsonParseException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new DefinitionException(
          new Problem(Location.of(file, line), null, "malformed JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new DefinitionException(
          new Problem(Location.of(file, 0), null, "cannot read JSON: " + e.getMessage()));
    }
  }

  private JsonNode readJson(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    int line = p.currentTokenLocation().getLineNr();
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = F.objectNode();
        containerLines.put(o, line);
        Map<String, Integer> fields = new HashMap<>();
        fieldLines.put(o, fields);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          Integer first = fields.put(name, keyLine);
          if (first != null) {
            duplicateKeys.add(
                new Problem(
                    Location.of(file, keyLine),
                    null,
                    "duplicate key '" + name + "': first at line " + first + ", again here"));
          }
          p.nextToken();
          o.set(name, readJson(p));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = F.arrayNode();
        containerLines.put(a, line);
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(readJson(p));
        }
        return a;
      }
      case VALUE_STRING -> {
        return F.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? F.numberNode(p.getBigIntegerValue())
            : F.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return F.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return F.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return F.booleanNode(false);
      }
      case VALUE_NULL -> {
        return F.nullNode();
      }
      default -> throw new JsonParseException(p, "unexpected token " + t);
    }
  }
}
