package io.supernode.kvcache;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the traces the repository ships in its {@code traces} folder, from any module's working folder. */
public final class Traces {

    private static final String CONVERSATION = "traces/mooncake/conversation_trace.jsonl";

    private Traces() {
    }

    /**
     * The Mooncake conversation trace, in the {@code traces} folder of the nearest ancestor that has one.
     *
     * @throws IllegalStateException naming the file when no ancestor has it (a broken checkout)
     */
    public static Path conversation() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve(CONVERSATION);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalStateException(CONVERSATION + " is missing from the checkout");
    }
}
