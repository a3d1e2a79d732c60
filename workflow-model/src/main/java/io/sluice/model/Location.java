package io.sluice.model;

/**
 * Where a definition element came from: a file and a 1-based line, for error messages. Elements
 * built in Java (the DSL) have no file; their location says so.
 */
public record Location(String file, int line) {
  public static final Location UNKNOWN = new Location("<unknown>", 0);

  public static Location of(String file, int line) {
    return new Location(file == null ? "<unknown>" : file, line);
  }

  public static Location dsl(String workflowName) {
    return new Location("<dsl:" + workflowName + ">", 0);
  }

  @Override
  public String toString() {
    return file + ":" + line;
  }
}
