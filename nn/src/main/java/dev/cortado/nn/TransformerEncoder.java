package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

import java.util.function.Supplier;

/**
 * {@code nn.TransformerEncoder(encoder_layer, num_layers, norm=None)}: numLayers layers built by
 * the factory, all starting from the first one's values as PyTorch's deep copies do, applied in
 * turn, then the optional final norm. State-dict keys are PyTorch's ({@code layers.0.self_attn.in_proj_weight}).
 */
public final class TransformerEncoder extends Module {
    public final ModuleList layers;
    public final Module norm;

    public TransformerEncoder(Supplier<TransformerEncoderLayer> layer, int numLayers) {
        this(layer, numLayers, null);
    }

    public TransformerEncoder(Supplier<TransformerEncoderLayer> layer, int numLayers, Module norm) {
        this.layers = register("layers", stack("TransformerEncoder", layer, numLayers));
        this.norm = norm == null ? null : register("norm", norm);
    }

    /**
     * numLayers layers from the factory, for the encoder and the decoder, each starting from the
     * first one's values: PyTorch deep-copies one layer, so its layers start equal.
     */
    static ModuleList stack(String owner, Supplier<? extends Module> layer, int numLayers) {
        if (numLayers <= 0) {
            throw new IllegalArgumentException(owner + ": num_layers must be positive, got " + numLayers);
        }
        ModuleList list = new ModuleList();
        Module first = layer.get();
        list.add(first);
        for (int i = 1; i < numLayers; i++) {
            Module next = layer.get();
            next.loadStateDict(first.stateDict(), true);
            list.add(next);
        }
        return list;
    }

    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /** Every layer with the same masks (either may be null), then the norm. */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        for (Module m : layers.children()) {
            x = ((TransformerEncoderLayer) m).forward(x, mask, srcKeyPaddingMask);
        }
        return norm == null ? x : norm.call(x);
    }
}
