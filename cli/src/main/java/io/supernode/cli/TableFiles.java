package io.supernode.cli;

import io.supernode.bench.report.OutputFiles;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The {@code --csv} and {@code --json} options of every command that prints a table of results (a picocli mixin):
 * the files are checked before any work starts and written, each with a line saying where, once it is done.
 */
final class TableFiles {

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write every row of the table as CSV to FILE.")
    Path csv;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every row of the table as JSON to FILE.")
    Path json;

    /** Fails, naming the option and the file, when a file asked for cannot be written. */
    void requireWritable() {
        OutputFiles.requireWritableFile("--csv", csv);
        OutputFiles.requireWritableFile("--json", json);
    }

    /** Writes the files asked for, each text made only when its file was asked for. */
    void write(PrintWriter out, Supplier<String> csvText, Supplier<String> jsonText) {
        if (csv != null) {
            OutputFiles.writeAndSay(out, csv, csvText.get());
        }
        if (json != null) {
            OutputFiles.writeAndSay(out, json, jsonText.get());
        }
    }
}
