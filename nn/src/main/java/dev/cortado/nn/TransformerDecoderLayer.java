package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * {@code nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1,
 * activation="relu", layer_norm_eps=1e-5, batch_first=False, norm_first=False)}: self-attention
 * over the target, attention from the target to the encoder's memory, and the feed-forward block,
 * each with dropout, a residual connection and layer norm, with PyTorch's submodule names.
 */
public final class TransformerDecoderLayer extends Module {
    public final MultiheadAttention selfAttn;
    public final MultiheadAttention multiheadAttn;
    public final Linear linear1;
    public final Linear linear2;
    public final LayerNorm norm1;
    public final LayerNorm norm2;
    public final LayerNorm norm3;
    private final Dropout dropout;
    private final Dropout dropout1;
    private final Dropout dropout2;
    private final Dropout dropout3;
    private final Module activation;
    private final boolean normFirst;

    public TransformerDecoderLayer(int dModel, int nhead) {
        this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false);
    }

    /** activation "relu" or "gelu". */
    public TransformerDecoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation, double layerNormEps,
                                   boolean batchFirst, boolean normFirst) {
        this.selfAttn = register("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst));
        this.multiheadAttn = register("multihead_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst));
        this.linear1 = register("linear1", new Linear(dModel, dimFeedforward));
        this.dropout = register("dropout", new Dropout(dropout));
        this.linear2 = register("linear2", new Linear(dimFeedforward, dModel));
        this.norm1 = register("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.norm2 = register("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.norm3 = register("norm3", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.dropout1 = register("dropout1", new Dropout(dropout));
        this.dropout2 = register("dropout2", new Dropout(dropout));
        this.dropout3 = register("dropout3", new Dropout(dropout));
        this.activation = TransformerEncoderLayer.activation("TransformerDecoderLayer", activation);
        this.normFirst = normFirst;
    }

    /** A decoder layer needs the encoder's memory; call {@link #forward(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor tgt) {
        throw new UnsupportedOperationException("TransformerDecoderLayer: needs the target and the encoder's memory; call forward(tgt, memory, ...)");
    }

    /** The masks are those of {@link MultiheadAttention#forward(Tensor, Tensor, Tensor, Tensor, Tensor, boolean)}; any may be null. */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        Tensor x = tgt;
        if (normFirst) {
            x = x.add(selfAttention(norm1.call(x), tgtMask, tgtKeyPaddingMask));
            x = x.add(crossAttention(norm2.call(x), memory, memoryMask, memoryKeyPaddingMask));
            return x.add(TransformerEncoderLayer.feedForward(norm3.call(x), linear1, activation, dropout, linear2, dropout3));
        }
        x = norm1.call(x.add(selfAttention(x, tgtMask, tgtKeyPaddingMask)));
        x = norm2.call(x.add(crossAttention(x, memory, memoryMask, memoryKeyPaddingMask)));
        return norm3.call(x.add(TransformerEncoderLayer.feedForward(x, linear1, activation, dropout, linear2, dropout3)));
    }

    private Tensor selfAttention(Tensor x, Tensor mask, Tensor keyPadding) {
        return dropout1.call(selfAttn.forward(x, x, x, keyPadding, mask, false).output());
    }

    private Tensor crossAttention(Tensor x, Tensor memory, Tensor mask, Tensor keyPadding) {
        return dropout2.call(multiheadAttn.forward(x, memory, memory, keyPadding, mask, false).output());
    }
}
