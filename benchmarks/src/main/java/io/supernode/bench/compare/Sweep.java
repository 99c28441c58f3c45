package io.supernode.bench.compare;

import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.FabricPair;
import io.supernode.gas.path.PathKind;
import io.supernode.gas.Supernode;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.runtime.DeterministicRuntime;
import io.supernode.gas.runtime.NodeProgram;
import io.supernode.gas.stats.HostTiming;
import io.supernode.gas.stats.Json;
import io.supernode.gas.stats.NodeStats;
import io.supernode.gas.stats.OpKind;
import io.supernode.gas.stats.Units;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The unified-vs-copy comparison: for each fabric pair, size and method, node 0 fetches bytes that live
 * on the machine's last node (across the top switch tier), repeatedly, on the deterministic runtime.
 * Each repetition starts at a barrier, so it is timed unloaded; the first warms translations and pools
 * and is not counted. Same seed, same numbers.
 */
public final class Sweep {

    /** The paths the sweep runs: every path a node program opens by itself (coherent regions need a domain). */
    public static final List<PathKind> PATHS = List.of(PathKind.UNIFIED_LOAD, PathKind.UNIFIED_COPY,
            PathKind.SEND_RECV, PathKind.RPC, PathKind.ONE_SIDED);

    /** 8 B to 4 MiB in steps of 8x, then 4 MiB. */
    public static final List<Long> DEFAULT_SIZES = List.of(8L, 64L, 512L, 4096L, 32_768L, 262_144L, 2_097_152L, 4_194_304L);

    private Sweep() {
    }

    /** Runs every combination; {@code progress} hears about each finished row. */
    public static List<SweepRow> run(List<FabricPair> pairs, List<PathKind> methods, List<Long> sizes, long seed,
                                     Consumer<SweepRow> progress) {
        List<SweepRow> rows = new ArrayList<>();
        for (FabricPair pair : pairs) {
            for (long size : sizes) {
                for (PathKind method : methods) {
                    SweepRow row = measure(pair, method, size, seed);
                    rows.add(row);
                    progress.accept(row);
                }
            }
        }
        return rows;
    }

    private static int repetitions(long size) {
        return size <= 65_536 ? 16 : size <= (1 << 20) ? 6 : 3;
    }

    /**
     * One cell: node 0 fetching {@code size} bytes over {@code pair} through {@code method}'s
     * {@link DataPath}, the same program on every path: the holder offers the bytes (only send/receive
     * needs it), node 0 reads a word with {@link DataPath#readLong} and a range with {@link DataPath#readable}.
     */
    public static SweepRow measure(FabricPair pair, PathKind method, long size, long seed) {
        int reps = repetitions(size);
        CellMachine cell = CellMachine.boot(pair, size, HostTiming.EVERY_OP, seed);
        int target = cell.holder();
        long address = cell.address();
        MemorySegment held = cell.held();
        try (Supernode machine = cell.machine()) {
            long[] latency = new long[1];
            long[][] before = new long[2][];
            NodeProgram program = ctx -> {
                DataPath path = ctx.path(method);
                MemorySegment local = ctx.allocate(size);
                for (int rep = 0; rep <= reps; rep++) {
                    ctx.barrier();
                    if (rep == 1) {
                        if (ctx.nodeId() == 0) {
                            before[0] = snapshot(machine.node(0).stats(), target);
                            before[1] = snapshot(machine.node(target).stats(), target);
                        }
                        ctx.barrier();
                    }
                    if (ctx.nodeId() == 0) {
                        long start = ctx.clock().nowNanos();
                        if (size == Long.BYTES) {
                            path.readLong(address);
                        } else {
                            path.readable(address, size, local);
                        }
                        if (rep > 0) {
                            latency[0] += ctx.clock().nowNanos() - start;
                        }
                    } else {
                        path.offer(0, held, 0, size);
                    }
                }
                ctx.barrier();
            };
            new DeterministicRuntime(seed).run(machine, pair.copy(), new int[] {0, target}, program);
            long[] after0 = snapshot(machine.node(0).stats(), target);
            long[] afterT = snapshot(machine.node(target).stats(), target);
            double perRep = 1.0 / reps;
            // Load/store paths count the bytes they read from the holder, copy paths their messages' bytes.
            double wire = method.unified()
                    ? (after0[0] - before[0][0]) * perRep
                    : (after0[1] - before[0][1] + afterT[1] - before[1][1]) * perRep;
            double messages = (after0[2] - before[0][2] + afterT[2] - before[1][2]) * perRep;
            double host = (after0[3] - before[0][3] + afterT[3] - before[1][3]) * perRep;
            double meanLatency = latency[0] * perRep;
            return new SweepRow(pair.name(), method, size, meanLatency, size * 1e9 / meanLatency, wire, messages, host);
        }
    }

