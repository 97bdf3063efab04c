package ai.clawfactory.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/** Reads Server-Sent Events from lines as a client does (id:, event:, data:, a blank line ends one). */
final class Sse {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event; {@code id} is null for events without one (keepalives). */
    record Event(String id, String name, JsonNode data) {}

    private Sse() {}

    /**
     * Events from {@code lines} until {@code stop} holds for one (included) or the lines end;
     * keepalives are left out.
     */
    static List<Event> read(Iterator<String> lines, Predicate<Event> stop) {
        List<Event> events = new ArrayList<>();
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    Event e = new Event(id, name, parse(data.toString()));
                    if (!"keepalive".equals(name)) {
                        events.add(e);
                        if (stop.test(e)) {
                            return events;
                        }
                    }
                }
                id = null;
                name = null;
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = value(line);
            } else if (line.startsWith("event:")) {
                name = value(line);
            } else if (line.startsWith("data:")) {
                data.append(value(line));
            }
        }
        return events;
    }

    private static String value(String line) {
        String v = line.substring(line.indexOf(':') + 1);
        return v.startsWith(" ") ? v.substring(1) : v;
    }

    private static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException("event data is not JSON: " + s, e);
        }
    }
}
