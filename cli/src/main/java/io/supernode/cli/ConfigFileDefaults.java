package io.supernode.cli;

import io.supernode.gas.config.JsonObject;
import io.supernode.gas.fault.ConfigFault;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A workload file's settings as the defaults of a command's options: {@code supernode embedding --config
 * exp.json} reads {@code {"nodes": 16, "zipf": 1.2, "paths": ["unified", "copy"]}} as if those flags had
 * been given, and flags on the command line still win. Keys are the long option names without dashes;
 * lists become comma-separated values; relative file paths are taken from the file's folder, so an
 * experiment folder can be moved whole.
 */
public final class ConfigFileDefaults implements IDefaultValueProvider {

    /** The option that names the file. */
    public static final String OPTION = "--config";

    private final JsonObject settings;
    private final Path folder;

    private ConfigFileDefaults(JsonObject settings, Path folder) {
        // Checked here, before picocli asks for values: a fault thrown from inside its parser would be wrapped.
        for (String key : settings.keys()) {
            if (settings.get(key) instanceof JsonObject) {
                throw new ConfigFault(settings.source() + ": '" + key + "' must be a value or a list, not an object");
            }
        }
        this.settings = settings;
        this.folder = folder;
    }

    /**
     * The defaults from the file named by {@code --config FILE} or {@code --config=FILE} in {@code args}, or
     * null when there is none. The file is read before picocli parses, so the options can take their values.
     *
     * @throws ConfigFault when the file is missing or is not a JSON object
     */
    public static ConfigFileDefaults fromArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String file = args[i].equals(OPTION) && i + 1 < args.length ? args[i + 1]
                    : args[i].startsWith(OPTION + "=") ? args[i].substring(OPTION.length() + 1) : null;
            if (file != null) {
                Path path = Path.of(file);
                Path parent = path.toAbsolutePath().getParent();
                return new ConfigFileDefaults(JsonObject.read(path), parent);
            }
        }
        return null;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.longestName().equals(OPTION)) {
            return null;
        }
        String key = key(option);
        Object value = key == null ? null : settings.get(key);
        if (value == null) {
            return null;
        }
        String text = switch (value) {
            case List<?> items -> items.stream().map(String::valueOf).collect(Collectors.joining(","));
            default -> String.valueOf(value);
        };
        boolean isFile = option.type() == Path.class || option.type() == File.class;
        return isFile && !Path.of(text).isAbsolute() ? folder.resolve(text).normalize().toString() : text;
    }

    /**
     * Fails naming the first key that is no option of the command being run: a misspelled setting must
     * not be silently ignored.
     */
    public void requireKnownKeys(CommandSpec command) {
        for (String key : settings.keys()) {
            if (key.equals(OPTION.substring(2)) || command.findOption("--" + key) == null) {
                throw new ConfigFault(settings.source() + ": '" + key + "' is not an option of '" + command.qualifiedName()
                        + "' (keys are its long option names without the dashes; see its --help)");
            }
        }
    }

    /**
     * Names this file after a bad option value when the value is the file's, e.g. {@code " (from exp.json)"};
     * empty when the value was typed on the command line.
     */
    public String blame(ParameterException e) {
        if (!(e.getArgSpec() instanceof OptionSpec option) || key(option) == null) {
            return "";
        }
        return String.valueOf(e.getValue()).equals(defaultValue(option)) ? " (from " + settings.source() + ")" : "";
    }

    /** The file's key for {@code option}: any of its long names without the dashes (an alias too), or null. */
    private String key(OptionSpec option) {
        for (String name : option.names()) {
            if (name.startsWith("--") && settings.has(name.substring(2))) {
                return name.substring(2);
            }
        }
        return null;
    }
}
