package io.supernode.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command's help shows a --config example of its own, and that example is a configuration the command takes. */
class ConfigExamplesTest {

    @Test
    void everyCommandsExampleIsShownAndTaken(@TempDir Path dir) throws IOException {
        List<String> commands = new ArrayList<>();
        leaves(new CommandLine(new SupernodeCli()), commands);
        assertEquals(ConfigExamples.BY_COMMAND.keySet().stream().sorted().toList(), commands.stream().sorted().toList(),
                "one example per command that runs");
        for (String command : commands) {
            String example = ConfigExamples.BY_COMMAND.get(command);
            Path file = dir.resolve(command.replace(' ', '-') + ".json");
            Files.writeString(file, example);
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            // --help after parsing: the file's keys must be the command's options and its values must convert, but
            // nothing runs.
            args.addAll(List.of("--config", file.toString(), "--help"));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = SupernodeCli.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
            assertEquals(0, status, command + " with " + example + ": " + err);
            String help = out.toString().replaceAll("\\s+", " ");
            assertTrue(help.contains("e.g. " + example), command + "'s help shows its own example:\n" + out);
        }
    }

    @Test
    void aWrongKeyInAnExampleWouldBeCaught(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("kv.json");
        Files.writeString(file, "{\"request\": 500}");
        StringWriter err = new StringWriter();
        int status = SupernodeCli.execute(new String[] {"kv", "--config", file.toString(), "--help"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(2, status, err.toString());
    }

    /** Qualified names, without the tool's, of the commands that run (no subcommands of their own), help aside. */
    private static void leaves(CommandLine line, List<String> into) {
        if (line.getSubcommands().isEmpty()) {
            String name = line.getCommandSpec().qualifiedName(" ");
            String command = name.substring(name.indexOf(' ') + 1);
            if (!command.equals("help")) {
                into.add(command);
            }
        }
        line.getSubcommands().values().forEach(sub -> leaves(sub, into));
    }
}
