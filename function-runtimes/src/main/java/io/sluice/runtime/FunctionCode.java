package io.sluice.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.FunctionDef;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.FolderPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries function code inside definitions. A {@code docker} function's {@code code} setting names
 * a file relative to the file that declares it; when the definition is loaded (on the client), the
 * file's text is put into the setting {@code codeText}, so the definition travels with its code and
 * a worker never reads a client's path. The {@code code} setting itself stays as written (it names
 * the code in messages).
 */
public final class FunctionCode {
  /** The setting that holds the code's text. */
  public static final String CODE_TEXT = "codeText";

  /** Runtimes whose {@code code} setting names a file to carry. */
  private static final java.util.Set<String> RUNTIMES = java.util.Set.of("docker");

  private FunctionCode() {}

  /** Whether this function names a code file not yet carried as text. */
  public static boolean needsInlining(FunctionDef f) {
    JsonNode code = f.settings().get("code");
    return RUNTIMES.contains(f.runtime())
        && code != null
        && code.isTextual()
        && !f.settings().has(CODE_TEXT);
  }

  /**
   * The function with its code file's text in {@code codeText}; itself when there is nothing to
   * carry. Throws {@link DefinitionException} when the file cannot be read.
   */
  public static FunctionDef inline(FunctionDef f) {
    if (!needsInlining(f)) {
      return f;
    }
    Path p = resolve(f);
    String text;
    try {
      text = Files.readString(p);
    } catch (IOException e) {
      throw new DefinitionException(
          List.of(
              new Problem(
                  f.location(),
                  null,
                  "function '"
                      + f.name()
                      + "': setting 'code' names a file that cannot be read: "
                      + p
                      + " ("
                      + e.getClass().getSimpleName()
                      + ")")));
    }
    ObjectNode settings = f.settings().deepCopy();
    settings.put(CODE_TEXT, text);
    return new FunctionDef(f.name(), f.runtime(), settings, f.location());
  }

  /**
   * Where {@code code} points: relative to the declaring file's directory (else the cwd), and
   * inside it (no absolute path, no {@code ..} or symbolic link out of it: {@link FolderPaths});
   * throws {@link DefinitionException} naming the function when it is not.
   */
  public static Path resolve(FunctionDef f) {
    String written = f.settings().get("code").asText();
    String file = f.location().file();
    Path base =
        file == null || file.startsWith("<")
            ? Path.of("").toAbsolutePath()
            : Path.of(file).toAbsolutePath().getParent();
    try {
      return FolderPaths.inside(base == null ? Path.of("").toAbsolutePath() : base, written);
    } catch (IllegalArgumentException e) {
      throw new DefinitionException(
          List.of(
              new Problem(
                  f.location(),
                  null,
                  "function '"
                      + f.name()
                      + "': setting 'code' names '"
                      + written
                      + "', which "
                      + e.getMessage())));
    }
  }

  /** Every function of the map, inlined; every unreadable file reported at once. */
  public static Map<String, FunctionDef> inline(Map<String, FunctionDef> functions) {
    Map<String, FunctionDef> out = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<String, FunctionDef> e : functions.entrySet()) {
      try {
        out.put(e.getKey(), inline(e.getValue()));
      } catch (DefinitionException ex) {
        problems.addAll(ex.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new DefinitionException(problems);
    }
    return out;
  }

  /** The graph with its own functions' code carried as text (itself when there is none). */
  public static WorkflowGraph inline(WorkflowGraph g) {
    if (g.functions().values().stream().noneMatch(FunctionCode::needsInlining)) {
      return g;
    }
    return new WorkflowGraph(
        g.name(),
        g.version(),
        g.nodes(),
        g.edges(),
        g.start(),
        inline(g.functions()),
        g.output(),
        g.location());
  }

  /** The registry with its functions' code carried as text. */
  public static FunctionRegistry inline(FunctionRegistry r) {
    if (r.functions().values().stream().noneMatch(FunctionCode::needsInlining)) {
      return r;
    }
    return FunctionRegistry.of(inline(r.functions()));
  }
}
