package dev.cortado.nn;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code nn.EmbeddingBag(num_embeddings, embedding_dim, mode="mean", include_last_offset=False,
 * padding_idx=None)}: the sum, mean or maximum of each bag's embedding rows, without the
 * (bags, length, dim) intermediate of an Embedding followed by a reduction. Bags are the rows of a
 * 2-d input, or runs of a 1-d input starting at {@code offsets}. An empty bag gives zeros; entries
 * equal to padding_idx are left out of their bag (and of a mean's count). per_sample_weights
 * scale each entry, in sum mode only, as in PyTorch. The weight starts N(0, 1).
 */
public final class EmbeddingBag extends Module {
    /** PyTorch's mode strings. */
    public enum Mode { SUM, MEAN, MAX }

    /** Not final, as Embedding's, for the weight reparametrizations. */
    public Tensor weight;
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Mode mode;
    private final boolean includeLastOffset;
    private final Integer paddingIdx;

    public EmbeddingBag(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, Mode.MEAN, false, null);
    }

    /** paddingIdx may be negative, counting from the end; null for none. */
    public EmbeddingBag(int numEmbeddings, int embeddingDim, Mode mode, boolean includeLastOffset, Integer paddingIdx) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("EmbeddingBag: num_embeddings and embedding_dim must be positive, got " + numEmbeddings + ", "
                    + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.mode = mode;
        this.includeLastOffset = includeLastOffset;
        this.paddingIdx = Embedding.paddingIndex("EmbeddingBag", numEmbeddings, paddingIdx);
        weight = Embedding.table(this, numEmbeddings, embeddingDim, this.paddingIdx);
    }

    /** Bags as the rows of a 2-d input. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null, null);
    }

    public Tensor forward(Tensor input, Tensor offsets) {
        return forward(input, offsets, null);
    }

    /** A 2-d input (bags, length) with offsets null, or a 1-d input with 1-d int64 offsets; perSampleWeights shaped as input, or null. */
    public Tensor forward(Tensor input, Tensor offsets, Tensor perSampleWeights) {
        String name = "EmbeddingBag";
        if (input.dtype() != DType.INT64) {
            throw new IllegalArgumentException(name + ": input must be int64, got " + input.dtype());
        }
        if (perSampleWeights != null && mode != Mode.SUM) {
            throw new IllegalArgumentException(name + ": per_sample_weights is only supported for mode='sum', got mode='"
                    + mode.name().toLowerCase(java.util.Locale.ROOT) + "'");
        }
        if (perSampleWeights != null && !java.util.Arrays.equals(perSampleWeights.shape(), input.shape())) {
            throw new IllegalArgumentException(name + ": per_sample_weights " + Shapes.str(perSampleWeights.shape())
                    + " must have the input's shape " + Shapes.str(input.shape()));
        }
        long[] ids = input.reshape(-1).toLongArray();
        int[] bagOf = new int[ids.length];
        int bags;
        if (input.dim() == 2) {
            if (offsets != null) {
                throw new IllegalArgumentException(name + ": with a 2-d input " + Shapes.str(input.shape()) + " (one bag a row), offsets must be null");
            }
            bags = input.size(0);
            for (int t = 0; t < ids.length; t++) {
                bagOf[t] = t / input.size(1);
            }
        } else if (input.dim() == 1) {
            bags = bagsFromOffsets(name, offsets, ids.length, bagOf);
        } else {
            throw new IllegalArgumentException(name + ": input must be 1-d (with offsets) or 2-d (bags, length), got " + Shapes.str(input.shape()));
        }
        // Entries that take part, and each bag's own.
        List<List<Integer>> members = new ArrayList<>();
        for (int b = 0; b < bags; b++) {
            members.add(new ArrayList<>());
        }
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] < 0 || ids[t] >= numEmbeddings) {
                throw new IndexOutOfBoundsException(name + "(" + numEmbeddings + ", " + embeddingDim + "): indices must be in 0.."
                        + (numEmbeddings - 1) + ", got " + ids[t] + " at position " + t);
            }
            if (bagOf[t] >= 0 && (paddingIdx == null || ids[t] != paddingIdx)) {
                members.get(bagOf[t]).add(t);
            }
        }
        Tensor out = mode == Mode.MAX ? maxima(ids, members) : sums(ids, members, perSampleWeights, bags);
        return traced(out);
    }

    /**
     * Bag of each entry from offsets (the last one the end when includeLastOffset), -1 for entries
     * past the last bag's end; returns the number of bags.
     */
    private int bagsFromOffsets(String name, Tensor offsets, int n, int[] bagOf) {
        if (offsets == null || offsets.dim() != 1 || offsets.dtype() != DType.INT64) {
            throw new IllegalArgumentException(name + ": a 1-d input needs 1-d int64 offsets (where each bag starts), got "
                    + (offsets == null ? "none" : offsets.dtype() + " " + Shapes.str(offsets.shape())));
        }
        long[] off = offsets.toLongArray();
        int bags = includeLastOffset ? off.length - 1 : off.length;
        if (bags < 0 || off.length > 0 && off[0] != 0) {
            throw new IllegalArgumentException(name + ": offsets[0] must be 0 (the first bag starts at the first entry), got "
                    + java.util.Arrays.toString(off));
        }
        for (int b = 0; b < off.length; b++) {
            if (off[b] > n || b > 0 && off[b] < off[b - 1]) {
                throw new IllegalArgumentException(name + ": offsets must be non-decreasing and at most the input's length " + n + ", got "
                        + java.util.Arrays.toString(off));
            }
        }
        java.util.Arrays.fill(bagOf, -1);
        for (int b = 0; b < bags; b++) {
            long end = b + 1 < off.length ? off[b + 1] : n;
            for (long t = off[b]; t < end; t++) {
                bagOf[(int) t] = b;
            }
        }
        return bags;
    }

    /** Sum (weighted) or mean: the rows added into their bags in order, a mean divided by its count. */
    private Tensor sums(long[] ids, List<List<Integer>> members, Tensor perSampleWeights, int bags) {
        int n = countAll(members);
        long[] positions = new long[n];
        long[] rowIds = new long[n];
        long[] into = new long[n];
        int k = 0;
        for (int b = 0; b < bags; b++) {
            for (int t : members.get(b)) {
                positions[k] = t;
                rowIds[k] = ids[t];
                into[k++] = b;
            }
        }
        Tensor rows = weight.indexSelect(0, onWeights(rowIds));
        if (perSampleWeights != null) {
            rows = rows.mul(perSampleWeights.reshape(-1).indexSelect(0, onWeights(positions)).unsqueeze(1));
        }
        Tensor out = weight.newZeros(bags, embeddingDim).indexAdd(0, onWeights(into), rows, 1);
        if (mode == Mode.MEAN) {
            float[] counts = new float[bags];
            for (int b = 0; b < bags; b++) {
                counts[b] = Math.max(1, members.get(b).size());
            }
            out = out.div(Tensor.fromArray(counts, bags, 1).to(weight.device()));
        }
        return out;
    }

    /** Each bag's maximum per dim (the first row holding it gets the gradient), zeros for an empty bag. */
    private Tensor maxima(long[] ids, List<List<Integer>> members) {
        List<Tensor> rows = new ArrayList<>();
        for (List<Integer> bag : members) {
            if (bag.isEmpty()) {
                rows.add(weight.newZeros(embeddingDim));
                continue;
            }
            long[] rowIds = bag.stream().mapToLong(t -> ids[t]).toArray();
            rows.add(weight.indexSelect(0, onWeights(rowIds)).max(0, false).values());
        }
        return rows.isEmpty() ? weight.newZeros(0, embeddingDim) : Tensor.stack(rows, 0);
    }

    /** Host-side indices as an int64 tensor on the weight's device. */
    private Tensor onWeights(long[] indices) {
        return Tensor.fromArray(indices, indices.length).to(weight.device());
    }

    private static int countAll(List<List<Integer>> members) {
        int n = 0;
        for (List<Integer> m : members) {
            n += m.size();
        }
        return n;
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + ", mode=" + mode.name().toLowerCase(java.util.Locale.ROOT)
                + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "");
    }
}
