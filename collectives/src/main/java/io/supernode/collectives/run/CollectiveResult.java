package io.supernode.collectives.run;

import io.supernode.collectives.schedule.Algorithm;

/**
 * One collective run on one transport, as nccl-tests reports it, beside what the emulator did.
 *
 * @param spec          what was asked
 * @param transport     the path the data moved over
 * @param ranks         ranks in the team
 * @param algorithm     the algorithm run (chosen or forced)
 * @param protocol      the protocol timed
 * @param count         nccl-tests' count at the full size
 * @param modeledNanos  the collective's modeled time at the full size
 * @param sliceBytes    the slice the timing pipelined
 * @param movedCount    the count the host really ran (smaller than {@code count} when the payload was capped)
 * @param wrong         output elements that differ from the reference bit for bit, over the bytes moved
 * @param fabricBytes   bytes the real run moved over the fabric (capped payload)
 * @param hostNanos     host time of the real run (never mixed with modeled time)
 */
public record CollectiveResult(CollectiveSpec spec, Transport transport, int ranks,
                               Algorithm algorithm, Protocol protocol, long count,
                               long modeledNanos, long sliceBytes, long movedCount, long wrong, long fabricBytes,
                               long hostNanos) {

    /** Whether the host moved fewer bytes than the size (the fabric is charged for the full size). */
    public boolean capped() {
        return movedCount < count;
    }

    /** nccl-tests' algorithm bandwidth, size / time, in GB/s (10^9 bytes). */
    public double algBwGBps() {
        return modeledNanos == 0 ? 0 : spec.sizeBytes() / (double) modeledNanos;
    }

    /** nccl-tests' bus bandwidth: algbw times the operation's factor. */
    public double busBwGBps() {
        return algBwGBps() * spec.op().busFactor(ranks);
    }
}
