package dev.cortado.nn;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * {@code nn.MultiheadAttention(embed_dim, num_heads, dropout=0, bias=True, batch_first=False)}:
 * query, key and value projected by one packed {@code in_proj_weight} (3E, E), split into heads,
 * {@code softmax(q kᵀ / √head_dim + mask) v}, heads joined and projected by {@code out_proj};
 * PyTorch's parameter names, init and formulas. Inputs are (L, N, E) ((N, L, E) with batchFirst,
 * or unbatched (L, E)); key and value have their own length S.
 */
public final class MultiheadAttention extends Module {
    /** The attended values, and the attention weights (null unless asked for). */
    public record Result(Tensor output, Tensor weights) {
    }

    public final Tensor inProjWeight;
    public final Tensor inProjBias;
    public final Linear outProj;
    private final int embedDim;
    private final int numHeads;
    private final double dropout;
    private final boolean batchFirst;

    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0, true, false);
    }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim must be divisible by num_heads, got " + embedDim + " and " + numHeads);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1], got " + dropout);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        inProjWeight = registerParameter("in_proj_weight", Tensor.zeros(3 * embedDim, embedDim));
        inProjBias = bias ? registerParameter("in_proj_bias", Tensor.zeros(3 * embedDim)) : null;
        outProj = register("out_proj", new Linear(embedDim, embedDim, bias));
        // PyTorch's _reset_parameters: Xavier for the packed projection, zero biases.
        Init.xavierUniform_(inProjWeight, 1);
        if (bias) {
            Init.constant_(outProj.bias, 0);
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
     * PyTorch's boolean mask. attnMask (L, S) or (N · heads, L, S): added to the scores, so -inf
     * blocks a pair ({@link #causalMask} gives the usual one). Either may be null.
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
        if (q.size(2) != embedDim || k.size(2) != embedDim || v.size(2) != embedDim || k.size(1) != batch || v.size(1) != batch
                || v.size(0) != sourceLen) {
            throw new IllegalArgumentException(op + ": query, key and value must have embed_dim " + embedDim + ", one batch size and key "
                    + "and value one length, got " + Shapes.str(query.shape()) + ", " + Shapes.str(key.shape()) + " and " + Shapes.str(value.shape()));
        }
        int headDim = embedDim / numHeads;
        Tensor qp = project(q, 0);
        Tensor kp = project(k, 1);
        Tensor vp = project(v, 2);
        // (len, N, E) -> (N · heads, len, head_dim), PyTorch's layout.
        Tensor qh = qp.reshape(targetLen, batch * numHeads, headDim).transpose(0, 1);
        Tensor kh = kp.reshape(sourceLen, batch * numHeads, headDim).transpose(0, 1);
        Tensor vh = vp.reshape(sourceLen, batch * numHeads, headDim).transpose(0, 1);
        Tensor mask = mask(op, keyPaddingMask, attnMask, unbatched, batch, targetLen, sourceLen, q);
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
        Tensor weights = needWeights ? attn.reshape(batch, numHeads, targetLen, sourceLen).mean(new int[] {1}, false) : null;
        if (unbatched) {
            out = out.squeeze(1);
            weights = weights == null ? null : weights.squeeze(0);
        } else if (batchFirst) {
            out = out.transpose(0, 1);
        }
        return new Result(out, weights);
    }

    /** Rows [which · E, (which + 1) · E) of the packed projection: 0 query, 1 key, 2 value. */
    private Tensor project(Tensor x, int which) {
        Tensor w = inProjWeight.narrow(0, which * embedDim, embedDim);
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
            if (!twoD && !threeD || attnMask.dtype() != DType.FLOAT32) {
                throw new IllegalArgumentException(op + ": attn_mask must be float32 (" + targetLen + ", " + sourceLen + ") or ("
                        + batch * numHeads + ", " + targetLen + ", " + sourceLen + "), got " + attnMask.dtype() + " " + Shapes.str(attnMask.shape()));
            }
            mask = twoD ? attnMask.unsqueeze(0) : attnMask;
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
