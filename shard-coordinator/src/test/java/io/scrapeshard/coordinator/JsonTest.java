package io.scrapeshard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeshard.hashing.Member;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

  @Test
  void epochListRoundTrips() {
    EpochList list =
        EpochList.of(
            List.of(
                new Epoch(
                    3, List.of(Member.of("a"), new Member("b", 2.5)), Map.of("a", "i-1"), 1_000),
                new Epoch(4, List.of(Member.of("a")), 6_000)),
            900);

    EpochList back = EpochList.fromJson(list.toJson());

    assertThat(back).isEqualTo(list);
    assertThat(back.epochs().get(0).incarnations()).containsEntry("a", "i-1");
  }

  @Test
  void memberRoundTrips() {
    MemberRecord r =
        new MemberRecord(
            "scrape-shard-1", "i-9", "10.0.0.7:8080", 2, MemberRecord.State.LEAVING, 123);

    assertThat(Json.member(Json.member(r))).isEqualTo(r);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | node is empty",
        "[1] | node is not a JSON object",
        "{not json | node is not JSON",
        "{\"algorithm\":\"other-v9\",\"epochs\":[],\"publishedAt\":1} | algorithm must be weighted-hrw-farmhash64-splitmix-v1, got 'other-v9'",
        "{\"algorithm\":\"weighted-hrw-farmhash64-splitmix-v1\",\"publishedAt\":1} | epochs must be an array",
        "{\"algorithm\":\"weighted-hrw-farmhash64-splitmix-v1\",\"publishedAt\":1,\"epochs\":[{\"epoch\":1.5,\"members\":[],\"activateAtMillis\":0}]} | epoch must be an integer, got 1.5",
        "{\"algorithm\":\"weighted-hrw-farmhash64-splitmix-v1\",\"publishedAt\":1,\"epochs\":[{\"epoch\":2,\"members\":[],\"activateAtMillis\":5},{\"epoch\":1,\"members\":[],\"activateAtMillis\":6}]} | epoch numbers must increase, got 2 then 1"
      })
  void aCorruptEpochsNodeIsRejectedNamingTheProblem(String json, String message) {
    assertThatThrownBy(() -> EpochList.fromJson(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void aMemberWithABadStateIsRejected() {
    byte[] json =
        "{\"id\":\"a\",\"incarnation\":\"i\",\"address\":\"\",\"weight\":1,\"state\":\"gone\",\"startedAt\":1}"
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Json.member(json))
        .isInstanceOf(CoordinatorException.class)
        .hasMessage("state must be active or leaving, got 'gone'");
  }
}
