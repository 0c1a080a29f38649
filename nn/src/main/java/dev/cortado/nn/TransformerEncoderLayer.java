package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * {@code nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1,
 * activation="relu", layer_norm_eps=1e-5, batch_first=False, norm_first=False)}: self-attention
 * and a two-layer feed-forward block, each with dropout, a residual connection and layer norm
 * (after the residual sum, or before the block with normFirst), with PyTorch's submodule names.
 */
public final class TransformerEncoderLayer extends Module {
    public final MultiheadAttention selfAttn;
    public final Linear linear1;
    public final Linear linear2;
    public final LayerNorm norm1;
    public final LayerNorm norm2;
    private final Dropout dropout;
    private final Dropout dropout1;
    private final Dropout dropout2;
    private final Module activation;
    private final boolean normFirst;

    public TransformerEncoderLayer(int dModel, int nhead) {
        this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false);
    }

    /** activation "relu" or "gelu". */
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation, double layerNormEps,
                                   boolean batchFirst, boolean normFirst) {
        this.selfAttn = register("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst));
        this.linear1 = register("linear1", new Linear(dModel, dimFeedforward));
        this.dropout = register("dropout", new Dropout(dropout));
        this.linear2 = register("linear2", new Linear(dimFeedforward, dModel));
        this.norm1 = register("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.norm2 = register("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.dropout1 = register("dropout1", new Dropout(dropout));
        this.dropout2 = register("dropout2", new Dropout(dropout));
        this.activation = activation("TransformerEncoderLayer", activation);
        this.normFirst = normFirst;
    }

    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /** With the masks of {@link MultiheadAttention#forward(Tensor, Tensor, Tensor, Tensor, Tensor, boolean)} (either may be null). */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        if (normFirst) {
            x = x.add(selfAttention(norm1.call(x), srcMask, srcKeyPaddingMask));
            return x.add(feedForward(norm2.call(x)));
        }
        x = norm1.call(x.add(selfAttention(x, srcMask, srcKeyPaddingMask)));
        return norm2.call(x.add(feedForward(x)));
    }

    private Tensor selfAttention(Tensor x, Tensor mask, Tensor keyPadding) {
        return dropout1.call(selfAttn.forward(x, x, x, keyPadding, mask, false).output());
    }

    private Tensor feedForward(Tensor x) {
        return feedForward(x, linear1, activation, dropout, linear2, dropout2);
    }

    /** The feed-forward block of the encoder and decoder layers: linear, activation, dropout, linear, dropout. */
    static Tensor feedForward(Tensor x, Linear linear1, Module activation, Dropout dropout, Linear linear2, Dropout after) {
        return after.call(linear2.call(dropout.call(activation.call(linear1.call(x)))));
    }

    /** The activation PyTorch's Transformer layers name: "relu" or "gelu". */
    static Module activation(String layer, String name) {
        return switch (name) {
            case "relu" -> new ReLU();
            case "gelu" -> new GELU();
            default -> throw new IllegalArgumentException(layer + ": activation should be relu/gelu, not " + name);
        };
    }
}
