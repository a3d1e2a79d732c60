package io.sluice.model.format;

import io.sluice.model.DefinitionException;
import io.sluice.model.Location;
import io.sluice.model.Problem;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.Parser;

/**
 * What {@link SourceDocument} adds to SnakeYAML to read YAML with bounded memory and a line for
 * every problem: the line where the composer's own limits (nesting, aliases) stopped, and the size
 * of a document once its aliases are resolved, counted before it is built.
 */
final class YamlLimits {
  private YamlLimits() {}

  /**
   * How many values a YAML tree expands to once its aliases are resolved, counted before anything
   * is built: an alias is the same node as its anchor, so each distinct node is counted once and
   * its size reused, and an alias bomb (a few lines whose aliases nest and multiply) is refused in
   * time linear in its text, at the line of the smallest collection that alone is too large. A
   * collection met again inside itself is a recursive alias.
   */
  static final class Expansion {
    private static final long IN_PROGRESS = -1;
    private final String file;
    private final Map<org.yaml.snakeyaml.nodes.Node, Long> sizes = new IdentityHashMap<>();

    Expansion(String file) {
      this.file = file;
    }

    void check(org.yaml.snakeyaml.nodes.Node root) {
      if (size(root) <= SourceDocument.MAX_NODES) {
        return;
      }
      org.yaml.snakeyaml.nodes.Node at = root;
      for (org.yaml.snakeyaml.nodes.Node c = at; c != null; ) {
        at = c;
        c =
            children(at).stream()
                .filter(x -> sizes.get(x) > SourceDocument.MAX_NODES)
                .findFirst()
                .orElse(null);
      }
      throw new DefinitionException(
          new Problem(
              Location.of(file, line(at)),
              null,
              "this "
                  + (at instanceof MappingNode ? "mapping" : "list")
                  + " expands to more than "
                  + SourceDocument.MAX_NODES
                  + " values once its aliases are resolved (an alias bomb?)"));
    }

    /** Values in {@code n} with aliases resolved, saturating just past SourceDocument.MAX_NODES. */
    private long size(org.yaml.snakeyaml.nodes.Node n) {
      Long known = sizes.get(n);
      if (known != null && known == IN_PROGRESS) {
        throw new DefinitionException(
            new Problem(
                Location.of(file, line(n)),
                null,
                "recursive YAML alias: the collection at line "
                    + line(n)
                    + " contains an alias to itself"));
      }
      if (known != null) {
        return known;
      }
      sizes.put(n, IN_PROGRESS);
      long total = 1;
      for (org.yaml.snakeyaml.nodes.Node c : children(n)) {
        total = Math.min(SourceDocument.MAX_NODES + 1, total + size(c));
      }
      sizes.put(n, total);
      return total;
    }

    private static List<org.yaml.snakeyaml.nodes.Node> children(org.yaml.snakeyaml.nodes.Node n) {
      List<org.yaml.snakeyaml.nodes.Node> out = new ArrayList<>();
      if (n instanceof MappingNode m) {
        for (NodeTuple t : m.getValue()) {
          out.add(t.getKeyNode());
          out.add(t.getValueNode());
        }
      } else if (n instanceof SequenceNode s) {
        out.addAll(s.getValue());
      }
      return out;
    }

    private static int line(org.yaml.snakeyaml.nodes.Node n) {
      return n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }
  }

  /** A YAML parser that remembers the line of the last event it handed out. */
  static final class LastEvent implements Parser {
    private final Parser inner;
    private Event last;

    LastEvent(Parser inner) {
      this.inner = inner;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
      return inner.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
      return remember(inner.peekEvent());
    }

    @Override
    public Event getEvent() {
      return remember(inner.getEvent());
    }

    private Event remember(Event e) {
      if (e != null) {
        last = e;
      }
      return e;
    }

    /** The 1-based line of the last event, or 1 before the first. */
    int line() {
      return last == null || last.getStartMark() == null ? 1 : last.getStartMark().getLine() + 1;
    }
  }
}
