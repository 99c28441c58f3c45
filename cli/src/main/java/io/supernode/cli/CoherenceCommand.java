package io.supernode.cli;

import io.supernode.coherence.access.CoherenceMode;
import io.supernode.coherence.access.ThreadedLitmus;
import io.supernode.coherence.check.Explorer;
import io.supernode.coherence.check.LitmusResult;
import io.supernode.coherence.check.LitmusRunner;
import io.supernode.coherence.check.LitmusTest;
import io.supernode.coherence.check.LitmusTests;
import io.supernode.coherence.protocol.CacheAction;
import io.supernode.coherence.protocol.CacheEvent;
import io.supernode.coherence.protocol.CacheState;
import io.supernode.coherence.protocol.DirAction;
import io.supernode.coherence.protocol.DirEvent;
import io.supernode.coherence.protocol.DirState;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolVariant;
import io.supernode.coherence.transport.CoherenceSystem;
import io.supernode.coherence.transport.Walkthrough;
import io.supernode.gas.fault.ConfigFault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;

/** {@code supernode coherence}: the directory protocol, printed, explored and watched. */
@Command(name = "coherence", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "The MSI and MESI directory protocols of the coherence Primer: print their tables, explore every "
                + "interleaving of small systems for invariant violations, trace a scenario step by step, or run "
                + "the litmus tests.",
        subcommands = {CoherenceCommand.Tables.class, CoherenceCommand.Explore.class, CoherenceCommand.Trace.class,
                CoherenceCommand.Litmus.class})
public final class CoherenceCommand implements Runnable {

    @Spec
    CommandSpec spec;

    /** No subcommand given: the usage, as an error. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no subcommand given; name one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    private static ProtocolVariant variant(String name) {
        return EnumNames.parse(ProtocolVariant.class, name, "protocol variant");
    }

    private static Protocol protocol(String name) {
        return EnumNames.parse(Protocol.class, name, "protocol");
    }

    /** The most litmus schedules per test (A: enough for a seed sweep; a million ran for minutes). */
    static final int MAX_LITMUS_RUNS = 100_000;
    /** Threads an explore or a litmus run may use: beyond the cores they only wait, and each holds buffers. */
    static final int MAX_THREADS = 64;
    /** States an exploration may reach before it stops: about 5 GB of packed 4-cache states. */
    static final long MAX_EXPLORED_STATES = 100_000_000;

    private static final String VARIANT_HELP = "The protocol, or one of its deliberately broken variants to see what the "
            + "checks catch: correct, directory-forgets-one-inv, data-ack-zero-on-s-getm, owner-stays-m-after-fwd-gets, "
            + "unordered-forward-network (default: ${DEFAULT-VALUE}).";
    private static final String PROTOCOL_HELP = "Protocol: msi or mesi (default: ${DEFAULT-VALUE}).";

    /** {@code coherence tables}. */
    @Command(name = "tables", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Print the cache and directory controllers' transition tables: a row per state and event, "
                    + "within 100 columns, or with --grid as the textbook prints them (states down, events across, "
                    + "about 500 columns).")
    static final class Tables implements Runnable {
        /** Columns the list form fits in. */
        private static final int WIDTH_COLUMNS = 100;

        @Spec
        CommandSpec spec;

        @Option(names = "--grid", description = "States down and events across, as the textbook prints them (wide).")
        boolean grid;

        @Option(names = "--variant", paramLabel = "VARIANT", defaultValue = "correct", description = VARIANT_HELP)
        String variant;

