package io.scrapeshard.coordinator;

import java.util.Objects;

/**
 * The content of a member node {@code members/<id>}: who runs there and in what state.
 *
 * <pre>{@code
 * MemberRecord r = new MemberRecord("scrape-shard-0", "3f0c...", "10.0.0.7:8080", 1.0, MemberRecord.State.ACTIVE, 1_700_000_000_000L);
 * }</pre>
 *
 * @param id the member id, equal to the node name
 * @param incarnation a UUID per process start: two processes with one id never share it
 * @param address where peers reach this member's API ({@code host:port}); may be empty
 * @param weight the member's weight, finite and positive
 * @param state {@link State#ACTIVE} or {@link State#LEAVING}
 * @param startedAtMillis when the process started (its clock); a later start wins a conflict
 */
public record MemberRecord(
    String id,
    String incarnation,
    String address,
    double weight,
    State state,
    long startedAtMillis) {

  /** The version of this layout, written as {@code schema}. */
  public static final int SCHEMA = 1;

  /** Whether a member takes targets or is handing them off. */
  public enum State {
    ACTIVE,
    LEAVING
  }

  public MemberRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(incarnation, "incarnation");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(state, "state");
    if (!Double.isFinite(weight) || weight <= 0) {
      throw new IllegalArgumentException("weight must be finite and > 0, got " + weight);
    }
  }

  /** The same member, leaving. */
  public MemberRecord leaving() {
    return new MemberRecord(id, incarnation, address, weight, State.LEAVING, startedAtMillis);
  }
}
