package io.supernode.coherence.transport;

import io.supernode.coherence.protocol.CacheController;
import io.supernode.coherence.protocol.CacheEvent;
import io.supernode.coherence.protocol.CacheLine;
import io.supernode.coherence.protocol.CacheState;
import io.supernode.coherence.protocol.CoreOp;
import io.supernode.coherence.protocol.DirEvent;
import io.supernode.coherence.protocol.DirLine;
import io.supernode.coherence.protocol.DirState;
import io.supernode.coherence.protocol.DirectoryController;
import io.supernode.coherence.protocol.Message;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolVariant;
import io.supernode.coherence.protocol.VirtualNetwork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Caches, a directory and the messages in flight between them, as one value the deterministic transport
 * and the explorer step through. Requests and responses may be delivered in any order; forwarded
 * requests keep point-to-point order (unless the variant under test breaks that); a message whose
 * transition stalls stays in flight. Ghost state (the last value written to each line) lets checkers
 * judge every load.
 */
public final class CoherenceSystem {

    /**
     * One thing that can happen next.
     */
    public sealed interface Step permits Issue, Deliver {
    }

    /**
     * A core issues a request to its cache.
     *
     * @param node the core's node
     * @param line the line
     * @param op   the request
     */
    public record Issue(int node, int line, CoreOp op) implements Step {
        @Override
        public String toString() {
            return "N" + node + " " + op.event() + (op.event() == CacheEvent.STORE ? " " + op.value() : "") + " line " + line;
        }
    }

    /**
     * The network delivers a message.
     *
     * @param index   its position among the messages in flight
     * @param message the message
     */
    public record Deliver(int index, Message message) implements Step {
        @Override
        public String toString() {
            return "deliver " + message;
        }
    }

    private final int nodes;
    private final int lines;
    private final Protocol protocol;
    private final ProtocolVariant variant;
    private final CacheController cache;
    private final DirectoryController directory;
    // What the tables allow, precomputed by state so that listing the enabled steps reads arrays, not tables:
    // the core requests a cache may issue (bits by CacheEvent ordinal), and whether an arriving event is
    // delivered (an event the table does not define is, so that it fails as the protocol error it is).
    private final int[] issuableByState;
    private final boolean[] cacheTakes;
    private final boolean[] directoryTakes;
    // Every Issue step for the store values last asked for, shared by a system and all its copies (the
    // explorer lists the steps of millions of copies): steps are values, and making them anew for every state
    // was much of the cost of enabled(). Racing threads may each make the same steps; any one of them serves.
    private final IssueStepsCache issueSteps;
    // The state proper, package-private so that PackedState can pack it into longs and restore it.
    final CacheLine[][] caches;
    final DirLine[] dir;
    final CoreOp[] pending;
    final int[] pendingLine;
    final int[] issued;
    final int[] lastWrite;
    final List<Message> network;
    String dataValueError;
    private CompletionListener listener;

    /** Told of every load and store a core completes, with the value it loaded or stored. */
    @FunctionalInterface
    public interface CompletionListener {
        /** Node {@code node} completed {@code event} on {@code line}: {@code value} loaded or stored. */
        void completed(int node, int line, CacheEvent event, int value);
    }

    /** A quiet system of {@code nodes} caches and {@code lines} lines following {@code protocol}, all memory zero. */
    public CoherenceSystem(int nodes, int lines, Protocol protocol, ProtocolVariant variant) {
        this.nodes = nodes;
        this.lines = lines;
        this.protocol = protocol;
        this.variant = variant;
        this.cache = new CacheController(protocol.cacheTable(variant));
        this.directory = new DirectoryController(protocol.directoryTable(variant));
        this.issuableByState = new int[CacheState.values().length];
        this.cacheTakes = new boolean[CacheState.values().length * CacheEvent.values().length];
        for (CacheState state : CacheState.values()) {
            for (CacheEvent event : CacheEvent.values()) {
                boolean defined = cache.table().defines(state, event);
                boolean stalls = defined && cache.table().lookup(state, event).waits();
                if (defined && !stalls && event.ordinal() <= CacheEvent.REPLACEMENT.ordinal()) {
                    issuableByState[state.ordinal()] |= 1 << event.ordinal();
                }
                cacheTakes[state.ordinal() * CacheEvent.values().length + event.ordinal()] = !stalls;
            }
        }
        this.directoryTakes = new boolean[DirState.values().length * DirEvent.values().length];
        for (DirState state : DirState.values()) {
            for (DirEvent event : DirEvent.values()) {
                directoryTakes[state.ordinal() * DirEvent.values().length + event.ordinal()] =
                        !directory.table().defines(state, event) || !directory.table().lookup(state, event).waits();
            }
        }
        this.issueSteps = new IssueStepsCache();
        this.caches = new CacheLine[nodes][lines];
        for (CacheLine[] row : caches) {
            Arrays.fill(row, CacheLine.INVALID);
        }
        this.dir = new DirLine[lines];
        Arrays.fill(dir, DirLine.idle(0));
        this.pending = new CoreOp[nodes];
        this.pendingLine = new int[nodes];
        this.issued = new int[nodes];
        this.lastWrite = new int[lines];
        this.network = new ArrayList<>();
    }

