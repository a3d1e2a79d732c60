package io.sluice.model.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

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

  /** Where the root value starts: 1 for an empty document (all blank or comments). */
  private final int rootLine;

  private final Map<JsonNode, Integer> containerLines;
  private final Map<JsonNode, Map<String, Integer>> fieldLines;
  private final List<Problem> duplicateKeys;

  private SourceDocument(String file) {
    this.file = file;
    this.root = null;
    this.rootLine = 0;
    this.containerLines = new IdentityHashMap<>();
    this.fieldLines = new IdentityHashMap<>();
    this.duplicateKeys = new ArrayList<>();
  }

  /** The document {@code root}, starting on {@code rootLine}, with the lines {@code lines} saw. */
  private SourceDocument(String file, JsonNode root, int rootLine, SourceDocument lines) {
    this.file = file;
    this.root = root;
    this.rootLine = rootLine;
    // the lines-only document was built for this one: take its maps rather than copy them
    this.containerLines = lines.containerLines;
    this.fieldLines = lines.fieldLines;
    this.duplicateKeys = lines.duplicateKeys;
  }

  /** Reads a file; JSON when its first non-blank character is '{' or '[', YAML otherwise. */
  public static SourceDocument read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new DefinitionException(
          new Problem(Location.of(path.toString(), 0), null, "cannot read file: " + why(path, e)));
    }
    return parse(path.toString(), decode(path.toString(), bytes));
  }

  /** Why a file could not be read, in words (not the exception's class name). */
  private static String why(Path path, IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (Files.isDirectory(path)) {
      return "it is a folder, not a file";
    }
    return e.getMessage() == null ? "an I/O error" : e.getMessage();
  }

  /** The text of UTF-8 {@code bytes}; a byte sequence that is not UTF-8 is an error at its line. */
  static String decode(String file, byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      int at = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new DefinitionException(
          new Problem(
              Location.of(file, line),
              null,
              String.format(
                  "not UTF-8: byte 0x%02X at column %d (byte %d of the file) does not start a"
                      + " valid UTF-8 character; save the file as UTF-8",
                  bytes[at] & 0xFF, at - lineStart + 1, at)));
    }
    return out.flip().toString();
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
    if (line == null && node != null && node == root) {
      line = rootLine; // a document that is a single value, or none
    }
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
    YamlLimits.LastEvent parser =
        new YamlLimits.LastEvent(new ParserImpl(new StreamReader(new StringReader(text)), options));
    try {
      yamlRoot = new Composer(parser, new Resolver(), options).getSingleNode();
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = m == null ? 0 : m.getLine() + 1;
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      throw new DefinitionException(
          new Problem(Location.of(file, line), null, "malformed YAML: " + what));
    } catch (YAMLException e) {
      // The composer's own limits (aliases, nesting) carry no mark: the event it stopped at does.
      String why = String.valueOf(e.getMessage());
      if (why.contains("aliases")) {
        why =
            "more than "
                + MAX_ALIASES
                + " aliases to collections (a definition this large is more likely an alias bomb"
                + " than a workflow)";
      } else if (why.contains("Nesting Depth")) {
        why = "nested more than " + MAX_NESTING + " levels deep";
      }
      throw new DefinitionException(
          new Problem(Location.of(file, parser.line()), null, "malformed YAML: " + why));
    }
    if (yamlRoot != null) {
      new YamlLimits.Expansion(file).check(yamlRoot);
    }
    SourceDocument lines = new SourceDocument(file);
    JsonNode root = yamlRoot == null ? F.nullNode() : lines.convert(yamlRoot);
    int rootLine = yamlRoot == null ? 1 : yamlRoot.getStartMark().getLine() + 1;
    return new SourceDocument(file, root, rootLine, lines);
  }

  /** Converts a YAML tree that {@link Expansion} checked: finite, and at most MAX_NODES values. */
  private JsonNode convert(org.yaml.snakeyaml.nodes.Node n) {
    int line = n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    if (n instanceof MappingNode m) {
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
      return o;
    }
    if (n instanceof SequenceNode s) {
      ArrayNode a = F.arrayNode();
      containerLines.put(a, line);
      for (org.yaml.snakeyaml.nodes.Node item : s.getValue()) {
        a.add(convert(item));
      }
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
    JsonParser p = null;
    try {
      p = factory.createParser(text);
      JsonToken t = p.nextToken();
      int rootLine = t == null ? 1 : p.currentTokenLocation().getLineNr();
      JsonNode root = t == null ? F.nullNode() : lines.readJson(p);
      if (p.nextToken() != null) {
        throw new DefinitionException(
            new Problem(
                Location.of(file, p.currentLocation().getLineNr()),
                null,
                "malformed JSON: content after the end of the document"));
      }
      return new SourceDocument(file, root, rootLine, lines);
    } catch (StreamConstraintsException e) {
      // Jackson's limits say where only in the parser (a nesting past the limit, at that line).
      throw new DefinitionException(
          new Problem(
              Location.of(file, Math.max(1, p.currentLocation().getLineNr())),
              null,
              "malformed JSON: nested more than " + MAX_NESTING + " levels deep"));
    } catch (JsonParseException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new DefinitionException(
          new Problem(Location.of(file, line), null, "malformed JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new DefinitionException(
          new Problem(Location.of(file, 0), null, "cannot read JSON: " + e.getMessage()));
    } finally {
      close(p);
    }
  }

  private static void close(JsonParser p) {
    if (p != null) {
      try {
        p.close();
      } catch (IOException e) {
        // a parser over a string holds nothing to release
      }
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
