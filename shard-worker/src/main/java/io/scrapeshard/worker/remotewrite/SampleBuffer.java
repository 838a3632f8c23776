package io.scrapeshard.worker.remotewrite;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO of one shard's samples, filled a scrape at a time: {@link #offerAll} takes the
 * lock once for a whole run of samples (a scrape hands over hundreds), where a {@code
 * BlockingQueue} would lock and signal once per sample.
 */
final class SampleBuffer<T> {

  private final int capacity;
  private final ArrayDeque<T> items;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();

  SampleBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
    this.items = new ArrayDeque<>(Math.min(capacity, 4096));
  }

  /** Appends as many of {@code values} as fit, in order; returns how many did. */
  int offerAll(List<T> values) {
    lock.lock();
    try {
      int n = Math.min(values.size(), capacity - items.size());
      for (int i = 0; i < n; i++) {
        items.addLast(values.get(i));
      }
      if (n > 0) {
        notEmpty.signal();
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves up to {@code max} samples into {@code out}, waiting up to {@code timeoutMillis} for the
   * first; returns how many it moved.
   */
  int drainTo(List<T> out, int max, long timeoutMillis) throws InterruptedException {
    long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    lock.lockInterruptibly();
    try {
      while (items.isEmpty()) {
        if (nanos <= 0) {
          return 0;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      int n = Math.min(max, items.size());
      for (int i = 0; i < n; i++) {
        out.add(items.pollFirst());
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  boolean isEmpty() {
    return size() == 0;
  }
}
