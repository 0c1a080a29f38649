package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * {@code nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
 * dim_feedforward=2048, dropout=0.1, activation="relu", layer_norm_eps=1e-5, batch_first=False,
 * norm_first=False)}: an encoder and a decoder stack, each ending in a LayerNorm, the decoder
 * attending to the encoder's output. As PyTorch's, every parameter of two or more dims is then
 * drawn again by Xavier's uniform rule, so the layers no longer start as copies. State-dict keys
 * are PyTorch's ({@code encoder.layers.0.self_attn.in_proj_weight}, {@code decoder.norm.weight}).
 */
public final class Transformer extends Module {
    public final TransformerEncoder encoder;
    public final TransformerDecoder decoder;
    private final int dModel;
    private final boolean batchFirst;

    public Transformer() {
        this(512, 8, 6, 6, 2048, 0.1, "relu", 1e-5, false, false);
    }

    /** activation "relu" or "gelu". */
    public Transformer(int dModel, int nhead, int numEncoderLayers, int numDecoderLayers, int dimFeedforward, double dropout,
                       String activation, double layerNormEps, boolean batchFirst, boolean normFirst) {
        this.dModel = dModel;
        this.batchFirst = batchFirst;
        this.encoder = register("encoder", new TransformerEncoder(() -> new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropout,
                activation, layerNormEps, batchFirst, normFirst), numEncoderLayers, new LayerNorm(new int[] {dModel}, layerNormEps, true)));
        this.decoder = register("decoder", new TransformerDecoder(() -> new TransformerDecoderLayer(dModel, nhead, dimFeedforward, dropout,
                activation, layerNormEps, batchFirst, normFirst), numDecoderLayers, new LayerNorm(new int[] {dModel}, layerNormEps, true)));
        for (Tensor p : parameters()) {
            if (p.dim() > 1) {
                Init.xavierUniform_(p, 1.0);
            }
        }
    }

    /** PyTorch's {@code Transformer.generate_square_subsequent_mask(sz)}: 0 on and below the diagonal, -inf above. */
    public static Tensor generateSquareSubsequentMask(int sz) {
        return MultiheadAttention.causalMask(sz);
    }

    /** A transformer needs a source and a target; call {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor src) {
        throw new UnsupportedOperationException("Transformer: needs the source and the target; call forward(src, tgt, ...)");
    }

    public Tensor forward(Tensor src, Tensor tgt) {
        return forward(src, tgt, null, null, null, null, null, null);
    }

    /** The masks as in PyTorch's forward; any of them may be null. */
    public Tensor forward(Tensor src, Tensor tgt, Tensor srcMask, Tensor tgtMask, Tensor memoryMask, Tensor srcKeyPaddingMask,
                          Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        int batchDim = batchFirst ? 0 : 1;
        if (src.dim() == 3 && (tgt.dim() != 3 || src.size(batchDim) != tgt.size(batchDim))) {
            throw new IllegalArgumentException("Transformer: the batch number of src and tgt must be equal (dim " + batchDim
                    + (batchFirst ? ", batch_first" : "") + "), got src " + Shapes.str(src.shape()) + " and tgt " + Shapes.str(tgt.shape()));
        }
        if (src.dim() == 0 || tgt.dim() == 0 || src.size(-1) != dModel || tgt.size(-1) != dModel) {
            throw new IllegalArgumentException("Transformer: the feature number of src and tgt must be equal to d_model " + dModel
                    + ", got src " + Shapes.str(src.shape()) + " and tgt " + Shapes.str(tgt.shape()));
        }
        Tensor memory = encoder.forward(src, srcMask, srcKeyPaddingMask);
        return traced(decoder.forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask));
    }
}
