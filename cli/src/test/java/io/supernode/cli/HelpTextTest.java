package io.supernode.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command's help renders as written: picocli formats descriptions, and one it cannot format (a lone '%' where
 * '%%' was meant) is printed raw with a warning on standard error.
 */
class HelpTextTest {

    @Test
    void everyCommandsHelpRendersWithoutAWarning() {
        PrintStream original = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        List<String> commands = new ArrayList<>();
        try {
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            render(new CommandLine(new SupernodeCli()), commands);
        } finally {
            System.setErr(original);
        }
        assertTrue(commands.size() > 10, "every command and subcommand: " + commands);
        assertEquals("", warnings.toString(StandardCharsets.UTF_8), "write a percent sign as %% in descriptions");
    }

    private static void render(CommandLine line, List<String> commands) {
        assertTrue(line.getUsageMessage().contains("Usage: "), line.getCommandName());
        commands.add(line.getCommandSpec().qualifiedName());
        line.getSubcommands().values().forEach(sub -> render(sub, commands));
    }
}