        @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "msi", description = PROTOCOL_HELP)
        String protocol;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            ProtocolVariant v = variant(variant);
            Protocol p = protocol(protocol);
            if (grid) {
                out.println(p.cacheTable(v).render(CacheState::textbook, CacheEvent::textbook, CacheAction::textbook));
                out.println(p.directoryTable(v).render(DirState::textbook, DirEvent::textbook, DirAction::textbook));
            } else {
                out.println(p.cacheTable(v).renderList(CacheState::textbook, CacheEvent::textbook, CacheAction::textbook,
                        WIDTH_COLUMNS));
                out.println(p.directoryTable(v).renderList(DirState::textbook, DirEvent::textbook, DirAction::textbook,
                        WIDTH_COLUMNS));
            }
        }
    }

    /** {@code coherence explore}. */
    @Command(name = "explore", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Breadth-first search over every interleaving of requests and message deliveries; checks "
                    + "SWMR, data-value, progress and directory agreement in every state and prints the shortest "
                    + "counterexample if any.")
    static final class Explore implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--nodes", paramLabel = "N", defaultValue = "2", description = "Caches, 2 to 4 (default: ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--ops", paramLabel = "N", description = "Requests each core issues: 1..4 with 2 nodes, 1..3 "
                + "with 3, 1..2 with 4 (default: 3 for 2 nodes, 2 for 3 and 4).")
        Integer ops;

        @Option(names = "--variant", split = ",", paramLabel = "VARIANT", description = "Variants to explore: correct, "
                + "directory-forgets-one-inv, data-ack-zero-on-s-getm, owner-stays-m-after-fwd-gets, "
                + "unordered-forward-network (default: all).")
        List<String> variants;

        @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "msi,mesi", split = ",",
                description = "Protocols to explore: msi, mesi (default: ${DEFAULT-VALUE}).")
        List<String> protocols;

        @Option(names = "--symmetry", description = "Count states that differ only in which cache is which once "
                + "(symmetry reduction); counterexamples are still found and printed without it.")
        boolean symmetry;

        @Option(names = "--threads", paramLabel = "N", description = "Threads that expand each level together, 1..64 "
                + "(default: the processors, here ${DEFAULT-VALUE}).")
        int threads = Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());

        @Override
        public void run() {
            if (nodes < 2 || nodes > 4) {
                throw new ConfigFault("--nodes must be 2..4 (the state space of 5 is beyond this tool), got " + nodes);
            }
            int opsPerNode = ops != null ? ops : nodes == 2 ? 3 : 2;
            int maxOps = 6 - nodes;
            if (opsPerNode < 1 || opsPerNode > maxOps) {
                throw new ConfigFault("--ops must be 1.." + maxOps + " with " + nodes + " nodes (the state space grows "
                        + "past this machine's memory beyond), got " + opsPerNode);
            }
            if (threads < 1 || threads > MAX_THREADS) {
                throw new ConfigFault("--threads must be 1.." + MAX_THREADS + ", got " + threads);
            }
            PrintWriter out = spec.commandLine().getOut();
            TextTable table = new TextTable("protocol", "variant", "states", "transitions", "seconds", "states/s",
                    "store MB", "result");
            List<String> failures = new ArrayList<>();
            List<ProtocolVariant> list = variants == null ? List.of(ProtocolVariant.values())
                    : variants.stream().map(CoherenceCommand::variant).toList();
            Explorer.Search search = new Explorer.Search(MAX_EXPLORED_STATES, symmetry, threads);
            for (Protocol p : protocols.stream().map(CoherenceCommand::protocol).toList()) {
                for (ProtocolVariant v : list) {
                    long start = System.nanoTime();
                    Explorer.Result r;
                    try (Progress progress = Progress.start(p + " " + v, -1, "states")) {
                        r = Explorer.explore(new Explorer.Space(p, v, nodes, 1, opsPerNode, new int[] {1, 2}), search,
                                progress.stepper());
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    table.row(p, v, r.states(), r.transitions(), String.format(Locale.ROOT, "%.2f", seconds),
                            String.format(Locale.ROOT, "%.0f", r.states() / seconds),
                            String.format(Locale.ROOT, "%.1f", r.storeBytes() / 1e6),
                            r.holds() ? "holds" : r.violation().kind() + " in " + r.trace().size() + " steps");
                    if (!r.holds()) {
                        StringBuilder failure = new StringBuilder(Prose.wrap(p + " " + v + ": " + r.violation().getMessage()));
                        r.trace().forEach(step -> failure.append(System.lineSeparator()).append("  ").append(step));
                        failures.add(failure.toString());
                    }
                }
            }
            out.println(Prose.wrap(String.format(Locale.ROOT, "%d nodes x 1 line x 2 values, %d requests per core, %d thread%s%s",
                    nodes, opsPerNode, threads, threads == 1 ? "" : "s",
                    symmetry ? ", symmetry reduction: states counted once per renaming of the caches" : "")));
            out.print(table);
            out.println("# states/s is host time; store MB is the visited states packed, with their parents and hash table");
            failures.forEach(f -> out.printf("%n%s%n", f));
        }
    }

    /** {@code coherence litmus}. */
    @Command(name = "litmus", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Run the litmus tests (MP, SB, LB, IRIW, WRC, 2+2W, CoRR, CoWW, CoRW, CoWR) on coherent "
                    + "memory, one node per program, under many seeded schedules of the deterministic transport or many "
                    + "repetitions on the concurrent one, and print each test's outcome histogram beside the outcomes "
                    + "sequential consistency allows.")
    static final class Litmus implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--test", split = ",", paramLabel = "NAME", description = "Tests to run (default: all).")
        List<String> tests;

        @Option(names = "--runs", paramLabel = "N", defaultValue = "1000", description = "Schedules per test, 1..100000 "
                + "(default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Seed of the first schedule; run i uses seed + i "
                + "(default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--variant", paramLabel = "VARIANT", defaultValue = "correct", description = VARIANT_HELP)
        String variant;

        @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "msi", description = PROTOCOL_HELP)
        String protocol;

        @Option(names = "--transport", paramLabel = "KIND", defaultValue = "deterministic", description = "deterministic (seeded "
                + "schedules, replayable by seed), concurrent (a thread per node and JCTools inboxes; seeds vary "
                + "pauses and evictions, thread timing varies by itself) or access (the coherent access mode on a "
                + "machine, a thread per node through CoherentAccess, fresh lines each run; a broken --variant runs "
                + "checked) (default: ${DEFAULT-VALUE}).")
        String transport;

        @Option(names = "--checked", description = "With --transport access: check single writer and every value on "
                + "every access of the correct protocol too (slower: every access takes its line's lock).")
        boolean checked;

        @Option(names = "--threads", paramLabel = "N", description = "With the deterministic transport: threads sharing "
                + "the schedules, 1..64; the results do not depend on it (default: the processors, here "
                + "${DEFAULT-VALUE}).")
        int threads = Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());

        @Override
        public Integer call() {
            if (runs < 1 || runs > MAX_LITMUS_RUNS) {
                throw new ConfigFault("--runs must be 1.." + MAX_LITMUS_RUNS + ", got " + runs);
            }
            if (threads < 1 || threads > MAX_THREADS) {
                throw new ConfigFault("--threads must be 1.." + MAX_THREADS + ", got " + threads);
            }
            // Printed once the tests have run: a progress bar on the terminal would be cut by lines printed meanwhile.
            StringWriter text = new StringWriter();
            PrintWriter out = new PrintWriter(text);
            ProtocolVariant v = variant(variant);
            Protocol p = protocol(protocol);
            String kind = transport.toLowerCase(Locale.ROOT);
            if (!List.of("deterministic", "concurrent", "access").contains(kind)) {
                throw new ConfigFault("unknown transport '" + transport + "' (known: deterministic, concurrent, access)");
            }
            CoherenceMode mode = checked || v != ProtocolVariant.CORRECT ? CoherenceMode.checked(v) : CoherenceMode.FAST;
            List<LitmusTest> list;
            try {
                list = tests == null ? LitmusTests.all() : tests.stream().map(LitmusTests::byName).toList();
            } catch (IllegalArgumentException e) {
                throw new ConfigFault(e.getMessage());
            }
            boolean allPassed = true;
            try (Progress progress = Progress.start("litmus on the " + kind + " transport", list.size(), "tests")) {
                LongConsumer testsDone = progress.stepper();
                for (int done = 0; done < list.size(); done++) {
                    LitmusTest test = list.get(done);
                    testsDone.accept(done);
                    LitmusResult result = switch (kind) {
                        case "concurrent" -> LitmusRunner.runConcurrent(test, p, v, runs, seed);
                        case "access" -> ThreadedLitmus.run(test, p, mode, runs, seed);
                        default -> LitmusRunner.run(test, p, v, runs, seed, threads);
                    };
                    allPassed &= result.passed();
                    out.print(Prose.wrap(String.format(Locale.ROOT, "%s: %s (SC forbids %s)%n%s", test.name(), test.about(),
                            test.forbidden(), test.listing())));
                    TextTable table = new TextTable("outcome", "runs", "SC");
                    result.outcomes().forEach((outcome, count) ->
                            table.row(outcome, count, result.allowed().contains(outcome) ? "allowed" : "FORBIDDEN"));
                    result.allowed().stream().filter(o -> !result.outcomes().containsKey(o))
                            .forEach(o -> table.row(o, 0, "allowed"));
                    out.print(table);
                    result.failures().forEach((what, failure) -> out.println(Prose.wrap(String.format(Locale.ROOT,
                            "FAILED %d runs: %s (first at seed %d)", failure.count(), what, failure.firstSeed()))));
                    out.println();
                }
                testsDone.accept(list.size());
            }
            String each = switch (kind) {
                case "concurrent" -> "repetitions, seeds " + seed + ".." + (seed + runs - 1);
                case "access" -> "iterations on threads" + (mode.checked() ? ", checked" : "") + ", pauses from seed " + seed;
                default -> "schedules, seeds " + seed + ".." + (seed + runs - 1);
            };
            out.println(Prose.wrap(String.format(Locale.ROOT, "%s on %s %s, %s transport: %d tests x %d %s",
                    allPassed ? "all passed" : "FAILURES", p, v, kind, list.size(), runs, each)));
            out.flush();
            spec.commandLine().getOut().print(text);
            return allPassed ? 0 : 1;
        }
    }

    /** {@code coherence trace}. */
    @Command(name = "trace", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Run a scenario of requests on one line, each to quiescence, and print every message with "
                    + "every controller's state after it, as text or as Mermaid sequence-diagram source.")
    static final class Trace implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--nodes", paramLabel = "N", defaultValue = "4", description = "Caches (default: ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--scenario", paramLabel = "REQUESTS", defaultValue = "1R 2W5 3R 1W7 2E",
                description = "Requests: NR load, NWv store v, NE evict (default: ${DEFAULT-VALUE}).")
        String scenario;

        @Option(names = "--mermaid", description = "Print Mermaid sequence-diagram source instead of a table.")
        boolean mermaid;

        @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "msi", description = PROTOCOL_HELP)
        String protocol;

        @Override
        public void run() {
            if (nodes < 1 || nodes > 16) {
                throw new ConfigFault("--nodes must be 1..16, got " + nodes);
            }
            List<CoherenceSystem.Issue> issues;
            try {
                issues = Walkthrough.parse(scenario, nodes);
            } catch (IllegalArgumentException e) {
                throw new ConfigFault("--scenario: " + e.getMessage());
            }
            List<Walkthrough.Row> rows = Walkthrough.run(issues, nodes, protocol(protocol), ProtocolVariant.CORRECT);
            PrintWriter out = spec.commandLine().getOut();
            if (mermaid) {
                out.print(Walkthrough.mermaid(rows, nodes));
                return;
            }
            List<String> header = new ArrayList<>(List.of("#", "step"));
            for (int n = 0; n < nodes; n++) {
                header.add("N" + n);
            }
            header.add("directory");
            TextTable table = new TextTable(header.toArray(String[]::new));
            for (int i = 0; i < rows.size(); i++) {
                List<Object> cells = new ArrayList<>(List.of(i + 1, rows.get(i).step().toString()));
                cells.addAll(rows.get(i).caches());
                cells.add(rows.get(i).dir());
                table.row(cells.toArray());
            }
            out.print(table);
        }
    }
}
