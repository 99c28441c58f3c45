package io.supernode.bench.report;

import io.supernode.gas.fault.ConfigFault;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes the commands' --csv, --json and report files, making their folders, with one-line errors; and
 * checks, before a command starts its work, that the files and folders it was asked for can be written,
 * so that a bad path fails in a second instead of after the run.
 */
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
            throw new UncheckedIOException("cannot write " + file + " (" + reason(e) + ")", e);
        }
    }

    /**
     * Checks that {@code file}, given with {@code flag}, can be written: not empty, not a folder, its folder
     * creatable and the file creatable there. A file that did not exist is removed again, folders made stay.
     *
     * @throws ConfigFault naming the flag, the path and the reason
     */
    public static void requireWritableFile(String flag, Path file) {
        if (file == null) {
            return;
        }
        if (file.toString().isEmpty()) {
            throw new ConfigFault(flag + ": no file named (the path is empty)");
        }
        if (Files.isDirectory(file)) {
            throw new ConfigFault(flag + " " + file + ": is a folder, not a file");
        }
        boolean existed = Files.exists(file);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // Opened to prove it can be, and closed at once; nothing is written.
            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
            if (!existed) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new ConfigFault(flag + " " + file + ": cannot write (" + reason(e) + ")");
        }
    }

    /**
     * Checks that {@code folder}, given with {@code flag}, can hold new files: not empty, not a file, creatable,
     * and a file can be created in it (and is removed again).
     *
     * @throws ConfigFault naming the flag, the path and the reason
     */
    public static void requireWritableFolder(String flag, Path folder) {
        if (folder == null) {
            return;
        }
        if (folder.toString().isEmpty()) {
            throw new ConfigFault(flag + ": no folder named (the path is empty)");
        }
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new ConfigFault(flag + " " + folder + ": is a file, not a folder");
        }
        try {
            Files.createDirectories(folder);
            Files.delete(Files.createTempFile(folder, ".supernode-", ".probe"));
        } catch (IOException e) {
            throw new ConfigFault(flag + " " + folder + ": cannot write there (" + reason(e) + ")");
        }
    }

    /** What went wrong, in words rather than an exception's class name. */
    static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException ignored -> "no such file or folder";
            case AccessDeniedException ignored -> "permission denied";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage() == null ? "input/output error" : e.getMessage();
        };
    }
}
