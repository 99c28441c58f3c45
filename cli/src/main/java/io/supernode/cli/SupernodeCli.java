package io.supernode.cli;

import io.supernode.gas.fault.ConfigFault;
import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.trace.TraceFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The {@code supernode} command: the entry point people meet first. Errors print as one line naming
 * what was wrong; {@code --debug} adds the stack trace. Exit status: 0 the run went through, 1 the run found a
 * failure (a collective's wrong elements, a litmus test's forbidden outcome, a run that broke), 2 bad usage or
 * input (an unknown command or option, a value out of range, a file that cannot be read or is malformed).
 */
@Command(name = "supernode", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {DemoCommand.class, InfoCommand.class, CompareCommand.class, KvCommand.class, EmbeddingCommand.class,
                CollectiveCommand.class, MoeCommand.class, CoherenceCommand.class, ReportCommand.class,
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
            description = "Take option values from a JSON file whose keys are the command's long option names without "
                    + "the dashes; each command's help gives an example. Flags given here win. See examples/configs/.")
    Path config;

    /** No command given: the usage, as an error. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "no command given; name one of the commands above");
    }

    /** Runs the tool and exits with its status. */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the tool with these streams; returns the exit status (0 ok, 1 the run found a failure, 2 bad usage or input). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new SupernodeCli());
        ConfigExamples.describe(cli);
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
            err.println("supernode: " + message(e) + (defaults == null ? "" : defaults.blame(e)) + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof CommandLine.ParameterException p) {
                err.println("supernode: " + p.getMessage());
                return 2;
            }
            // A failure with no message of its own is a defect here, not the user's: say so without Java's words.
            err.println("supernode: " + (e.getMessage() == null ? "internal error (" + e.getClass().getSimpleName()
                    + ")" + (debug ? "" : "; run again with --debug for the stack trace") : e.getMessage()));
            if (debug) {
                e.printStackTrace(err);
            }
            return badInput(e) ? 2 : 1;
        });
        try {
            return cli.execute(args);
        } catch (CommandLine.ParameterException e) {
            err.println("supernode: " + e.getMessage());
            return 2;
        } finally {
            // Commands print with print() as well as println(); nothing may be lost when the JVM exits.
            out.flush();
            err.flush();
        }
    }

    /** picocli's message, with an unknown command or subcommand said as such and Java's type names in words. */
    private static String message(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getCommandLine().getSubcommands().isEmpty()
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-")) {
            CommandLine at = u.getCommandLine();
            return "unknown command '" + u.getUnmatched().getFirst() + "'"
                    + (at.getParent() == null ? "" : " of '" + at.getCommandSpec().qualifiedName() + "'")
                    + " (known: " + String.join(", ", at.getSubcommands().keySet()) + ")";
        }
        String message = e.getMessage() == null ? "bad usage" : e.getMessage();
        return message.replace("is not an int", "is not a whole number").replace("is not a long", "is not a whole number")
                .replace("is not a double", "is not a number");
    }

    /**
     * Whether a command failed on what it was given rather than on what it ran into: a configuration, a value, a
     * trace or a file that cannot be read (exit status 2).
     */
    static boolean badInput(Exception e) {
        return e instanceof ConfigFault || e instanceof KvConfigException || e instanceof TraceFormatException
                || e instanceof UncheckedIOException;
    }
}
