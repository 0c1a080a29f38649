package dev.cortado.io;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON writer round-trips through the parser, and refuses what JSON cannot hold. */
class JsonTest {
    @Test
    void writeThenParseGivesTheSameValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\"\nline");
        m.put("epochs", 5L);
        m.put("loss", new double[] {0.5, 0.25});
        m.put("nested", Map.of("ok", true));
        m.put("rows", List.of(Map.of("x", 1L), Map.of("x", 2L)));
        m.put("empty", Map.of());
        m.put("nothing", null);
        String text = Json.write(m);
        assertTrue(text.contains("\"loss\": [0.5, 0.25]"), text);
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertEquals("a \"quoted\"\nline", back.get("name"));
        assertEquals(5L, back.get("epochs"));
        assertEquals(List.of(0.5, 0.25), back.get("loss"));
        assertEquals(Map.of("ok", true), back.get("nested"));
        assertEquals(2L, ((Map<?, ?>) ((List<?>) back.get("rows")).get(1)).get("x"));
        assertEquals(Map.of(), back.get("empty"));
        assertTrue(back.containsKey("nothing") && back.get("nothing") == null);
    }

    @Test
    void nonFiniteNumbersBecomeNullAndUnknownTypesAreRefused() {
        assertEquals("[1.0, null, null]\n", Json.write(new double[] {1, Double.NaN, Double.POSITIVE_INFINITY}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(new Object())));
        assertTrue(e.getMessage().contains("Json.write: cannot write a java.lang.Object"), e.getMessage());
    }

    @Test
    void parseErrorsNameThePosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1,}"));
        assertTrue(e.getMessage().contains("8") || e.getMessage().contains("position"), e.getMessage());
    }
}
