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
    public final Tensor weight;
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null);
    }

    /** paddingIdx may be negative, counting from the end, as in PyTorch; null for none. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: num_embeddings and embedding_dim must be positive, got " + numEmbeddings + ", "
                    + embeddingDim);
        }
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: padding_idx must be within num_embeddings (" + numEmbeddings + "), got "
                    + paddingIdx);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        weight = registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim));
        Init.normal_(weight, 0, 1);
        if (this.paddingIdx != null) {
            try (var off = GradMode.off()) {
                weight.select(0, this.paddingIdx).fill_(0);
            }
        }
    }

    @Override
    public Tensor forward(Tensor indices) {
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("Embedding: indices must be int64, got " + indices.dtype());
        }
        Tensor flat = indices.reshape(-1);
        Tensor rows = weight.indexSelect(0, flat);
        if (paddingIdx != null) {
            // The padding row's value, without a path for its gradient.
            rows = Tensor.where(flat.eq(paddingIdx).unsqueeze(1), rows.detach(), rows);
        }
        int[] shape = java.util.Arrays.copyOf(indices.shape(), indices.dim() + 1);
        shape[indices.dim()] = embeddingDim;
        return traced(rows.reshape(shape));
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "");
    }
}
