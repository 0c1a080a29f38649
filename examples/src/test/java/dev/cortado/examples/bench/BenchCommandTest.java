package dev.cortado.examples.bench;

import dev.cortado.examples.Main;
import dev.cortado.io.Json;
import dev.cortado.tensor.Cortado;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cortado bench}: one JSON line per workload and thread count, and clear errors for bad options. */
class BenchCommandTest {
    /** Runs a command line; returns the exit code, standard output and standard error. */
    private static Object[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true));
        System.setErr(new PrintStream(e, true));
        try {
            int code = Main.run(args);
            return new Object[] {code, o.toString(), e.toString()};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void alternatingThreadCountsGiveALineEach() {
        int before = Cortado.numThreads();
        Object[] r = run("bench", "mnist_fc_b128", "--steps", "3", "--warmup", "0", "--threads", "1,2");
        assertEquals(0, r[0], (String) r[2]);
        List<String> lines = ((String) r[1]).lines().toList();
        assertEquals(2, lines.size(), (String) r[1]);
        for (int i = 0; i < 2; i++) {
            Map<?, ?> m = (Map<?, ?>) Json.parse(lines.get(i));
            assertEquals("mnist_fc_b128", m.get("workload"));
            assertEquals((long) (i + 1), ((Number) m.get("threads")).longValue());
            assertTrue(((Number) m.get("steps")).longValue() >= 3, lines.get(i));
            assertTrue(((Number) m.get("ms_per_step")).doubleValue() > 0, lines.get(i));
        }
        assertEquals(before, Cortado.numThreads(), "the thread setting is restored");
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        Object[] r = run("bench", "mnist_fc_b128", "--threads", "1,0");
        assertEquals(1, r[0]);
        assertTrue(((String) r[2]).contains("--threads must be at least 1, got [1, 0]"), (String) r[2]);
        r = run("bench", "mnist_fc_b128", "--profile");
        assertEquals(1, r[0]);
        assertTrue(((String) r[2]).contains("--profile times GPU calls; it needs --device cuda, got --device cpu"), (String) r[2]);
        r = run("bench", "mnist_fc_b128", "--steps", "0");
        assertEquals(1, r[0]);
        assertTrue(((String) r[2]).contains("--steps must be at least 1"), (String) r[2]);
        r = run("bench", "imagenet_b256");
        assertEquals(1, r[0]);
        assertTrue(((String) r[2]).contains("unknown workload 'imagenet_b256'"), (String) r[2]);
    }
}
