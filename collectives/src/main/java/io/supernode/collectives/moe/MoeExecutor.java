package io.supernode.collectives.moe;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.Inputs;
import io.supernode.collectives.run.Transport;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Supernode;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.DataPaths;
import io.supernode.gas.path.SignalSlot;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one dispatch, the experts and one combine on real bytes for the first {@code realTokens} tokens of every rank:
 * every buffer is a region in its rank's node memory, every transfer between ranks a {@link DataPath#putSignal} and the
 * receiver's {@link DataPath#waitSignal} (a store and a signal on the unified path, a message through the copy stack
 * on the copy path), a rank's own share a copy in its memory. The receivers read each token's source, experts and
 * weights from the message itself. Every sum is a bfloat16 accumulator, rounded after each addition, so that the order
 * of its terms shows in the result (a float accumulator rounded once at the end hides most orders); the orders, which
 * {@link MoeReference} repeats:
 * <ul>
 *   <li>a rank's partial for a token (normal mode): its experts' {@code w_k * f_e(x)}, k ascending;</li>
 *   <li>one domain: the token's output sums the ranks' partials, ranks ascending;</li>
 *   <li>stacked servers: the forwarder sums the partials of its server's ranks ascending, and the output sums the
 *   servers' sums, servers ascending;</li>
 *   <li>low-latency mode: each expert returns {@code bf16(f_e(x))} and the output sums {@code w_k * y_k}, k
 *   ascending.</li>
 * </ul>
 * One thread drives every rank, so a run is deterministic; the paths' clocks are not the phases' time (see
 * {@link MoeTiming}). Closing unmaps every region.
 */
final class MoeExecutor implements AutoCloseable {

    private final Supernode machine;
    private final Team team;
    private final MoeSpec spec;
    private final RoutingTable table;
    private final int realTokens;
    private final boolean hierarchical;
    private final TokenMessage message;
    private final ExpertFunction experts;
    private final DataPath[] paths;
    private final List<Region> regions = new ArrayList<>();
    private final long[] signalAddress;
    private final long[][] signalValue;
    private final MemorySegment[] inputs;
    private final MemorySegment[] outputs;
    private final int ranks;
    private final int hidden;
    private final long combineBytes;

