package io.sluice.cluster.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.sluice.cluster.config.RedisAccess;
import java.net.URI;
import java.time.Duration;

/**
 * The one place where a Redis address and its {@link RedisAccess} become a Lettuce {@link
 * RedisURI}: the store, the durable journal and the master's stream sources connect through it, so
 * a user, a password (from the URI or a file) and TLS ({@code rediss://} or {@code tls: true}, with
 * an optional CA file) mean the same everywhere.
 */
public final class RedisUris {
  private RedisUris() {}

  /**
   * The Lettuce URI for {@code uri} with {@code access} applied; commands time out after {@code
   * timeout}.
   */
  public static RedisURI of(URI uri, RedisAccess access, Duration timeout) {
    RedisAccess a = access == null ? RedisAccess.NONE : access;
    RedisURI r = RedisURI.create(uri);
    String password = a.password();
    if (a.username() != null || password != null) {
      // the URI's own user info: [[username:]password@] (one word alone is a password)
      String info = uri.getUserInfo();
      String uriUser = null;
      String uriPass = info;
      if (info != null && info.indexOf(':') >= 0) {
        uriUser = info.substring(0, info.indexOf(':'));
        uriPass = info.substring(info.indexOf(':') + 1);
        uriUser = uriUser.isEmpty() ? null : uriUser;
      }
      String user = a.username() != null ? a.username() : uriUser;
      String pass = password != null ? password : uriPass;
      if (user != null) {
        r.setAuthentication(user, pass == null ? "" : pass);
      } else if (pass != null) {
        r.setAuthentication(pass);
      }
    }
    if (a.tls()) {
      r.setSsl(true);
    }
    if (timeout != null) {
      r.setTimeout(timeout);
    }
    return r;
  }

  /**
   * Adds the TLS trust of {@code access} (its CA file) to client options being built; nothing when
   * it names none.
   */
  public static ClientOptions.Builder trust(ClientOptions.Builder b, RedisAccess access) {
    if (access != null && access.caFile() != null) {
      b.sslOptions(
          SslOptions.builder().jdkSslProvider().trustManager(access.caFile().toFile()).build());
    }
    return b;
  }
}
