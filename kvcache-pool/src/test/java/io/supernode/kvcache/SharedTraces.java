package io.supernode.kvcache;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the Mooncake trace in the {@code shared} folder beside the project, when there is one. */
public final class SharedTraces {

    private static final String CONVERSATION = "shared/traces/mooncake/conversation_trace.jsonl";

    private SharedTraces() {
    }

    /** The conversation trace: under {@code supernode.shared} if set, else in a {@code shared} folder beside any ancestor. */
    public static Optional<Path> conversation() {
        String configured = System.getProperty("supernode.shared");
        if (configured != null) {
            Path file = Path.of(configured, "traces/mooncake/conversation_trace.jsonl");
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve(CONVERSATION);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }
}
