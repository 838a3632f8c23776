package io.scrapeshard.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.Rendezvous;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON of the member and epoch nodes. Readers accept unknown fields (a newer writer may add
 * some) and reject a missing or wrong one with a message that names it.
 */
final class Json {

  static final int EPOCHS_SCHEMA = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static byte[] member(MemberRecord r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("schema", MemberRecord.SCHEMA);
    n.put("id", r.id());
    n.put("incarnation", r.incarnation());
    n.put("address", r.address());
    n.put("weight", r.weight());
    n.put("state", r.state().name().toLowerCase(Locale.ROOT));
    n.put("startedAt", r.startedAtMillis());
    return bytes(n);
  }

  static MemberRecord member(byte[] data) {
    JsonNode n = tree(data);
    String state = text(n, "state");
    MemberRecord.State parsed;
    try {
      parsed = MemberRecord.State.valueOf(state.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CoordinatorException("state must be active or leaving, got '" + state + "'");
    }
    try {
      return new MemberRecord(
          text(n, "id"),
          text(n, "incarnation"),
          text(n, "address"),
          number(n, "weight"),
          parsed,
          integer(n, "startedAt"));
    } catch (IllegalArgumentException e) {
      throw new CoordinatorException(e.getMessage(), e);
    }
  }

  static byte[] epochs(EpochList list) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("schema", EPOCHS_SCHEMA);
    n.put("algorithm", Rendezvous.ALGORITHM);
    n.put("publishedAt", list.publishedAtMillis());
    ArrayNode epochs = n.putArray("epochs");
    for (Epoch e : list.epochs()) {
      ObjectNode en = epochs.addObject();
      en.put("epoch", e.number());
      ArrayNode members = en.putArray("members");
      for (Member m : e.members()) {
        ObjectNode mn = members.addObject().put("id", m.id()).put("weight", m.weight());
        if (e.incarnations().containsKey(m.id())) {
          mn.put("incarnation", e.incarnations().get(m.id()));
        }
      }
      en.put("activateAtMillis", e.activateAtMillis());
    }
    return bytes(n);
  }

  static EpochList epochs(byte[] data) {
    JsonNode n = tree(data);
    String algorithm = text(n, "algorithm");
    if (!algorithm.equals(Rendezvous.ALGORITHM)) {
      throw new CoordinatorException(
          "algorithm must be "
              + Rendezvous.ALGORITHM
              + ", got '"
              + algorithm
              + "': workers of another version?");
    }
    JsonNode array = n.get("epochs");
    if (array == null || !array.isArray()) {
      throw new CoordinatorException("epochs must be an array");
    }
    try {
      List<Epoch> epochs = new ArrayList<>();
      for (JsonNode en : array) {
        List<Member> members = new ArrayList<>();
        Map<String, String> incarnations = new TreeMap<>();
        JsonNode ms = en.get("members");
        if (ms == null || !ms.isArray()) {
          throw new CoordinatorException("members must be an array in " + en);
        }
        for (JsonNode m : ms) {
          members.add(new Member(text(m, "id"), number(m, "weight")));
          if (m.has("incarnation")) {
            incarnations.put(text(m, "id"), text(m, "incarnation"));
          }
        }
        epochs.add(
            new Epoch(
                integer(en, "epoch"), members, incarnations, integer(en, "activateAtMillis")));
      }
      return EpochList.of(epochs, integer(n, "publishedAt"));
    } catch (IllegalArgumentException e) {
      throw new CoordinatorException(e.getMessage(), e);
    }
  }

  private static JsonNode tree(byte[] data) {
    if (data == null || data.length == 0) {
      throw new CoordinatorException("node is empty");
    }
    try {
      JsonNode n = MAPPER.readTree(data);
      if (n == null || !n.isObject()) {
        throw new CoordinatorException("node is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new CoordinatorException(
          "node is not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new CoordinatorException(field + " must be a string, got " + v);
    }
    return v.asText();
  }

  private static double number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) {
      throw new CoordinatorException(field + " must be a number, got " + v);
    }
    return v.asDouble();
  }

  private static long integer(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new CoordinatorException(field + " must be an integer, got " + v);
    }
    return v.asLong();
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
