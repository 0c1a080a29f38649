package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

import java.util.Map;

import static dev.cortado.testing.Inputs.wave;

/** Deterministic parameters for the tests that compare whole layers with PyTorch. */
final class WaveParameters {
    private WaveParameters() {
    }

    /**
     * Parameter k (in state-dict order) set to 0.5 · cos (k even) or sin (k odd) of
     * {@code i · 0.13 (k + 1)}, which the Python scripts reproduce with {@code named_parameters()}.
     */
    static void set(Module m) {
        int k = 0;
        try (var off = dev.cortado.autograd.GradMode.off()) {
            for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
                Tensor p = e.getValue();
                p.copy_(wave(p.numel(), 0.13 * (k + 1), k % 2 == 0, p.shape()).mul(0.5));
                k++;
            }
        }
    }
}
