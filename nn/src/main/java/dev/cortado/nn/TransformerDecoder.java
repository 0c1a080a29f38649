package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

import java.util.function.Supplier;

/**
 * {@code nn.TransformerDecoder(decoder_layer, num_layers, norm=None)}: numLayers layers built by
 * the factory (starting equal, as PyTorch's copies), each attending to the same memory, then the
 * optional final norm; state-dict keys are PyTorch's ({@code layers.0.multihead_attn.in_proj_weight}).
 */
public final class TransformerDecoder extends Module {
    public final ModuleList layers;
    public final Module norm;

    public TransformerDecoder(Supplier<TransformerDecoderLayer> layer, int numLayers, Module norm) {
        this.layers = register("layers", TransformerEncoder.stack("TransformerDecoder", layer, numLayers));
        this.norm = norm == null ? null : register("norm", norm);
    }

    /** A decoder needs the encoder's memory; call {@link #forward(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor tgt) {
        throw new UnsupportedOperationException("TransformerDecoder: needs the target and the encoder's memory; call forward(tgt, memory, ...)");
    }

    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        Tensor x = tgt;
        for (Module m : layers.children()) {
            x = ((TransformerDecoderLayer) m).forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
        }
        return norm == null ? x : norm.call(x);
    }
}
