package io.supernode.cli;

import io.supernode.gas.fault.ConfigFault;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The {@code supernode} command: the entry point people meet first. Errors print as one line naming
 * what was wrong and exit non-zero; {@code --debug} adds the stack trace.
 */
@Command(name = "supernode", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {DemoCommand.class, InfoCommand.class, CompareCommand.class, KvCommand.class, EmbeddingCommand.class,
                CollectiveCommand.class, CoherenceCommand.class, ReportCommand.class,
                CommandLine.HelpCommand.class},
        description = "An emulator of unified-memory-addressing AI supernodes: many accelerators' memories "
                + "as one global address space reached by load/store, over a calibrated fabric model.")
public final class SupernodeCli implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    boolean debug;

    // Read before parsing by ConfigFileDefaults.fromArgs; declared so that every command accepts and lists it.
    @Option(names = ConfigFileDefaults.OPTION, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Take option values from a JSON file: {\"nodes\": 16, \"paths\": [\"unified\", \"copy\"]}; "
                    + "keys are long option names without dashes, and flags given here win. See examples/configs/.")
    Path config;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the tool and exits with its status. */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the tool with these streams; returns the exit status (0 ok, 1 failed, 2 bad usage). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new SupernodeCli());
        cli.setOut(out);
        cli.setErr(err);
        ConfigFileDefaults defaults;
        try {
            defaults = ConfigFileDefaults.fromArgs(args);
        } catch (ConfigFault e) {
            err.println("supernode: " + e.getMessage());
            return 2;
        }
        if (defaults != null) {
            cli.setDefaultValueProvider(defaults);
            cli.setExecutionStrategy(parsed -> {
                try {
                    defaults.requireKnownKeys(parsed.asCommandLineList().getLast().getCommandSpec());
                } catch (ConfigFault e) {
                    err.println("supernode: " + e.getMessage());
                    return 2;
                }
                return new CommandLine.RunLast().execute(parsed);
            });
        }
        cli.setParameterExceptionHandler((e, ignored) -> {
            err.println("supernode: " + e.getMessage() + (defaults == null ? "" : defaults.blame(e)));
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            err.println("supernode: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (debug) {
                e.printStackTrace(err);
            }
            return 1;
        });
        try {
            return cli.execute(args);
        } finally {
            // Commands print with print() as well as println(); nothing may be lost when the JVM exits.
            out.flush();
            err.flush();
        }
    }
}
