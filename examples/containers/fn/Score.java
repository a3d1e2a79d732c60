import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** A word's Scrabble-like score; runs in sluice/fn-java:local. */
public class Score {
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
  private static final int[] POINTS = {
    1, 3, 3, 2, 1, 4, 2, 4, 1, 8, 5, 1, 3, 1, 1, 3, 10, 1, 1, 1, 1, 4, 4, 8, 4, 10
  };

  public static JsonNode main(JsonNode word) {
    String w = word.asText();
    int score = 0;
    for (char c : w.toCharArray()) {
      int i = LETTERS.indexOf(c);
      score += i < 0 ? 0 : POINTS[i];
    }
    return JsonNodeFactory.instance
        .objectNode()
        .put("word", w)
        .put("length", w.length())
        .put("score", score);
  }
}
