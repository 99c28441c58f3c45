package io.supernode.coherence.protocol;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A controller's protocol as data: states x events -> {@link Transition}. What is not in the table cannot
 * happen; looking it up is a {@link ProtocolError}. Prints as the textbook prints it.
 *
 * @param <S> states
 * @param <E> events
 * @param <A> actions
 */
public final class ProtocolTable<S extends Enum<S>, E extends Enum<E>, A> {

    private final String name;
    private final Class<S> states;
    private final Class<E> events;
    private final Map<S, Map<E, Transition<S, A>>> entries;
    /** The same entries by state ordinal x event count + event ordinal: a lookup is one array load. */
    private final Transition<S, A>[] flat;
    private final int eventCount;

    @SuppressWarnings("unchecked")
    ProtocolTable(String name, Class<S> states, Class<E> events) {
        this.name = name;
        this.states = states;
        this.events = events;
        this.entries = new EnumMap<>(states);
        for (S s : states.getEnumConstants()) {
            entries.put(s, new EnumMap<>(events));
        }
        this.eventCount = events.getEnumConstants().length;
        this.flat = (Transition<S, A>[]) new Transition<?, ?>[states.getEnumConstants().length * eventCount];
    }

    ProtocolTable<S, E, A> on(S state, E event, Transition<S, A> transition) {
        entries.get(state).put(event, transition);
        flat[state.ordinal() * eventCount + event.ordinal()] = transition;
        return this;
    }

    /**
     * The entry for {@code event} in {@code state}.
     *
     * @throws ProtocolError when the protocol has none
     */
    public Transition<S, A> lookup(S state, E event) {
        Transition<S, A> t = flat[state.ordinal() * eventCount + event.ordinal()];
        if (t == null) {
            throw new ProtocolError(name + ": no transition for event " + event + " in state " + state);
        }
        return t;
    }

    /** Whether the table has an entry for {@code event} in {@code state}. */
    public boolean defines(S state, E event) {
        return flat[state.ordinal() * eventCount + event.ordinal()] != null;
    }

    /**
     * The table as a list that fits {@code widthColumns}: a row per state and event the protocol defines,
     * {@code state | event | actions/next} (or {@code stall}), the last column wrapped between words where the
     * line would be too wide. The same entries as {@link #render}, for terminals that cannot show its width.
     */
    public String renderList(Function<S, String> stateName, Function<E, String> eventName, Function<A, String> actionName,
                             int widthColumns) {
        int stateWidth = name.length();
        int eventWidth = "event".length();
        for (S s : states.getEnumConstants()) {
            for (Map.Entry<E, Transition<S, A>> e : entries.get(s).entrySet()) {
                stateWidth = Math.max(stateWidth, stateName.apply(s).length());
                eventWidth = Math.max(eventWidth, eventName.apply(e.getKey()).length());
            }
        }
        String indent = " ".repeat(stateWidth + eventWidth + 6);
        int room = Math.max(20, widthColumns - indent.length());
        StringBuilder out = new StringBuilder();
        out.append(pad(name, stateWidth)).append(" | ").append(pad("event", eventWidth)).append(" | actions/next state\n");
        out.append("-".repeat(stateWidth)).append("-+-").append("-".repeat(eventWidth)).append("-+-")
                .append("-".repeat(Math.min(room, "actions/next state".length()))).append('\n');
        for (S s : states.getEnumConstants()) {
            boolean first = true;
            for (Map.Entry<E, Transition<S, A>> e : entries.get(s).entrySet()) {
                String cell = cell(s, e.getValue(), stateName, actionName);
                out.append(pad(first ? stateName.apply(s) : "", stateWidth)).append(" | ")
                        .append(pad(eventName.apply(e.getKey()), eventWidth)).append(" | ");
                wrap(out, cell, room, indent);
                first = false;
            }
        }
        return out.toString();
    }

    private static void wrap(StringBuilder out, String cell, int room, String indent) {
        int lineLength = 0;
        String[] parts = cell.split("(?<= )");
        for (String part : parts) {
            if (lineLength > 0 && lineLength + part.length() > room) {
                out.append('\n').append(indent);
                lineLength = 0;
            }
            out.append(part);
            lineLength += part.length();
        }
        out.append('\n');
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private String cell(S state, Transition<S, A> t, Function<S, String> stateName, Function<A, String> actionName) {
        if (t.waits()) {
            return "stall";
        }
        String acts = String.join(", ", t.actions().stream().map(actionName).toList());
        String next = t.next() == state ? "" : "/" + stateName.apply(t.next());
        return acts.isEmpty() && next.isEmpty() ? "-" : acts + next;
    }

    /**
     * The table as text, states down and events across, each cell {@code actions/next} (the next state
     * only when it changes), {@code stall}, or empty where the event cannot happen. States and events this
     * protocol never uses (MESI's, in the MSI table) are left out.
     */
    public String render(Function<S, String> stateName, Function<E, String> eventName, Function<A, String> actionName) {
        List<E> used = new ArrayList<>();
        for (E e : events.getEnumConstants()) {
            if (entries.values().stream().anyMatch(row -> row.containsKey(e))) {
                used.add(e);
            }
        }
        List<String> header = new ArrayList<>(List.of(name));
        for (E e : used) {
            header.add(eventName.apply(e));
        }
        List<List<String>> rows = new ArrayList<>();
        for (S s : states.getEnumConstants()) {
            if (entries.get(s).isEmpty()) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(stateName.apply(s)));
            for (E e : used) {
                Transition<S, A> t = entries.get(s).get(e);
                row.add(t == null ? "" : cell(s, t, stateName, actionName));
            }
            rows.add(row);
        }
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            rule.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
        }
        out.append(rule).append('\n');
        rows.forEach(r -> line(out, r, width));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            l.append(c == 0 ? "" : " | ").append(cells.get(c)).append(" ".repeat(width[c] - cells.get(c).length()));
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }
}
