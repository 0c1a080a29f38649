package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A torchsummary-style table of a model: one row per layer call (type and call index, output
 * shape with -1 for the batch, own parameter count), totals, and memory estimates in MB.
 *
 * <pre>{@code System.out.println(Summary.of(model, 1, 28, 28));}</pre>
 */
public final class Summary {
    private static final ThreadLocal<Summary> ACTIVE = new ThreadLocal<>();

    /** One layer call: {@code Conv2d-1}, its output shape (batch as -1) and its own parameter count. */
    public record Row(String layer, int[] outputShape, long params) {
    }

    private final Module root;
    private final int[] inputShape;
    private final List<Row> rows = new ArrayList<>();
    private long totalParams;
    private long trainableParams;

    private Summary(Module root, int[] inputShape) {
        this.root = root;
        this.inputShape = inputShape.clone();
    }

    /**
     * Runs {@code model} once on a batch of two zero inputs of shape {@code inputShape} (no batch
     * dimension), in eval mode and without autograd, and tabulates what its layers returned.
     */
    public static Summary of(Module model, int... inputShape) {
        Summary s = new Summary(model, inputShape);
        List<Tensor> params = model.parameters();
        Device device = params.isEmpty() ? Cortado.defaultDevice() : params.get(0).device();
        int[] batch = new int[inputShape.length + 1];
        batch[0] = 2;
        System.arraycopy(inputShape, 0, batch, 1, inputShape.length);
        boolean wasTraining = model.isTraining();
        Summary outer = ACTIVE.get();
        ACTIVE.set(s);
        try (var g = GradMode.off()) {
            model.eval();
            model.call(Tensor.zeros(batch, dev.cortado.tensor.DType.FLOAT32, device));
        } finally {
            ACTIVE.set(outer);
            model.train(wasTraining);
        }
        for (Tensor p : params) {
            s.totalParams += p.numel();
            if (p.requiresGrad()) {
                s.trainableParams += p.numel();
            }
        }
        return s;
    }

    static void record(Module m, Tensor out) {
        Summary s = ACTIVE.get();
        if (s == null || m == s.root) {
            return;
        }
        long own = 0;
        for (var e : m.namedParameters().entrySet()) {
            if (!e.getKey().contains(".")) {
                own += e.getValue().numel();
            }
        }
        int[] shape = out.shape();
        if (shape.length > 0) {
            shape[0] = -1;
        }
        s.rows.add(new Row(m.getClass().getSimpleName() + "-" + (s.rows.size() + 1), shape, own));
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public long totalParams() {
        return totalParams;
    }

    public long trainableParams() {
        return trainableParams;
    }

    /** Bytes of one input sample, in MB (float32). */
    public double inputSizeMb() {
        long n = 1;
        for (int d : inputShape) {
            n *= d;
        }
        return n * 4.0 / (1 << 20);
    }

    /** Outputs of every layer for one sample, times two for their gradients, in MB. */
    public double forwardBackwardSizeMb() {
        long n = 0;
        for (Row r : rows) {
            long p = 1;
            for (int i = 1; i < r.outputShape().length; i++) {
                p *= r.outputShape()[i];
            }
            n += p;
        }
        return 2.0 * n * 4.0 / (1 << 20);
    }

    public double paramsSizeMb() {
        return totalParams * 4.0 / (1 << 20);
    }

    @Override
    public String toString() {
        String line = "-".repeat(64);
        StringBuilder sb = new StringBuilder(line).append('\n');
        sb.append(String.format(Locale.ROOT, "%20s  %25s %15s%n", "Layer (type)", "Output Shape", "Param #"));
        sb.append("=".repeat(64)).append('\n');
        for (Row r : rows) {
            StringBuilder shape = new StringBuilder("[");
            for (int i = 0; i < r.outputShape().length; i++) {
                shape.append(i > 0 ? ", " : "").append(r.outputShape()[i]);
            }
            sb.append(String.format(Locale.ROOT, "%20s  %25s %15s%n", r.layer(), shape.append(']'), String.format(Locale.ROOT, "%,d", r.params())));
        }
        sb.append("=".repeat(64)).append('\n');
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", totalParams));
        sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainableParams));
        sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", totalParams - trainableParams));
        sb.append(line).append('\n');
        double in = inputSizeMb();
        double fb = forwardBackwardSizeMb();
        double ps = paramsSizeMb();
        sb.append(String.format(Locale.ROOT, "Input size (MB): %.2f%n", in));
        sb.append(String.format(Locale.ROOT, "Forward/backward pass size (MB): %.2f%n", fb));
        sb.append(String.format(Locale.ROOT, "Params size (MB): %.2f%n", ps));
        sb.append(String.format(Locale.ROOT, "Estimated Total Size (MB): %.2f%n", in + fb + ps));
        return sb.append(line).toString();
    }
}
