package dev.cortado.examples.report;

import dev.cortado.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an experiment measured, written as {@code results.json}: the command, its configuration,
 * a {@code metrics} object keyed by model or experiment name (per-epoch lists such as
 * {@code train_loss} and {@code test_accuracy}, in percent, plus final values) and timings in seconds.
 */
public final class Results {
    private final Map<String, Object> root = new LinkedHashMap<>();
    private final Map<String, Object> config = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> metrics = new LinkedHashMap<>();
    private final Map<String, Object> timings = new LinkedHashMap<>();

    public Results(String command) {
        root.put("command", command);
        root.put("config", config);
        root.put("metrics", metrics);
        root.put("timings_s", timings);
    }

    public Results config(String key, Object value) {
        config.put(key, value);
        return this;
    }

    /** The metrics of one model or experiment, created on first use. */
    public Metrics metrics(String name) {
        return new Metrics(metrics.computeIfAbsent(name, k -> new LinkedHashMap<>()));
    }

    public Map<String, Object> metricsOf(String name) {
        return metrics.get(name);
    }

    public Results timing(String name, double seconds) {
        timings.put(name, Math.round(seconds * 1000) / 1000.0);
        return this;
    }

    /** Six significant digits: float32 results carry no more, and the file stays readable. */
    static double round(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.json"), Json.write(root));
    }

    /** One entry of the {@code metrics} object. */
    public record Metrics(Map<String, Object> values) {
        /** Appends to the per-epoch list {@code key}. */
        @SuppressWarnings("unchecked")
        public Metrics add(String key, double value) {
            ((List<Object>) values.computeIfAbsent(key, k -> new ArrayList<>())).add(round(value));
            return this;
        }

        public Metrics put(String key, Object value) {
            values.put(key, switch (value) {
                case Double d -> round(d);
                case double[] a -> java.util.Arrays.stream(a).map(Results::round).toArray();
                default -> value;
            });
            return this;
        }
    }
}
