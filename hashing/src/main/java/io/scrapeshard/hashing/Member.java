package io.scrapeshard.hashing;

import java.util.Objects;

/**
 * A scraper that can own targets: its stable id (the StatefulSet pod name, such as {@code
 * scrape-shard-3}) and its relative weight.
 *
 * <p>A member with weight 2 receives, in expectation, twice the targets of a member with weight 1.
 * The id is hashed, so it must not change across restarts of the same scraper; it is also used as a
 * ZooKeeper node name, hence no {@code '/'} and no whitespace.
 *
 * <pre>{@code
 * Member m = new Member("scrape-shard-0", 1.0);
 * Member same = Member.of("scrape-shard-0");
 * }</pre>
 *
 * @param id non-blank, at most 253 characters, no {@code '/'}, no whitespace or control characters
 * @param weight finite and greater than zero
 */
public record Member(String id, double weight) {

  /** Longest id accepted: the longest Kubernetes object name. */
  public static final int MAX_ID_LENGTH = 253;

  /**
   * Validates both components.
   *
   * @throws IllegalArgumentException naming the offending value
   */
  public Member {
    Objects.requireNonNull(id, "member id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("member id must not be blank, got '" + id + "'");
    }
    if (id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          "member id must be at most " + MAX_ID_LENGTH + " characters, got " + id.length());
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '/' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "member id must not contain '/', whitespace or control characters, got '" + id + "'");
      }
    }
    if (!Double.isFinite(weight) || weight <= 0) {
      throw new IllegalArgumentException(
          "member weight must be finite and > 0, got " + weight + " for member '" + id + "'");
    }
  }

  /** A member of weight 1. */
  public static Member of(String id) {
    return new Member(id, 1.0);
  }
}
