package dev.cortado.nn;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * {@code nn.MultiheadAttention(embed_dim, num_heads, dropout=0, bias=True, add_bias_kv=False,
 * add_zero_attn=False, kdim=None, vdim=None, batch_first=False)}: query, key and value projected
 * (by one packed {@code in_proj_weight} (3E, E) when key and value have the query's width E, else
 * by {@code q_proj_weight}, {@code k_proj_weight} and {@code v_proj_weight}), split into heads,
 * {@code softmax(q kᵀ / √head_dim + mask) v}, heads joined and projected by {@code out_proj};
 * PyTorch's parameter names, init and formulas. {@code add_bias_kv} appends a learned key and
 * value ({@code bias_k}, {@code bias_v}) to every sequence, {@code add_zero_attn} a zero key and
 * value per head, as PyTorch does, masks widened to match. Inputs are (L, N, E) ((N, L, E) with
 * batchFirst, or unbatched (L, E)); key and value have their own length S.
 */
public final class MultiheadAttention extends Module {
    /** The attended values, and the attention weights (null unless asked for). */
    public record Result(Tensor output, Tensor weights) {
    }

    /** The packed (3E, E) projection; null when kdim or vdim differs from embed_dim. */
    public final Tensor inProjWeight;
    /** The separate projections (E, E), (E, kdim) and (E, vdim); null when the packed one is used. */
    public final Tensor qProjWeight;
    public final Tensor kProjWeight;
    public final Tensor vProjWeight;
    public final Tensor inProjBias;
    public final Linear outProj;
    /** The appended key and value (1, 1, E) of {@code add_bias_kv}; null without it. */
    public final Tensor biasK;
    public final Tensor biasV;
    private final int embedDim;
    private final int kdim;
    private final int vdim;
    private final int numHeads;
    private final double dropout;
    private final boolean addZeroAttn;
    private final boolean batchFirst;

    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0, true, false);
    }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst) {
        this(embedDim, numHeads, dropout, bias, false, false, embedDim, embedDim, batchFirst);
    }

    /** Every option, in PyTorch's order; kdim and vdim are the key's and value's widths (PyTorch's None is embedDim). */
    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean addBiasKv, boolean addZeroAttn, int kdim,
                              int vdim, boolean batchFirst) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim must be divisible by num_heads, got " + embedDim + " and " + numHeads);
        }
        if (kdim <= 0 || vdim <= 0) {
            throw new IllegalArgumentException("MultiheadAttention: kdim and vdim must be positive, got " + kdim + " and " + vdim);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1], got " + dropout);
        }
        this.embedDim = embedDim;
        this.kdim = kdim;
        this.vdim = vdim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.addZeroAttn = addZeroAttn;
        this.batchFirst = batchFirst;
        boolean packed = kdim == embedDim && vdim == embedDim;
        inProjWeight = packed ? registerParameter("in_proj_weight", Tensor.zeros(3 * embedDim, embedDim)) : null;
        qProjWeight = packed ? null : registerParameter("q_proj_weight", Tensor.zeros(embedDim, embedDim));
        kProjWeight = packed ? null : registerParameter("k_proj_weight", Tensor.zeros(embedDim, kdim));
        vProjWeight = packed ? null : registerParameter("v_proj_weight", Tensor.zeros(embedDim, vdim));
        inProjBias = bias ? registerParameter("in_proj_bias", Tensor.zeros(3 * embedDim)) : null;
        outProj = register("out_proj", new Linear(embedDim, embedDim, bias));
        biasK = addBiasKv ? registerParameter("bias_k", Tensor.zeros(1, 1, embedDim)) : null;
        biasV = addBiasKv ? registerParameter("bias_v", Tensor.zeros(1, 1, embedDim)) : null;
        // PyTorch's _reset_parameters: Xavier for the projections, zero biases, Xavier normal for bias_k and bias_v.
        if (packed) {
            Init.xavierUniform_(inProjWeight, 1);
        } else {
            Init.xavierUniform_(qProjWeight, 1);
            Init.xavierUniform_(kProjWeight, 1);
            Init.xavierUniform_(vProjWeight, 1);
        }
        if (bias) {
            Init.constant_(inProjBias, 0);
            Init.constant_(outProj.bias, 0);
        }
        if (addBiasKv) {
            Init.xavierNormal_(biasK, 1);
            Init.xavierNormal_(biasV, 1);
        }
    }

    /** Self-attention of x, without masks: the attended values only. */
    @Override
    public Tensor forward(Tensor x) {
        return traced(forward(x, x, x, null, null, false).output());
    }

    /**
     * PyTorch's {@code mha(query, key, value, key_padding_mask, need_weights, attn_mask)} with the
     * weights averaged over heads. keyPaddingMask (N, S) or (S): nonzero marks a key to ignore, as
     * PyTorch's boolean mask. attnMask (L, S) or (N · heads, L, S): float32 is added to the scores,
     * so -inf blocks a pair ({@link #causalMask} gives the usual one); int64 is PyTorch's bool mask,
     * nonzero blocking the pair. Either may be null.
     */
    public Result forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask, boolean needWeights) {
        String op = "MultiheadAttention";
        boolean unbatched = query.dim() == 2;
        if (query.dim() != 2 && query.dim() != 3 || key.dim() != query.dim() || value.dim() != query.dim()) {
            throw new IllegalArgumentException(op + ": expected query, key and value all " + (batchFirst ? "(N, L, E)" : "(L, N, E)")
                    + " or all (L, E), got " + Shapes.str(query.shape()) + ", " + Shapes.str(key.shape()) + " and " + Shapes.str(value.shape()));
        }
        Tensor q = unbatched ? query.unsqueeze(1) : batchFirst ? query.transpose(0, 1) : query;
        Tensor k = unbatched ? key.unsqueeze(1) : batchFirst ? key.transpose(0, 1) : key;
        Tensor v = unbatched ? value.unsqueeze(1) : batchFirst ? value.transpose(0, 1) : value;
        int targetLen = q.size(0);
        int batch = q.size(1);
        int sourceLen = k.size(0);
        if (q.size(2) != embedDim || k.size(2) != kdim || v.size(2) != vdim || k.size(1) != batch || v.size(1) != batch
                || v.size(0) != sourceLen) {
            throw new IllegalArgumentException(op + ": query, key and value must have widths " + embedDim + ", " + kdim + " and " + vdim
                    + " (embed_dim, kdim, vdim), one batch size and key and value one length, got " + Shapes.str(query.shape()) + ", "
                    + Shapes.str(key.shape()) + " and " + Shapes.str(value.shape()));
        }
        int headDim = embedDim / numHeads;
        Tensor qp = project(q, 0);
        Tensor kp = project(k, 1);
        Tensor vp = project(v, 2);
        Tensor mask = mask(op, keyPaddingMask, attnMask, unbatched, batch, targetLen, sourceLen, q);
        int keys = sourceLen;
        if (biasK != null) {
            kp = Tensor.cat(java.util.List.of(kp, biasK.expand(1, batch, embedDim)), 0);
            vp = Tensor.cat(java.util.List.of(vp, biasV.expand(1, batch, embedDim)), 0);
            mask = widen(mask);
            keys++;
        }
        // (len, N, E) -> (N · heads, len, head_dim), PyTorch's layout.
        Tensor qh = qp.reshape(targetLen, batch * numHeads, headDim).transpose(0, 1);
        Tensor kh = kp.reshape(keys, batch * numHeads, headDim).transpose(0, 1);
        Tensor vh = vp.reshape(keys, batch * numHeads, headDim).transpose(0, 1);
        if (addZeroAttn) {
            Tensor zeros = q.newFull(new int[] {batch * numHeads, 1, headDim}, 0);
            kh = Tensor.cat(java.util.List.of(kh, zeros), 1);
            vh = Tensor.cat(java.util.List.of(vh, zeros), 1);
            mask = widen(mask);
            keys++;
        }
        Tensor scores = qh.div(Math.sqrt(headDim)).bmm(kh.transpose(1, 2));
        if (mask != null) {
            scores = scores.add(mask);
        }
        Tensor attn = scores.softmax(-1);
        if (dropout > 0 && isTraining()) {
            attn = F.dropout(attn, dropout, true);
        }
        Tensor out = attn.bmm(vh).transpose(0, 1).reshape(targetLen * batch, embedDim);
        out = outProj.forward(out).reshape(targetLen, batch, embedDim);
        Tensor weights = needWeights ? attn.reshape(batch, numHeads, targetLen, keys).mean(new int[] {1}, false) : null;
        if (unbatched) {
            out = out.squeeze(1);
            weights = weights == null ? null : weights.squeeze(0);
        } else if (batchFirst) {
            out = out.transpose(0, 1);
        }
        return new Result(out, weights);
    }

    /** A mask over one more key (the appended one), which it lets through, as PyTorch pads it; null stays null. */
    private static Tensor widen(Tensor mask) {
        return mask == null ? null : mask.pad(new int[] {0, 1}, dev.cortado.tensor.PadMode.CONSTANT, 0);
    }

    /** The query's (0), key's (1) or value's (2) projection: rows of the packed weight, or its own weight. */
    private Tensor project(Tensor x, int which) {
        Tensor w = inProjWeight != null ? inProjWeight.narrow(0, which * embedDim, embedDim)
                : which == 0 ? qProjWeight : which == 1 ? kProjWeight : vProjWeight;
        Tensor b = inProjBias == null ? null : inProjBias.narrow(0, which * embedDim, embedDim);
        return F.linear(x, w, b);
    }

    /** The additive (N · heads, L, S) mask from both masks, or null. */
    private Tensor mask(String op, Tensor keyPadding, Tensor attnMask, boolean unbatched, int batch, int targetLen, int sourceLen, Tensor like) {
        Tensor mask = null;
        if (attnMask != null) {
            boolean twoD = attnMask.dim() == 2 && attnMask.size(0) == targetLen && attnMask.size(1) == sourceLen;
            boolean threeD = attnMask.dim() == 3 && attnMask.size(0) == batch * numHeads && attnMask.size(1) == targetLen
                    && attnMask.size(2) == sourceLen;
            if (!twoD && !threeD) {
                throw new IllegalArgumentException(op + ": attn_mask must be (" + targetLen + ", " + sourceLen + ") or ("
                        + batch * numHeads + ", " + targetLen + ", " + sourceLen + "), got " + attnMask.dtype() + " " + Shapes.str(attnMask.shape()));
            }
            // An int64 mask is PyTorch's bool mask (Cortado's stand-in for bool): nonzero blocks the pair.
            Tensor additive = attnMask.dtype() == DType.INT64
                    ? Tensor.where(attnMask.ne(0), like.newFull(new int[0], Double.NEGATIVE_INFINITY), like.newFull(new int[0], 0)) : attnMask;
            mask = twoD ? additive.unsqueeze(0) : additive;
        }
        if (keyPadding != null) {
            int[] want = unbatched ? new int[] {sourceLen} : new int[] {batch, sourceLen};
            if (!java.util.Arrays.equals(keyPadding.shape(), want)) {
                throw new IllegalArgumentException(op + ": key_padding_mask must be " + Shapes.str(want) + " (nonzero = ignore), got "
                        + Shapes.str(keyPadding.shape()));
            }
            Tensor blocked = Tensor.where(keyPadding.reshape(batch, 1, 1, sourceLen).ne(0), like.newFull(new int[0], Double.NEGATIVE_INFINITY),
                    like.newFull(new int[0], 0))
                    .expand(batch, numHeads, 1, sourceLen).reshape(batch * numHeads, 1, sourceLen);
            mask = mask == null ? blocked : mask.add(blocked);
        }
        return mask;
    }

    /** PyTorch's {@code generate_square_subsequent_mask(size)}: 0 on and below the diagonal, -inf above, so a position sees only its past. */
    public static Tensor causalMask(int size) {
        return causalMask(size, size, dev.cortado.tensor.Cortado.defaultDevice());
    }

    /** The (queries, keys) causal mask on a device: query i sees keys 0..i. */
    static Tensor causalMask(int queries, int keys, dev.cortado.tensor.Device device) {
        float[] m = new float[queries * keys];
        for (int i = 0; i < queries; i++) {
            for (int j = i + 1; j < keys; j++) {
                m[i * keys + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return Tensor.fromArray(m, new int[] {queries, keys}, device);
    }

    @Override
    protected String extraRepr() {
        return "";
    }
}
