package dev.cortado.examples.models;

import dev.cortado.nn.LSTM;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.tensor.Tensor;

/**
 * A 2-layer LSTM over (N, L, 64) sequences whose last step's 128 features a linear layer
 * classifies into 10 classes. No notebook uses it: the benchmarks time the recurrent layers with it.
 */
public final class SequenceClassifier extends Module {
    final LSTM lstm = register("lstm", new LSTM(64, 128, 2, true, true, 0, false));
    final Linear fc = register("fc", new Linear(128, 10));

    @Override
    public Tensor forward(Tensor x) {
        Tensor steps = lstm.forward(x, null, null).output();
        return fc.call(steps.select(1, steps.size(1) - 1));
    }
}
