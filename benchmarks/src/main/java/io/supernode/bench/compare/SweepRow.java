package io.supernode.bench.compare;

import io.supernode.gas.path.PathKind;

/**
 * One cell of the comparison: a method moving {@code sizeBytes} over a fabric pair, averaged over its
 * repetitions. Modeled figures come from the fabric model; host figures from this machine's clock.
 *
 * @param pair           the fabric pair
 * @param method         how the bytes were fetched
 * @param sizeBytes      bytes fetched per operation
 * @param latencyNanos   modeled time from issue to the bytes usable at node 0
 * @param bytesPerSecond modeled bandwidth, size over latency
 * @param wireBytes      bytes that crossed the fabric per operation (payload, page walks, headers)
 * @param messages       messages per operation (0 on the load/store path)
 * @param hostNanos      host time the emulator spent per operation
 */
public record SweepRow(String pair, PathKind method, long sizeBytes, double latencyNanos, double bytesPerSecond,
                       double wireBytes, double messages, double hostNanos) {
}
