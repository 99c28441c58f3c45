package io.supernode.bench.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the commands' --csv, --json and report files, making their folders, with one-line errors. */
public final class OutputFiles {

    private OutputFiles() {
    }

    /** Writes {@code text} to {@code file} as {@link #write} does, and prints {@code wrote FILE} to {@code out}. */
    public static void writeAndSay(PrintWriter out, Path file, String text) {
        write(file, text);
        out.println("wrote " + file);
    }

    /**
     * Writes {@code text} to {@code file}, creating missing parent folders.
     *
     * @throws UncheckedIOException naming the file and the reason when it cannot be written
     */
    public static Path write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " (" + e + ")", e);
        }
    }
}
