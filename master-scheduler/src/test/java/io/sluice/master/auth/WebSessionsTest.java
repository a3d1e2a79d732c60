package io.sluice.master.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.security.TokenHash;
import io.sluice.http.HttpCall;
import io.sluice.http.HttpCaller;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session cookies: signed, expiring, bound to the token entry; sign-in by form and JSON. */
class WebSessionsTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
  @TempDir Path dir;
  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private TokenStore tokens;
  private WebSessions sessions;

  @BeforeEach
  void setUp() throws Exception {
    Path f = dir.resolve("tokens");
    Files.writeString(f, "ci.bot submit " + TokenHash.of("tok-ci") + "\n");
    tokens = new TokenStore(f, () -> 0L); // never re-read within these tests
    sessions = new WebSessions(tokens, KEY, Duration.ofHours(1), now::get);
  }

  @Test
  void aCookieStandsForItsEntryUntilItExpires() {
    String c = sessions.issue(tokens.named("ci.bot"));
    assertThat(c).startsWith("ci.bot.submit.");
    assertThat(sessions.verify(c).name()).isEqualTo("ci.bot");
    now.addAndGet(Duration.ofHours(1).toMillis());
    assertThat(sessions.verify(c)).isNull();
  }

  @Test
  void aForgedOrForeignCookieIsRefused() {
    String c = sessions.issue(tokens.named("ci.bot"));
    assertThat(sessions.verify(c.replace(".submit.", ".admin."))).isNull();
    String[] f = c.split("\\.");
    long later = Long.parseLong(f[f.length - 2]) + 3600;
    assertThat(sessions.verify(c.replace("." + f[f.length - 2] + ".", "." + later + "."))).isNull();
    var other = new WebSessions(tokens, "x".repeat(32).getBytes(), Duration.ofHours(1), now::get);
    assertThat(other.verify(c)).isNull();
    assertThat(sessions.verify("garbage")).isNull();
    assertThat(sessions.verify("a.b.c")).isNull();
  }

  @Test
  void signInByFormRedirectsAndByJsonAnswersWhoSignedIn() {
    var form = post("application/x-www-form-urlencoded", "token=tok-ci", true);
    var r = sessions.signIn(form);
    assertThat(r.status()).isEqualTo(303);
    assertThat(r.headers()).containsEntry("Location", "/");
    assertThat(r.headers().get("Set-Cookie"))
        .startsWith("sluice_session=ci.bot.submit.")
        .endsWith("; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict; Secure");
    var json = sessions.signIn(post("application/json", "{\"token\":\"tok-ci\"}", false));
    assertThat(json.status()).isEqualTo(200);
    assertThat(new String(json.body(), StandardCharsets.UTF_8)).contains("\"name\":\"ci.bot\"");
    assertThat(sessions.signIn(post("application/json", "{\"token\":\"nope\"}", false)).status())
        .isEqualTo(401);
    assertThat(WebSessions.cookie("a=1; sluice_session=v.x; b=2")).isEqualTo("v.x");
  }

  @Test
  void aSignInPostedFromAnotherSiteIsRefused() {
    Map<String, String> h =
        Map.of(
            "Content-Type", "application/x-www-form-urlencoded",
            "Origin", "https://evil.example",
            "Host", "127.0.0.1:7480");
    var call =
        new HttpCall(
            "POST",
            "/signin",
            Map.<String, List<String>>of(),
            h::get,
            "token=tok-ci".getBytes(StandardCharsets.UTF_8),
            false,
            HttpCaller.ANONYMOUS);
    var r = sessions.signIn(call);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.headers()).doesNotContainKey("Set-Cookie");
    Map<String, String> same = new java.util.HashMap<>(h);
    same.put("Origin", "http://127.0.0.1:7480");
    var ok =
        new HttpCall(
            "POST", "/signin", Map.of(), same::get, call.body(), false, HttpCaller.ANONYMOUS);
    assertThat(sessions.signIn(ok).status()).isEqualTo(303);
  }

  private static HttpCall post(String type, String body, boolean secure) {
    Map<String, String> h = Map.of("Content-Type", type);
    return new HttpCall(
        "POST",
        "/signin",
        Map.<String, List<String>>of(),
        h::get,
        body.getBytes(StandardCharsets.UTF_8),
        secure,
        HttpCaller.ANONYMOUS);
  }
}