    private CoherenceSystem(CoherenceSystem o) {
        this.nodes = o.nodes;
        this.lines = o.lines;
        this.protocol = o.protocol;
        this.variant = o.variant;
        this.cache = o.cache;
        this.directory = o.directory;
        this.issuableByState = o.issuableByState;
        this.cacheTakes = o.cacheTakes;
        this.directoryTakes = o.directoryTakes;
        this.issueSteps = o.issueSteps;
        this.caches = new CacheLine[nodes][];
        for (int n = 0; n < nodes; n++) {
            caches[n] = o.caches[n].clone();
        }
        this.dir = o.dir.clone();
        this.pending = o.pending.clone();
        this.pendingLine = o.pendingLine.clone();
        this.issued = o.issued.clone();
        this.lastWrite = o.lastWrite.clone();
        this.network = new ArrayList<>(o.network);
        this.dataValueError = o.dataValueError;
    }

    /** Tells {@code completions} of every completed load and store from now on (copies do not inherit it). */
    public void listen(CompletionListener completions) {
        this.listener = completions;
    }

    /** An independent copy. */
    public CoherenceSystem copy() {
        return new CoherenceSystem(this);
    }

    /** The variant of the protocol under test. */
    ProtocolVariant variant() {
        return variant;
    }

    /** The protocol the controllers follow. */
    public Protocol protocol() {
        return protocol;
    }

    /** Number of caches. */
    public int nodes() {
        return nodes;
    }

    /** Number of lines. */
    public int lines() {
        return lines;
    }

    /** Node {@code node}'s copy of {@code line}. */
    public CacheLine cache(int node, int line) {
        return caches[node][line];
    }

    /** The directory's entry for {@code line}. */
    public DirLine directory(int line) {
        return dir[line];
    }

    /** The last value any store wrote to {@code line} (ghost state). */
    public int lastWrite(int line) {
        return lastWrite[line];
    }

    /** Messages in flight, in the order they were sent. */
    public List<Message> inFlight() {
        return List.copyOf(network);
    }

    /** Whether node {@code node} waits for a request to complete. */
    public boolean waiting(int node) {
        return pending[node] != null;
    }

    /** The first load that returned something other than the last write, or null. */
    public String dataValueError() {
        return dataValueError;
    }

