package io.scrapeshard.coordinator;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What the leader reads from one member node.
 *
 * @param id the node name
 * @param weight the member's weight; empty when the node could not be parsed (such a member counts
 *     as present, keeping the weight of its epoch, but cannot be added)
 * @param leaving whether the member asked to leave
 * @param incarnation the process behind the node; null when the node could not be parsed
 */
record MemberObservation(String id, OptionalDouble weight, boolean leaving, String incarnation) {

  MemberObservation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(weight, "weight");
  }

  static MemberObservation active(String id, double weight) {
    return new MemberObservation(id, OptionalDouble.of(weight), false, null);
  }

  static MemberObservation unparseable(String id) {
    return new MemberObservation(id, OptionalDouble.empty(), false, null);
  }
}
