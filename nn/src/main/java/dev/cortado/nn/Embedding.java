package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Tensor;

/**
 * {@code nn.Embedding(num_embeddings, embedding_dim, padding_idx)}: row i of the weight for each
 * int64 index i, the result shaped like the indices plus the embedding dim. The weight starts
 * N(0, 1); the padding row starts at 0 and gets no gradient.
 */
public final class Embedding extends Module {
    /** Not final: {@link WeightNorm} and {@link SpectralNorm} assign the recomputed weight before each call. */
    public Tensor weight;
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null);
    }

    /** paddingIdx may be negative, counting from the end, as in PyTorch; null for none. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, null);
    }

    /**
     * {@code nn.Embedding.from_pretrained(embeddings, freeze=True, padding_idx=None)}: a (num,
     * dim) table used as the weight, sharing its storage; frozen unless freeze is false. The
     * padding row keeps its value (only its gradient is stopped), as in PyTorch.
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Integer paddingIdx) {
        if (embeddings.dim() != 2 || embeddings.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("Embedding.fromPretrained: embeddings parameter is expected to be a 2-dimensional float32 tensor, got "
                    + embeddings.dtype() + " " + dev.cortado.tensor.Shapes.str(embeddings.shape()));
        }
        Embedding e = new Embedding(embeddings.size(0), embeddings.size(1), paddingIdx, embeddings.detach());
        e.weight.requiresGrad_(!freeze);
        return e;
    }

    private Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Tensor pretrained) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: num_embeddings and embedding_dim must be positive, got " + numEmbeddings + ", "
                    + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIndex("Embedding", numEmbeddings, paddingIdx);
        weight = pretrained != null ? registerParameter("weight", pretrained) : table(this, numEmbeddings, embeddingDim, this.paddingIdx);
    }

    /** padding_idx counted from the start (a negative one counts from the end), refused by the layer's name when out of range. */
    static Integer paddingIndex(String layer, int numEmbeddings, Integer paddingIdx) {
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
            throw new IllegalArgumentException(layer + ": padding_idx must be within num_embeddings (" + numEmbeddings + "), got " + paddingIdx);
        }
        return paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    }

    /** The weight of a new Embedding or EmbeddingBag, registered on m: N(0, 1), the padding row 0. */
    static Tensor table(Module m, int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        Tensor w = m.registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim));
        Init.normal_(w, 0, 1);
        if (paddingIdx != null) {
            try (var off = GradMode.off()) {
                w.select(0, paddingIdx).fill_(0);
            }
        }
        return w;
    }

    @Override
    public Tensor forward(Tensor indices) {
        return traced(lookup("Embedding(" + numEmbeddings + ", " + embeddingDim + ")", indices, weight, paddingIdx));
    }

    /**
     * The weight's rows at the int64 indices, shaped like the indices plus the embedding dim; the
     * padding row (null for none) passes its value but no gradient. {@code name} heads the errors.
     */
    static Tensor lookup(String name, Tensor indices, Tensor weight, Integer paddingIdx) {
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException(name + ": indices must be int64, got " + indices.dtype());
        }
        if (weight.dim() != 2) {
            throw new IllegalArgumentException(name + ": weight must be a 2-d (num_embeddings, embedding_dim) table, got "
                    + dev.cortado.tensor.Shapes.str(weight.shape()));
        }
        Tensor flat = indices.reshape(-1);
        Tensor rows;
        try {
            rows = weight.indexSelect(0, flat);
        } catch (IndexOutOfBoundsException e) {
            throw new IndexOutOfBoundsException(name + ": indices must be in 0.." + (weight.size(0) - 1) + " (" + e.getMessage() + ")");
        }
        if (paddingIdx != null) {
            // The padding row's value, without a path for its gradient.
            rows = Tensor.where(flat.eq(paddingIdx).unsqueeze(1), rows.detach(), rows);
        }
        int[] shape = java.util.Arrays.copyOf(indices.shape(), indices.dim() + 1);
        shape[indices.dim()] = weight.size(1);
        return rows.reshape(shape);
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "");
    }
}
