package io.sluice.master.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.cluster.config.SecurityConfig;
import io.sluice.cluster.security.TokenFile;
import io.sluice.http.HttpAnswer;
import io.sluice.http.HttpCall;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Browser sessions of the master's web page (docs/security.md, Browser sign-in): {@code POST
 * /signin} with a token sets the cookie {@value #COOKIE} = {@code NAME.ROLE.EXPIRY.MAC}, where MAC
 * is HMAC-SHA256 (key: {@code security.web.cookieKey}, or random per master start) over the name,
 * role, expiry and the token entry's hash. Each use looks the name up in the tokens file again: a
 * removed entry, a changed role or a new token under the same name ends its sessions, since the MAC
 * no longer matches.
 */
public final class WebSessions {
  public static final String COOKIE = "sluice_session";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final TokenStore tokens;
  private final byte[] key;
  private final Duration session;
  private final LongSupplier clockMillis;

  WebSessions(TokenStore tokens, byte[] key, Duration session, LongSupplier clockMillis) {
    if (key.length < 32) {
      throw new IllegalArgumentException(
          "the session cookie key has " + key.length + " bytes; security.web.cookieKey needs 32+");
    }
    this.tokens = tokens;
    this.key = key.clone();
    this.session = session;
    this.clockMillis = clockMillis;
  }

  /**
   * Sessions over {@code tokens} as {@code web} sets them up: the key from {@code
   * web.cookieKeyFile} (its bytes, one trailing newline dropped), else 32 random bytes.
   *
   * @throws IllegalArgumentException when the key file is unreadable or shorter than 32 bytes
   */
  public static WebSessions of(TokenStore tokens, SecurityConfig.Web web) {
    byte[] key;
    if (web.cookieKeyFile().isPresent()) {
      Path f = Path.of(web.cookieKeyFile().get());
      try {
        key = Files.readAllBytes(f);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read security.web.cookieKey " + f + ": " + e.getMessage(), e);
      }
      if (key.length > 0 && key[key.length - 1] == '\n') {
        key = Arrays.copyOf(key, key.length - 1);
      }
      if (key.length < 32) {
        throw new IllegalArgumentException(
            "security.web.cookieKey "
                + f
                + " holds "
                + key.length
                + " bytes; the key needs 32 or more (head -c 48 /dev/urandom | base64 > FILE)");
      }
    } else {
      key = new byte[32];
      new SecureRandom().nextBytes(key);
    }
    return new WebSessions(tokens, key, web.session(), System::currentTimeMillis);
  }

  /** A cookie value for {@code e}, valid for the session's length from now. */
  public String issue(TokenFile.Entry e) {
    return issue(e, clockMillis.getAsLong() / 1000 + session.toSeconds());
  }

  private String issue(TokenFile.Entry e, long expiry) {
    String role = e.role().configName();
    return e.name() + "." + role + "." + expiry + "." + mac(e.name(), role, expiry, e.hash());
  }

  /**
   * The entry a cookie value stands for, or null: malformed, expired, signed with another key, or
   * its entry removed, given another role or another token since.
   */
  public TokenFile.Entry verify(String value) {
    if (value == null) {
      return null;
    }
    int m = value.lastIndexOf('.');
    int x = m <= 0 ? -1 : value.lastIndexOf('.', m - 1);
    int r = x <= 0 ? -1 : value.lastIndexOf('.', x - 1);
    if (r <= 0) {
      return null;
    }
    String name = value.substring(0, r);
    String role = value.substring(r + 1, x);
    long expiry;
    try {
      expiry = Long.parseLong(value.substring(x + 1, m));
    } catch (NumberFormatException e) {
      return null;
    }
    TokenFile.Entry e = tokens.named(name);
    // the MAC is computed (and compared in constant time) whether or not the name is known
    byte[] hash = e == null ? new byte[32] : e.hash();
    boolean macOk =
        MessageDigest.isEqual(
            mac(name, role, expiry, hash).getBytes(StandardCharsets.US_ASCII),
            value.substring(m + 1).getBytes(StandardCharsets.US_ASCII));
    if (!macOk || e == null || !e.role().configName().equals(role)) {
      return null;
    }
    return expiry * 1000 > clockMillis.getAsLong() ? e : null;
  }

  /** The value of {@value #COOKIE} in a {@code Cookie} header, or null. */
  public static String cookie(String header) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      String p = part.strip();
      if (p.startsWith(COOKIE + "=")) {
        return p.substring(COOKIE.length() + 1);
      }
    }
    return null;
  }

  /**
   * {@code POST /signin}: the token from a form ({@code token=...}) or JSON ({@code {"token":
   * ...}}); sets the cookie. A form is answered 303 to {@code /}, JSON with the name, role and
   * expiry; an unknown token 401; a request whose {@code Origin} is another site 403.
   */
  public HttpAnswer signIn(HttpCall call) {
    String origin = call.header().apply("Origin");
    String self = (call.secure() ? "https://" : "http://") + call.header().apply("Host");
    if (origin != null && !origin.equals("null") && !origin.equalsIgnoreCase(self)) {
      // login CSRF: another site must not sign this browser in as someone else
      return HttpAnswer.error(
          403,
          "cross-site sign-in refused: Origin " + origin + " is not this endpoint (" + self + ")");
    }
    String type = call.header().apply("Content-Type");
    boolean json = type != null && type.toLowerCase(java.util.Locale.ROOT).contains("json");
    String token = json ? jsonToken(call.body()) : formToken(call.body());
    TokenFile.Entry e = token == null || token.isBlank() ? null : tokens.authenticate(token);
    if (e == null) {
      return HttpAnswer.error(
          401,
          "unknown token: sign in with a token of the master's tokens file (docs/security.md)");
    }
    long expiry = clockMillis.getAsLong() / 1000 + session.toSeconds();
    String value = issue(e, expiry);
    String set = setCookie(value, session.toSeconds(), call.secure());
    if (!json) {
      return new HttpAnswer(303, "text/plain; charset=utf-8", new byte[0])
          .withHeader("Location", "/")
          .withHeader("Set-Cookie", set);
    }
    return HttpAnswer.json(
            200,
            JsonNodeFactory.instance
                .objectNode()
                .put("name", e.name())
                .put("role", e.role().configName())
                .put("expires", Instant.ofEpochSecond(expiry).toString()))
        .withHeader("Set-Cookie", set);
  }

  /** {@code POST /signout}: the cookie cleared. */
  public static HttpAnswer signOut(HttpCall call) {
    return HttpAnswer.json(200, JsonNodeFactory.instance.objectNode().put("signedOut", true))
        .withHeader("Set-Cookie", setCookie("", 0, call.secure()));
  }

  static String setCookie(String value, long maxAgeSeconds, boolean secure) {
    return COOKIE
        + "="
        + value
        + "; Path=/; Max-Age="
        + maxAgeSeconds
        + "; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "");
  }

  private String mac(String name, String role, long expiry, byte[] hash) {
    try {
      Mac h = Mac.getInstance("HmacSHA256");
      h.init(new SecretKeySpec(key, "HmacSHA256"));
      String text = name + "\n" + role + "\n" + expiry + "\n" + HexFormat.of().formatHex(hash);
      return B64.encodeToString(h.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static String jsonToken(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n != null && n.path("token").isTextual() ? n.get("token").asText().strip() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String formToken(byte[] body) {
    for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals("token")) {
        try {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).strip();
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
    }
    return null;
  }
}
