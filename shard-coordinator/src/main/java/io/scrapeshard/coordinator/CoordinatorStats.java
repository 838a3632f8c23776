package io.scrapeshard.coordinator;

import java.util.Map;

/**
 * A snapshot of one coordinator, for self-metrics.
 *
 * @param connection the ZooKeeper link
 * @param transitions how often each connection status was entered
 * @param leader whether this worker leads now
 * @param activeEpoch the number of the epoch in force now, 0 before the first
 * @param activeMembers members of that epoch
 * @param epochsPublished lists this worker wrote as leader
 * @param publishRejections writes refused by ZooKeeper (fencing or a concurrent write)
 * @param unreadableNodes member or epoch nodes that could not be parsed
 * @param skewMillis see {@link ShardView#skewMillis()}
 * @param noticeMillis see {@link ShardView#noticeMillis()}
 * @param stoppedBecause why this worker does not scrape, or null
 * @param ready see {@link ShardCoordinator#ready()}
 */
public record CoordinatorStats(
    ConnectionStatus connection,
    Map<ConnectionStatus, Long> transitions,
    boolean leader,
    long activeEpoch,
    int activeMembers,
    long epochsPublished,
    long publishRejections,
    long unreadableNodes,
    long skewMillis,
    Map<Long, Long> noticeMillis,
    String stoppedBecause,
    boolean ready) {}
