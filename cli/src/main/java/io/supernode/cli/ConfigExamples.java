package io.supernode.cli;

import picocli.CommandLine;

import java.util.ListResourceBundle;
import java.util.Map;

/**
 * What {@code --config} says in each command's help: an example of that command's own keys, which
 * {@code ConfigExamplesTest} runs, so the example a reader copies works where they read it. The option is declared once
 * for every command (it is inherited); its description is given per command through a resource bundle.
 */
final class ConfigExamples {

    /** Each command's example, by qualified name without the tool's: what {@code --config FILE} would hold. */
    static final Map<String, String> BY_COMMAND = Map.ofEntries(
            Map.entry("demo", "{\"preset\": \"nvl72\"}"),
            Map.entry("info", "{\"preset\": \"cloudmatrix384\", \"json\": true}"),
            Map.entry("compare", "{\"fabric\": [\"ub-vs-roce\"], \"sizes\": [\"8\", \"4KiB\", \"4MiB\"]}"),
            Map.entry("kv", "{\"requests\": 500, \"paths\": [\"local-only\", \"pooled-copy\"]}"),
            Map.entry("embedding", "{\"batch\": 512, \"cache\": [\"128KiB\", \"2MiB\"]}"),
            Map.entry("collective", "{\"preset\": \"hgx-h100\", \"op\": \"all_gather\", \"maxbytes\": \"64M\"}"),
            Map.entry("moe", "{\"preset\": \"nvl72\", \"mode\": \"low-latency\"}"),
            Map.entry("coherence tables", "{\"protocol\": \"mesi\", \"grid\": true}"),
            Map.entry("coherence explore", "{\"nodes\": 3, \"protocol\": [\"msi\"]}"),
            Map.entry("coherence litmus", "{\"protocol\": \"mesi\", \"runs\": 200}"),
            Map.entry("coherence trace", "{\"protocol\": \"mesi\", \"scenario\": \"1R 2W5 1R\"}"),
            Map.entry("report", "{\"quick\": true, \"out\": \"supernode-report\"}"));

    private ConfigExamples() {
    }

    /** Gives {@code --config} its example in the help of {@code line} and every command under it that has one. */
    static void describe(CommandLine line) {
        String name = line.getCommandSpec().qualifiedName(" ");
        String example = BY_COMMAND.get(name.substring(name.indexOf(' ') + 1));
        if (example != null && name.contains(" ")) {
            String description = "Take option values from a JSON file whose keys are the long option names without "
                    + "the dashes, e.g. " + example + "; flags given here win. See examples/configs/.";
            line.getCommandSpec().resourceBundle(new ListResourceBundle() {
                @Override
                protected Object[][] getContents() {
                    return new Object[][] {{ConfigFileDefaults.OPTION.substring(2), description}};
                }
            });
        }
        line.getSubcommands().values().forEach(ConfigExamples::describe);
    }
}