    /** Bytes read from the target over the load/store path, message bytes, messages, host ns of every op. */
    private static long[] snapshot(NodeStats stats, int target) {
        long host = 0;
        for (OpKind kind : OpKind.values()) {
            host += stats.op(kind).hostNanos();
        }
        return new long[] {stats.readBytesFrom(target), stats.messageBytes(), stats.messages(), host};
    }

    /** How the CSV and JSON name a path: by what reading through it is, e.g. {@code RPC_READ}. */
    private static String name(PathKind path) {
        return path.label().toUpperCase(Locale.ROOT).replace(' ', '_');
    }

    /** Every field of every row, with a header line. */
    public static String csv(List<SweepRow> rows) {
        StringBuilder out = new StringBuilder(
                "pair,method,size_bytes,latency_ns,bandwidth_bytes_per_s,wire_bytes,messages,host_ns\n");
        for (SweepRow r : rows) {
            out.append(String.format(Locale.ROOT, "%s,%s,%d,%.1f,%.1f,%.1f,%.2f,%.1f%n", r.pair(), name(r.method()),
                    r.sizeBytes(), r.latencyNanos(), r.bytesPerSecond(), r.wireBytes(), r.messages(), r.hostNanos()));
        }
        return out.toString();
    }

    /** Every row as a JSON array, one row per line; a figure that is not finite is null. */
    public static String json(List<SweepRow> rows) {
        return Json.write(json -> {
            json.writeStartArray();
            for (SweepRow r : rows) {
                json.writeStartObject();
                json.writeStringField("pair", r.pair());
                json.writeStringField("method", name(r.method()));
                json.writeNumberField("size_bytes", r.sizeBytes());
                Json.writeFixedField(json, "latency_ns", r.latencyNanos(), 1);
                Json.writeFixedField(json, "bandwidth_bytes_per_s", r.bytesPerSecond(), 1);
                Json.writeFixedField(json, "wire_bytes", r.wireBytes(), 1);
                Json.writeFixedField(json, "messages", r.messages(), 2);
                Json.writeFixedField(json, "host_ns", r.hostNanos(), 1);
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    /**
     * One markdown table per pair: sizes down, methods across, modeled latency in each cell (and modeled
     * bandwidth from 32 KiB up), then the same grid of host time per operation.
     */
    public static String markdown(List<SweepRow> rows) {
        StringBuilder out = new StringBuilder();
        for (String pair : rows.stream().map(SweepRow::pair).distinct().toList()) {
            List<SweepRow> mine = rows.stream().filter(r -> r.pair().equals(pair)).toList();
            List<PathKind> methods = mine.stream().map(SweepRow::method).distinct().toList();
            FabricPair p = FabricPair.byName(pair);
            out.append("### ").append(p.label()).append(": ").append(p.describe())
                    .append("\n\nModeled latency (and bandwidth from 32 KiB), node 0 reading from node ")
                    .append(p.shape().nodeCount() - 1).append(":\n\n");
            grid(out, mine, methods, r -> Units.nanos(r.latencyNanos())
                    + (r.sizeBytes() >= 32_768 ? " · " + Units.gbPerSecond(r.bytesPerSecond()) : ""));
            out.append("\nMessages and wire bytes per operation:\n\n");
            grid(out, mine, methods, r -> String.format(Locale.ROOT, "%.0f · %s", r.messages(),
                    ByteSize.format(Math.round(r.wireBytes()))));
            out.append("\nHost time the emulator spent per operation:\n\n");
            grid(out, mine, methods, r -> Units.nanos(r.hostNanos()));
            out.append('\n');
        }
        return out.toString();
    }

    private static void grid(StringBuilder out, List<SweepRow> rows, List<PathKind> methods,
                             Function<SweepRow, String> cell) {
        out.append("| size |");
        methods.forEach(m -> out.append(' ').append(m.label()).append(" |"));
        out.append("\n|---:|");
        methods.forEach(m -> out.append("---:|"));
        out.append('\n');
        for (long size : rows.stream().map(SweepRow::sizeBytes).distinct().toList()) {
            out.append("| ").append(ByteSize.format(size)).append(" |");
            for (PathKind m : methods) {
                rows.stream().filter(r -> r.sizeBytes() == size && r.method() == m).findFirst()
                        .ifPresentOrElse(r -> out.append(' ').append(cell.apply(r)).append(" |"), () -> out.append(" - |"));
            }
            out.append('\n');
        }
    }
}