    /** Whether nothing is in flight and no core waits. */
    public boolean quiescent() {
        if (!network.isEmpty()) {
            return false;
        }
        for (CoreOp op : pending) {
            if (op != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Everything that may happen next: each idle core may issue a load, a store of each of
     * {@code storeValues}, or a replacement, while it has issued fewer than {@code opsPerNode}, and each
     * deliverable message may be delivered. Requests whose transition stalls are not enabled.
     */
    public List<Step> enabled(int opsPerNode, int[] storeValues) {
        IssueSteps all = issueSteps(storeValues);
        // Most cores wait on a miss most of the time, so the list is sized for the cores that do not.
        int idle = 0;
        for (int n = 0; n < nodes; n++) {
            if (pending[n] == null && issued[n] < opsPerNode) {
                idle++;
            }
        }
        List<Step> steps = new ArrayList<>(idle * lines * all.perLine + network.size());
        for (int n = 0; n < nodes && idle > 0; n++) {
            if (pending[n] != null || issued[n] >= opsPerNode) {
                continue;
            }
            for (int l = 0; l < lines; l++) {
                int issuable = issuableByState[caches[n][l].state().ordinal()];
                Issue[] candidates = all.steps[n * lines + l];
                if ((issuable & LOAD_BIT) != 0) {
                    steps.add(candidates[0]);
                }
                if ((issuable & STORE_BIT) != 0) {
                    for (int v = 1; v <= storeValues.length; v++) {
                        steps.add(candidates[v]);
                    }
                }
                if ((issuable & REPLACEMENT_BIT) != 0) {
                    steps.add(candidates[storeValues.length + 1]);
                }
            }
        }
        for (int i = 0; i < network.size(); i++) {
            if (deliverable(i)) {
                steps.add(new Deliver(i, network.get(i)));
            }
        }
        return steps;
    }

    private static final int LOAD_BIT = 1 << CacheEvent.LOAD.ordinal();
    private static final int STORE_BIT = 1 << CacheEvent.STORE.ordinal();
    private static final int REPLACEMENT_BIT = 1 << CacheEvent.REPLACEMENT.ordinal();

    /** Every Issue step for one set of store values: per node and line, a load, each store, a replacement. */
    private record IssueSteps(int[] storeValues, Issue[][] steps, int perLine) {
    }

    /** The Issue steps last made, shared by copies. */
    private static final class IssueStepsCache {
        private IssueSteps latest;
    }

    private IssueSteps issueSteps(int[] storeValues) {
        IssueSteps known = issueSteps.latest;
        if (known != null && Arrays.equals(known.storeValues, storeValues)) {
            return known;
        }
        int perLine = storeValues.length + 2;
        Issue[][] steps = new Issue[nodes * lines][perLine];
        for (int n = 0; n < nodes; n++) {
            for (int l = 0; l < lines; l++) {
                Issue[] row = steps[n * lines + l];
                row[0] = new Issue(n, l, new CoreOp(CacheEvent.LOAD, 0));
                for (int v = 0; v < storeValues.length; v++) {
                    row[v + 1] = new Issue(n, l, new CoreOp(CacheEvent.STORE, storeValues[v]));
                }
                row[perLine - 1] = new Issue(n, l, new CoreOp(CacheEvent.REPLACEMENT, 0));
            }
        }
        known = new IssueSteps(storeValues.clone(), steps, perLine);
        issueSteps.latest = known;
        return known;
    }

    /**
     * Whether the network keeps {@code m} in order behind earlier messages of its pair: forwarded requests do,
     * unless the variant under test breaks that. The order of these is part of a system's state.
     */
    boolean ordered(Message m) {
        return m.type().network() == VirtualNetwork.FORWARD && variant != ProtocolVariant.UNORDERED_FORWARD_NETWORK;
    }

    private boolean deliverable(int index) {
        Message m = network.get(index);
        if (ordered(m)) {
            for (int j = 0; j < index; j++) {
                Message earlier = network.get(j);
                if (ordered(earlier) && earlier.source() == m.source()
                        && earlier.target() == m.target()) {
                    return false;
                }
            }
        }
        if (m.target() == Message.DIRECTORY) {
            DirLine entry = dir[m.line()];
            return directoryTakes[entry.state().ordinal() * DIR_EVENTS + DirectoryController.classify(entry, m).ordinal()];
        }
        CacheLine line = caches[m.target()][m.line()];
        return cacheTakes[line.state().ordinal() * CACHE_EVENTS + CacheController.classify(line, m).ordinal()];
    }

    private static final int CACHE_EVENTS = CacheEvent.values().length;
    private static final int DIR_EVENTS = DirEvent.values().length;

    /** Takes one step; a protocol error (an event with no transition) propagates. */
    public void apply(Step step) {
        switch (step) {
            case Issue issue -> {
                CoreOp op = issue.op();
                issued[issue.node()]++;
                CacheController.Result r = cache.handle(issue.node(), issue.line(), caches[issue.node()][issue.line()],
                        op.event(), null, op, network);
                caches[issue.node()][issue.line()] = r.line();
                if (op.event() != CacheEvent.REPLACEMENT) {
                    if (r.completed()) {
                        complete(issue.node(), issue.line(), op, r.loaded());
                    } else {
                        pending[issue.node()] = op;
                        pendingLine[issue.node()] = issue.line();
                    }
                }
            }
            case Deliver deliver -> {
                Message m = network.remove(deliver.index());
                if (m.target() == Message.DIRECTORY) {
                    dir[m.line()] = directory.handle(m.line(), dir[m.line()], m, network).line();
                } else {
                    int n = m.target();
                    CacheLine line = caches[n][m.line()];
                    CoreOp op = pendingLine[n] == m.line() ? pending[n] : null;
                    CacheController.Result r = cache.handle(n, m.line(), line, CacheController.classify(line, m), m, op,
                            network);
                    caches[n][m.line()] = r.line();
                    if (r.completed()) {
                        pending[n] = null;
                        complete(n, m.line(), op, r.loaded());
                    }
                }
            }
        }
    }

    private void complete(int node, int line, CoreOp op, int loaded) {
        if (listener != null) {
            listener.completed(node, line, op.event(), op.event() == CacheEvent.STORE ? op.value() : loaded);
        }
        if (op.event() == CacheEvent.STORE) {
            lastWrite[line] = op.value();
        } else if (loaded != lastWrite[line] && dataValueError == null) {
            dataValueError = "N" + node + " loaded " + loaded + " from line " + line + " but the last write was "
                    + lastWrite[line];
        }
    }
}
