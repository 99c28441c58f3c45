package io.supernode.collectives.run;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.ReduceOp;
import io.supernode.collectives.schedule.Algorithm;
import io.supernode.collectives.schedule.Op;
import io.supernode.gas.fault.ConfigFault;

/**
 * One collective to run: what, on which data, how, and how many of its bytes the host really moves.
 *
 * @param op              the operation
 * @param type            element type
 * @param redop           reduction (ignored by operations that do not reduce)
 * @param root            root rank of a broadcast or reduce
 * @param sizeBytes       nccl-tests' size: the buffer of an all-reduce, broadcast or reduce; the whole buffer
 *                        of n blocks of an all-gather, reduce-scatter or all-to-all
 * @param algorithm       the algorithm, or null to choose the fastest by the model as NCCL's tuner does
 * @param protocol        the protocol, or null to choose with the algorithm
 * @param payloadCapBytes the most bytes of a rank's largest buffer the host moves for real; beyond it the
 *                        same schedule runs on fewer elements and the fabric is charged for the full size
 * @param seed            seeds the inputs
 */
public record CollectiveSpec(Op op, DataType type, ReduceOp redop, int root, long sizeBytes, Algorithm algorithm,
                             Protocol protocol, long payloadCapBytes, long seed) {

    /** The default payload cap: 1 MiB of a rank's largest buffer (A: a 72-rank sweep then touches ~300 MiB). */
    public static final long DEFAULT_PAYLOAD_CAP_BYTES = 1L << 20;
    /** The largest payload cap: 256 MiB of a rank's largest buffer (A: bounded again over all ranks, see Collectives). */
    public static final long MAX_PAYLOAD_CAP_BYTES = 256L << 20;
    /** The largest size: 64 GiB (A: far beyond nccl-tests' usual 8 GB sweeps). */
    public static final long MAX_SIZE_BYTES = 64L << 30;

    /** Checks the combination. */
    public CollectiveSpec {
        if (op == null || type == null || redop == null) {
            throw new ConfigFault("a collective needs an operation, a data type and a reduction");
        }
        if (op.reduces() && !redop.supports(type)) {
            throw new ConfigFault(op.ncclName() + " cannot " + redop.ncclName() + " " + type.ncclName()
                    + (type == DataType.BYTES ? ": bytes are moved, not reduced" : ": max is for float only"));
        }
        if (sizeBytes < 0 || sizeBytes > MAX_SIZE_BYTES) {
            throw new ConfigFault("collective size must be 0.." + MAX_SIZE_BYTES + " bytes, got " + sizeBytes);
        }
        if (payloadCapBytes < 1 || payloadCapBytes > MAX_PAYLOAD_CAP_BYTES) {
            throw new ConfigFault("payload cap must be 1 byte.." + MAX_PAYLOAD_CAP_BYTES + " bytes per buffer, got "
                    + payloadCapBytes);
        }
    }

    /** The spec with another size. */
    public CollectiveSpec withSize(long bytes) {
        return new CollectiveSpec(op, type, redop, root, bytes, algorithm, protocol, payloadCapBytes, seed);
    }
}
