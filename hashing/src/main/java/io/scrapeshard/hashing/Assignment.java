package io.scrapeshard.hashing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The owner of each of a list of keys, as computed by {@link Rendezvous#assign} or {@link
 * Rendezvous#assignBounded}. Immutable; key {@code i} is the {@code i}-th key of the input.
 *
 * <pre>{@code
 * Assignment a = hrw.assign(keys);
 * Member first = a.ownerOf(0);
 * Map<Member, List<TargetKey>> shards = a.byMember();
 * }</pre>
 */
public final class Assignment {

  private final List<TargetKey> keys;
  private final List<Member> members;
  private final int[] owners;

  Assignment(List<TargetKey> keys, List<Member> members, int[] owners) {
    this.keys = keys;
    this.members = members;
    this.owners = owners;
  }

  /** The keys, in input order. */
  public List<TargetKey> keys() {
    return keys;
  }

  /** The members, sorted by id. */
  public List<Member> members() {
    return members;
  }

  /** The owner of the {@code i}-th key. */
  public Member ownerOf(int i) {
    return members.get(owners[i]);
  }

  /** The index in {@link #members()} of the owner of the {@code i}-th key. */
  public int ownerIndexOf(int i) {
    return owners[i];
  }

  /** The number of keys of each member, in the order of {@link #members()}. */
  public int[] counts() {
    int[] counts = new int[members.size()];
    for (int owner : owners) {
      counts[owner]++;
    }
    return counts;
  }

  /** Key to owner, in input order. */
  public Map<TargetKey, Member> asMap() {
    Map<TargetKey, Member> map = new LinkedHashMap<>();
    for (int i = 0; i < owners.length; i++) {
      map.put(keys.get(i), members.get(owners[i]));
    }
    return map;
  }

  /** Each member's keys, members sorted by id, keys in input order; members without keys too. */
  public Map<Member, List<TargetKey>> byMember() {
    Map<Member, List<TargetKey>> map = new LinkedHashMap<>();
    members.forEach(m -> map.put(m, new ArrayList<>()));
    for (int i = 0; i < owners.length; i++) {
      map.get(members.get(owners[i])).add(keys.get(i));
    }
    return map;
  }

  @Override
  public String toString() {
    return "Assignment{keys=" + keys.size() + ", counts=" + Arrays.toString(counts()) + "}";
  }
}
