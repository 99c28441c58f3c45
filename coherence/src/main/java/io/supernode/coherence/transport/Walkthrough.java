package io.supernode.coherence.transport;

import io.supernode.coherence.protocol.CacheEvent;
import io.supernode.coherence.protocol.CacheState;
import io.supernode.coherence.protocol.CoreOp;
import io.supernode.coherence.protocol.Message;
import io.supernode.coherence.protocol.MessageType;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolVariant;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a scenario of core requests one at a time, each to quiescence, delivering the oldest deliverable
 * message first, and records every step with every controller's state after it: the protocol shown
 * working, for people learning it.
 */
public final class Walkthrough {

    /**
     * One step of the scenario and the states after it.
     *
     * @param step   the request issued or message delivered
     * @param caches each cache's state for the line, as the textbook names it
     * @param dir    the directory's state, sharers and owner
     */
    public record Row(CoherenceSystem.Step step, List<String> caches, String dir) {
    }

    private Walkthrough() {
    }

    /**
     * Parses a scenario such as {@code 1R 2W5 3R 2E}: node, then R (load), W with a value (store) or E
     * (eviction).
     *
     * @throws IllegalArgumentException naming the bad item
     */
    public static List<CoherenceSystem.Issue> parse(String scenario, int nodes) {
        List<CoherenceSystem.Issue> issues = new ArrayList<>();
        for (String item : scenario.trim().split("[\\s,]+")) {
            if (!item.matches("\\d{1,9}[RrEe]|\\d{1,9}[Ww]\\d{1,9}")) {
                throw new IllegalArgumentException("scenario item '" + item + "' is not NR, NWv or NE with N and v of at most 9 "
                        + "digits (e.g. 1R 2W5 1E)");
            }
            int kindAt = item.replaceAll("^(\\d+).*", "$1").length();
            int node = Integer.parseInt(item.substring(0, kindAt));
            if (node >= nodes) {
                throw new IllegalArgumentException("scenario item '" + item + "' names node " + node + " of " + nodes);
            }
            char kind = Character.toUpperCase(item.charAt(kindAt));
            CoreOp op = switch (kind) {
                case 'R' -> new CoreOp(CacheEvent.LOAD, 0);
                case 'W' -> new CoreOp(CacheEvent.STORE, Integer.parseInt(item.substring(kindAt + 1)));
                default -> new CoreOp(CacheEvent.REPLACEMENT, 0);
            };
            issues.add(new CoherenceSystem.Issue(node, 0, op));
        }
        return issues;
    }

    /** Runs {@code scenario} on one line of a system of {@code nodes} caches following {@code protocol}. */
    public static List<Row> run(List<CoherenceSystem.Issue> scenario, int nodes, Protocol protocol,
                                ProtocolVariant variant) {
        CoherenceSystem s = new CoherenceSystem(nodes, 1, protocol, variant);
        List<Row> rows = new ArrayList<>();
        for (CoherenceSystem.Issue issue : scenario) {
            // Every request starts at quiescence. Evicting a line the cache does not hold sends nothing: its
            // row shows the states unchanged, so that every request of the scenario has a row.
            if (issue.op().event() != CacheEvent.REPLACEMENT || s.cache(issue.node(), 0).state() != CacheState.I) {
                s.apply(issue);
            }
            rows.add(row(s, issue));
            while (!s.quiescent()) {
                CoherenceSystem.Step next = s.enabled(0, new int[0]).stream()
                        .filter(st -> st instanceof CoherenceSystem.Deliver).findFirst()
                        .orElseThrow(() -> new IllegalStateException("stuck with " + s.inFlight()));
                s.apply(next);
                rows.add(row(s, next));
            }
        }
        return rows;
    }

    private static Row row(CoherenceSystem s, CoherenceSystem.Step step) {
        List<String> caches = new ArrayList<>();
        for (int n = 0; n < s.nodes(); n++) {
            caches.add(s.cache(n, 0).state().textbook() + (s.cache(n, 0).state().readable() ? "=" + s.cache(n, 0).value() : ""));
        }
        var d = s.directory(0);
        String dir = d.state().textbook() + " sharers={" + sharers(d.sharers()) + "}" + (d.owner() >= 0 ? " owner=N" + d.owner() : "")
                + " mem=" + d.memory();
        return new Row(step, caches, dir);
    }

    private static String sharers(int mask) {
        List<String> names = new ArrayList<>();
        for (int n = 0; n < Integer.SIZE; n++) {
            if ((mask & (1 << n)) != 0) {
                names.add("N" + n);
            }
        }
        return String.join(",", names);
    }

    /** The rows as Mermaid sequence-diagram source: one arrow per message, a note per core request. */
    public static String mermaid(List<Row> rows, int nodes) {
        StringBuilder out = new StringBuilder("sequenceDiagram\n");
        for (int n = 0; n < nodes; n++) {
            out.append("    participant N").append(n).append('\n');
        }
        out.append("    participant Dir\n");
        for (Row r : rows) {
            switch (r.step()) {
                case CoherenceSystem.Issue i -> out.append("    Note over N").append(i.node()).append(": ")
                        .append(i.op().event()).append(i.op().event() == CacheEvent.STORE ? " " + i.op().value() : "")
                        .append(" -> ").append(r.caches().get(i.node())).append('\n');
                case CoherenceSystem.Deliver d -> {
                    Message m = d.message();
                    String to = m.target() == Message.DIRECTORY ? r.dir() : r.caches().get(m.target());
                    out.append("    ").append(Message.name(m.source())).append("->>").append(Message.name(m.target()))
                            .append(": ").append(m.type().textbook())
                            .append(m.type() == MessageType.DATA || m.type() == MessageType.EXCLUSIVE_DATA ? " v=" + m.value()
                                    + (m.type() == MessageType.DATA && m.source() == Message.DIRECTORY
                                    ? " acks=" + m.ackCount() : "") : "")
                            .append(" (now ").append(to).append(")\n");
                }
            }
        }
        return out.toString();
    }
}