    MoeExecutor(Supernode machine, MessagePlane plane, Transport transport, Team team, MoeSpec spec, RoutingTable table,
                int realTokens, boolean hierarchical) {
        this.machine = machine;
        this.team = team;
        this.spec = spec;
        this.table = table;
        this.realTokens = realTokens;
        this.hierarchical = hierarchical;
        this.message = new TokenMessage(spec.format(), spec.hidden(), spec.topK(), spec.mode() == MoeMode.NORMAL);
        this.experts = new ExpertFunction(spec.experts(), spec.seed());
        this.ranks = team.size();
        this.hidden = spec.hidden();
        this.combineBytes = TokenMessage.combineBytes(hidden);
        DataPath[] all = DataPaths.open(transport.kind(), machine, plane);
        paths = new DataPath[ranks];
        signalAddress = new long[ranks];
        signalValue = new long[ranks][ranks];
        inputs = new MemorySegment[ranks];
        outputs = new MemorySegment[ranks];
        try {
            for (int r = 0; r < ranks; r++) {
                paths[r] = all[team.node(r)];
                inputs[r] = map("moe-input-" + r, r, realTokens * combineBytes).segment;
                outputs[r] = map("moe-output-" + r, r, realTokens * combineBytes).segment;
                signalAddress[r] = map("moe-signals-" + r, r, (long) ranks * SignalSlot.BYTES).address;
                for (int t = 0; t < realTokens; t++) {
                    Inputs.fill(DataType.BFLOAT16, spec.seed(), r, (long) t * hidden, hidden, inputs[r], t * combineBytes);
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A mapped buffer: its bytes as the node holds them, and its global address. */
    private record Buffer(MemorySegment segment, long address) {
    }

    private Buffer map(String name, int rank, long bytes) {
        long size = Math.max(bytes, 1);
        RegionSpec spec = RegionSpec.of(name, size, Placement.onNode(team.node(rank)));
        // A buffer of a huge page or more is written whole: mapped on huge pages, the OS faults it in 2 MiB at a time.
        Region region = machine.map(size >= GlobalAddressSpace.HUGE_PAGE_BYTES
                ? spec.withPageSize(GlobalAddressSpace.HUGE_PAGE_BYTES) : spec);
        regions.add(region);
        return new Buffer(machine.node(team.node(rank)).view(region.baseAddress(), size), region.baseAddress());
    }

    /** Runs dispatch, the experts and combine. */
    void run() {
        if (spec.mode() == MoeMode.LOW_LATENCY) {
            lowLatency();
        } else if (hierarchical) {
            forwarded();
        } else {
            batched();
        }
    }

    /** Rank {@code rank}'s combined tokens, bfloat16. */
    MemorySegment output(int rank) {
        return outputs[rank];
    }

    /** Tokens per rank moved for real. */
    int realTokens() {
        return realTokens;
    }

    /** Bytes the ranks' paths moved over the fabric so far. */
    long fabricBytes() {
        long total = 0;
        for (DataPath path : paths) {
            total += path.fabricBytes();
        }
        return total;
    }

    // ---- normal mode, one domain -------------------------------------------------------------------------------

    private void batched() {
        // count[r][d]: tokens of r going to d; a rank's send buffer is grouped by destination, its receive buffer by
        // source, both in token order.
        long[][] count = new long[ranks][ranks];
        for (int r = 0; r < ranks; r++) {
            for (int t = 0; t < realTokens; t++) {
                for (int d : table.ranksOf(r, t)) {
                    count[r][d]++;
                }
            }
        }
        long msg = message.bytes();
        Buffer[] send = new Buffer[ranks];
        Buffer[] receive = new Buffer[ranks];
        Buffer[] partial = new Buffer[ranks];
        Buffer[] returned = new Buffer[ranks];
        for (int r = 0; r < ranks; r++) {
            send[r] = map("moe-send-" + r, r, rowSum(count[r]) * msg);
            receive[r] = map("moe-receive-" + r, r, columnSum(count, r) * msg);
            partial[r] = map("moe-partial-" + r, r, columnSum(count, r) * combineBytes);
            returned[r] = map("moe-returned-" + r, r, rowSum(count[r]) * combineBytes);
        }
        for (int r = 0; r < ranks; r++) {
            long[] cursor = prefix(count[r]);
            for (int t = 0; t < realTokens; t++) {
                for (int d : table.ranksOf(r, t)) {
                    pack(r, t, send[r].segment, cursor[d]++ * msg);
                }
            }
        }
        for (int r = 0; r < ranks; r++) {
            long[] sendAt = prefix(count[r]);
            for (int d = 0; d < ranks; d++) {
                move(r, d, send[r], sendAt[d] * msg, receive[d], sourceOffset(count, d, r) * msg, count[r][d] * msg);
            }
        }
        for (int d = 0; d < ranks; d++) {
            long messages = columnSum(count, d);
            for (long i = 0; i < messages; i++) {
                partialSum(d, receive[d].segment, i * msg, partial[d].segment, i * combineBytes);
            }
        }
        for (int d = 0; d < ranks; d++) {
            for (int r = 0; r < ranks; r++) {
                long[] returnAt = prefix(count[r]);
                move(d, r, partial[d], sourceOffset(count, d, r) * combineBytes, returned[r], returnAt[d] * combineBytes,
                        count[r][d] * combineBytes);
            }
        }
        for (int r = 0; r < ranks; r++) {
            long[] cursor = prefix(count[r]);
            float[] sum = new float[hidden];
            for (int t = 0; t < realTokens; t++) {
                java.util.Arrays.fill(sum, 0f);
                for (int d : table.ranksOf(r, t)) {
                    addBf16(returned[r].segment, cursor[d]++ * combineBytes, sum);
                }
                storeBf16(sum, outputs[r], t * combineBytes);
            }
        }
    }

    // ---- normal mode, stacked servers --------------------------------------------------------------------------

    private void forwarded() {
        int perGroup = table.ranksPerGroup();
        int groups = ranks / perGroup;
        long msg = message.bytes();
        // toGroup[r][g]: tokens of r going to server g (once per server).
        long[][] toGroup = new long[ranks][groups];
        for (int r = 0; r < ranks; r++) {
            for (int t = 0; t < realTokens; t++) {
                for (int g : table.groupsOf(r, t)) {
                    toGroup[r][g]++;
                }
            }
        }
        // The forwarder of r's tokens on server g is g * perGroup + r % perGroup; its buffer holds its sources'
        // tokens for g, sources ascending.
        Buffer[] send = new Buffer[ranks];
        Buffer[] forwardIn = new Buffer[ranks];
        long[][] forwardInAt = new long[ranks][ranks];
        for (int r = 0; r < ranks; r++) {
            send[r] = map("moe-send-" + r, r, rowSum(toGroup[r]) * msg);
        }
        for (int f = 0; f < ranks; f++) {
            long at = 0;
            for (int s = f % perGroup; s < ranks; s += perGroup) {
                forwardInAt[f][s] = at;
                at += toGroup[s][f / perGroup];
            }
            forwardIn[f] = map("moe-forward-in-" + f, f, at * msg);
        }
        for (int r = 0; r < ranks; r++) {
            long[] cursor = prefix(toGroup[r]);
            for (int t = 0; t < realTokens; t++) {
                for (int g : table.groupsOf(r, t)) {
                    pack(r, t, send[r].segment, cursor[g]++ * msg);
                }
            }
            long[] sendAt = prefix(toGroup[r]);
            for (int g = 0; g < groups; g++) {
                int f = g * perGroup + r % perGroup;
                move(r, f, send[r], sendAt[g] * msg, forwardIn[f], forwardInAt[f][r] * msg, toGroup[r][g] * msg);
            }
        }
        // Forwarding: per forwarder f and destination d on f's server, f's tokens (sources ascending, tokens in
        // order) that need d.
        long[][] forwardCount = new long[ranks][perGroup];
        for (int f = 0; f < ranks; f++) {
            long[] counts = forwardCount[f];
            forEachForwarded(f, forwardIn[f].segment, (d, offset) -> counts[d % perGroup]++);
        }
        Buffer[] forwardOut = new Buffer[ranks];
        Buffer[] receive = new Buffer[ranks];
        long[][] receiveAt = new long[ranks][perGroup];
        for (int f = 0; f < ranks; f++) {
            forwardOut[f] = map("moe-forward-out-" + f, f, rowSum(forwardCount[f]) * msg);
        }
        for (int d = 0; d < ranks; d++) {
            long at = 0;
            int first = d / perGroup * perGroup;
            for (int f = first; f < first + perGroup; f++) {
                receiveAt[d][f - first] = at;
                at += forwardCount[f][d % perGroup];
            }
            receive[d] = map("moe-receive-" + d, d, at * msg);
        }
        for (int f = 0; f < ranks; f++) {
            long[] cursor = prefix(forwardCount[f]);
            MemorySegment in = forwardIn[f].segment;
            MemorySegment out = forwardOut[f].segment;
            forEachForwarded(f, in, (d, offset) -> MemorySegment.copy(in, offset, out, cursor[d % perGroup]++ * msg, msg));
            long[] outAt = prefix(forwardCount[f]);
            int first = f / perGroup * perGroup;
            for (int d = first; d < first + perGroup; d++) {
                move(f, d, forwardOut[f], outAt[d - first] * msg, receive[d], receiveAt[d][f - first] * msg,
                        forwardCount[f][d - first] * msg);
            }
        }
        // Experts: every received token's partial, in receive order.
        Buffer[] partial = new Buffer[ranks];
        for (int d = 0; d < ranks; d++) {
            long messages = receive[d].segment.byteSize() / msg;
            partial[d] = map("moe-partial-" + d, d, messages * combineBytes);
            for (long i = 0; i < messages; i++) {
                partialSum(d, receive[d].segment, i * msg, partial[d].segment, i * combineBytes);
            }
        }
        // Combine, first leg: every rank returns its partials to the forwarders they came from.
        Buffer[] forwardBack = new Buffer[ranks];
        for (int f = 0; f < ranks; f++) {
            forwardBack[f] = map("moe-forward-back-" + f, f, rowSum(forwardCount[f]) * combineBytes);
            long[] backAt = prefix(forwardCount[f]);
            int first = f / perGroup * perGroup;
            for (int d = first; d < first + perGroup; d++) {
                move(d, f, partial[d], receiveAt[d][f - first] * combineBytes, forwardBack[f],
                        backAt[d - first] * combineBytes, forwardCount[f][d - first] * combineBytes);
            }
        }
        // The forwarder sums a token's partials over its server's ranks ascending, in its receive order.
        Buffer[] serverSum = new Buffer[ranks];
        for (int f = 0; f < ranks; f++) {
            long tokens = forwardIn[f].segment.byteSize() / msg;
            serverSum[f] = map("moe-server-sum-" + f, f, tokens * combineBytes);
            long[] cursor = prefix(forwardCount[f]);
            float[] sum = new float[hidden];
            int first = f / perGroup * perGroup;
            for (long i = 0; i < tokens; i++) {
                java.util.Arrays.fill(sum, 0f);
                for (int d : ranksOnServer(forwardIn[f].segment, i * msg, first, perGroup)) {
                    addBf16(forwardBack[f].segment, cursor[d - first]++ * combineBytes, sum);
                }
                storeBf16(sum, serverSum[f].segment, i * combineBytes);
            }
        }
        // Second leg: home, where the servers' sums are added ascending.
        Buffer[] returned = new Buffer[ranks];
        for (int r = 0; r < ranks; r++) {
            returned[r] = map("moe-returned-" + r, r, rowSum(toGroup[r]) * combineBytes);
        }
        for (int r = 0; r < ranks; r++) {
            long[] homeAt = prefix(toGroup[r]);
            for (int g = 0; g < groups; g++) {
                int f = g * perGroup + r % perGroup;
                move(f, r, serverSum[f], forwardInAt[f][r] * combineBytes, returned[r], homeAt[g] * combineBytes,
                        toGroup[r][g] * combineBytes);
            }
            long[] cursor = prefix(toGroup[r]);
            float[] sum = new float[hidden];
            for (int t = 0; t < realTokens; t++) {
                java.util.Arrays.fill(sum, 0f);
                for (int g : table.groupsOf(r, t)) {
                    addBf16(returned[r].segment, cursor[g]++ * combineBytes, sum);
                }
                storeBf16(sum, outputs[r], t * combineBytes);
            }
        }
    }

    /** What a forwarder does with one token it holds and one destination on its server. */
    private interface Forward {
        void to(int destination, long offset);
    }

    /**
     * Calls {@code action} for every token in forwarder {@code f}'s buffer (in order) and every rank of f's server
     * among that token's experts (ascending), reading the experts from the message.
     */
    private void forEachForwarded(int f, MemorySegment in, Forward action) {
        long msg = message.bytes();
        int perGroup = table.ranksPerGroup();
        int first = f / perGroup * perGroup;
        for (long i = 0; i < in.byteSize() / msg; i++) {
            for (int d : ranksOnServer(in, i * msg, first, perGroup)) {
                action.to(d, i * msg);
            }
        }
    }

    /** The ranks {@code first .. first + perGroup - 1} among the experts of the message at {@code offset}, ascending. */
    private int[] ranksOnServer(MemorySegment in, long offset, int first, int perGroup) {
        boolean[] on = new boolean[perGroup];
        int n = 0;
        for (int k = 0; k < spec.topK(); k++) {
            int d = table.rankOf(in.get(ValueLayout.JAVA_INT_UNALIGNED, offset + message.expertsOffset() + 4L * k));
            if (d >= first && d < first + perGroup && !on[d - first]) {
                on[d - first] = true;
                n++;
            }
        }
        int[] out = new int[n];
        int i = 0;
        for (int d = 0; d < perGroup; d++) {
            if (on[d]) {
                out[i++] = first + d;
            }
        }
        return out;
    }

    // ---- low-latency mode --------------------------------------------------------------------------------------

    private void lowLatency() {
        int topK = spec.topK();
        long msg = message.bytes();
        long[][] count = new long[ranks][ranks];
        for (int r = 0; r < ranks; r++) {
            for (int t = 0; t < realTokens; t++) {
                for (int k = 0; k < topK; k++) {
                    count[r][table.rankOf(table.expert(r, t, k))]++;
                }
            }
        }
        Buffer[] send = new Buffer[ranks];
        Buffer[] receive = new Buffer[ranks];
        Buffer[] expertOut = new Buffer[ranks];
        Buffer[] returned = new Buffer[ranks];
        for (int r = 0; r < ranks; r++) {
            send[r] = map("moe-send-" + r, r, (long) realTokens * topK * msg);
            receive[r] = map("moe-receive-" + r, r, columnSum(count, r) * msg);
            expertOut[r] = map("moe-expert-out-" + r, r, columnSum(count, r) * combineBytes);
            returned[r] = map("moe-returned-" + r, r, (long) realTokens * topK * combineBytes);
        }
        // Dispatch: a put per token and expert, into the expert's rank's slots for this source, in (token, k) order.
        long[][] slot = new long[ranks][];
        for (int d = 0; d < ranks; d++) {
            slot[d] = new long[ranks];
            for (int r = 0; r < ranks; r++) {
                slot[d][r] = sourceOffset(count, d, r);
            }
        }
        long[][] origin = new long[ranks][];
        for (int d = 0; d < ranks; d++) {
            origin[d] = new long[(int) columnSum(count, d)];
        }
        for (int r = 0; r < ranks; r++) {
            for (int t = 0; t < realTokens; t++) {
                for (int k = 0; k < topK; k++) {
                    int e = table.expert(r, t, k);
                    int d = table.rankOf(e);
                    long at = ((long) t * topK + k) * msg;
                    pack(r, t, send[r].segment, at);
                    send[r].segment.set(ValueLayout.JAVA_INT_UNALIGNED, at + TokenMessage.EXPERT_OFFSET, e);
                    long landing = slot[d][r]++;
                    origin[d][(int) landing] = (long) t * topK + k;
                    move(r, d, send[r], at, receive[d], landing * msg, msg);
                }
            }
        }
        // Experts, then combine: a put per token and expert back to its slot at the source.
        float[] x = new float[hidden];
        float[] y = new float[hidden];
        for (int d = 0; d < ranks; d++) {
            MemorySegment in = receive[d].segment;
            for (long i = 0; i < in.byteSize() / msg; i++) {
                long offset = i * msg;
                int e = in.get(ValueLayout.JAVA_INT_UNALIGNED, offset + TokenMessage.EXPERT_OFFSET);
                int source = in.get(ValueLayout.JAVA_INT_UNALIGNED, offset + TokenMessage.SOURCE_RANK_OFFSET);
                spec.format().decode(in, offset + message.payloadOffset(), x);
                experts.apply(e, x, y);
                storeBf16(y, expertOut[d].segment, i * combineBytes);
                move(d, source, expertOut[d], i * combineBytes, returned[source], origin[d][(int) i] * combineBytes,
                        combineBytes);
            }
        }
        float[] sum = new float[hidden];
        float[] value = new float[hidden];
        for (int r = 0; r < ranks; r++) {
            for (int t = 0; t < realTokens; t++) {
                java.util.Arrays.fill(sum, 0f);
                for (int k = 0; k < topK; k++) {
                    loadBf16(returned[r].segment, ((long) t * topK + k) * combineBytes, value);
                    float w = table.weight(r, t, k);
                    for (int c = 0; c < hidden; c++) {
                        sum[c] = DataType.BFLOAT16.round(sum[c] + w * value[c]);
                    }
                }
                storeBf16(sum, outputs[r], t * combineBytes);
            }
        }
    }

    // ---- shared steps ------------------------------------------------------------------------------------------

    /** Writes token {@code t} of rank {@code r} as a message at {@code offset} of {@code into}. */
    private void pack(int r, int t, MemorySegment into, long offset) {
        float[] x = new float[hidden];
        loadBf16(inputs[r], t * combineBytes, x);
        into.set(ValueLayout.JAVA_INT_UNALIGNED, offset + TokenMessage.SOURCE_RANK_OFFSET, r);
        into.set(ValueLayout.JAVA_INT_UNALIGNED, offset + TokenMessage.SOURCE_TOKEN_OFFSET, t);
        into.set(ValueLayout.JAVA_INT_UNALIGNED, offset + TokenMessage.EXPERT_OFFSET, -1);
        spec.format().encode(x, into, offset + message.payloadOffset());
        if (message.carriesRouting()) {
            for (int k = 0; k < spec.topK(); k++) {
                into.set(ValueLayout.JAVA_INT_UNALIGNED, offset + message.expertsOffset() + 4L * k, table.expert(r, t, k));
                into.set(ValueLayout.JAVA_FLOAT_UNALIGNED, offset + message.weightsOffset() + 4L * k, table.weight(r, t, k));
            }
        }
    }

    /**
     * Rank {@code d}'s partial for the message at {@code offset}: its experts among the token's, k ascending, weighted
     * and summed in float, stored as bfloat16.
     */
    private void partialSum(int d, MemorySegment in, long offset, MemorySegment out, long outOffset) {
        float[] x = new float[hidden];
        float[] y = new float[hidden];
        float[] sum = new float[hidden];
        spec.format().decode(in, offset + message.payloadOffset(), x);
        for (int k = 0; k < spec.topK(); k++) {
            int e = in.get(ValueLayout.JAVA_INT_UNALIGNED, offset + message.expertsOffset() + 4L * k);
            if (table.rankOf(e) == d) {
                float w = in.get(ValueLayout.JAVA_FLOAT_UNALIGNED, offset + message.weightsOffset() + 4L * k);
                experts.apply(e, x, y);
                for (int c = 0; c < hidden; c++) {
                    sum[c] = DataType.BFLOAT16.round(sum[c] + w * y[c]);
                }
            }
        }
        storeBf16(sum, out, outOffset);
    }

    /**
     * Moves {@code bytes} from rank {@code from}'s buffer to rank {@code to}'s: a put with a signal and its wait, or a
     * copy in the rank's own memory.
     */
    private void move(int from, int to, Buffer source, long sourceOffset, Buffer target, long targetOffset, long bytes) {
        if (bytes == 0) {
            return;
        }
        if (from == to) {
            MemorySegment.copy(source.segment, sourceOffset, target.segment, targetOffset, bytes);
            return;
        }
        long value = ++signalValue[to][from];
        long signal = signalAddress[to] + (long) from * SignalSlot.BYTES;
        paths[from].putSignal(team.node(to), source.segment, sourceOffset, bytes, target.address + targetOffset,
                signal, value);
        paths[to].waitSignal(team.node(from), target.address + targetOffset, bytes, signal, value);
    }

    // bfloat16 channels go through a heap array and a bulk copy: per-element accesses to a segment each pay a
    // bounds check, and every token is read and written several times.

    private static void loadBf16(MemorySegment from, long offset, float[] into) {
        short[] bits = new short[into.length];
        MemorySegment.copy(from, ValueLayout.JAVA_SHORT_UNALIGNED, offset, bits, 0, bits.length);
        for (int c = 0; c < into.length; c++) {
            into[c] = DataType.bfloat16ToFloat(bits[c]);
        }
    }

    private static void addBf16(MemorySegment from, long offset, float[] sum) {
        short[] bits = new short[sum.length];
        MemorySegment.copy(from, ValueLayout.JAVA_SHORT_UNALIGNED, offset, bits, 0, bits.length);
        for (int c = 0; c < sum.length; c++) {
            sum[c] = DataType.BFLOAT16.round(sum[c] + DataType.bfloat16ToFloat(bits[c]));
        }
    }

    private static void storeBf16(float[] values, MemorySegment into, long offset) {
        short[] bits = new short[values.length];
        for (int c = 0; c < values.length; c++) {
            bits[c] = DataType.floatToBfloat16(values[c]);
        }
        MemorySegment.copy(bits, 0, into, ValueLayout.JAVA_SHORT_UNALIGNED, offset, bits.length);
    }

    private static long rowSum(long[] row) {
        long sum = 0;
        for (long v : row) {
            sum += v;
        }
        return sum;
    }

    private static long columnSum(long[][] count, int column) {
        long sum = 0;
        for (long[] row : count) {
            sum += row[column];
        }
        return sum;
    }

    /** Where source {@code r}'s block starts in {@code d}'s buffer grouped by source: the counts of sources before. */
    private static long sourceOffset(long[][] count, int d, int r) {
        long at = 0;
        for (int s = 0; s < r; s++) {
            at += count[s][d];
        }
        return at;
    }

    /** Exclusive prefix sums. */
    private static long[] prefix(long[] counts) {
        long[] at = new long[counts.length];
        for (int i = 1; i < counts.length; i++) {
            at[i] = at[i - 1] + counts[i - 1];
        }
        return at;
    }

    @Override
    public void close() {
        for (Region region : regions.reversed()) {
            machine.unmap(region);
        }
        regions.clear();
    }
}
