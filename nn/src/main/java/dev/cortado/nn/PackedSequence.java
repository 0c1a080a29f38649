package dev.cortado.nn;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PyTorch's {@code PackedSequence} and the {@code torch.nn.utils.rnn} functions that make and
 * undo one: a batch of sequences of different lengths stored without padding. {@link #data()}
 * holds step 0 of every sequence, then step 1 of those that have one, and so on, sequences
 * ordered longest first; {@link #batchSizes()} says how many sequences each step has. The
 * recurrent layers take one and give their outputs packed the same way. Sequences of equal
 * length keep their batch order (PyTorch's sort may order them otherwise past 16 sequences).
 */
public final class PackedSequence {
    /** {@link #padPackedSequence}'s result: the padded batch and each sequence's length (int64), in the batch's own order. */
    public record Padded(Tensor output, Tensor lengths) {
    }

    private final Tensor data;
    private final int[] batchSizes;
    /** The batch position of the i-th longest sequence, and its inverse; both null when the batch was given sorted. */
    private final int[] sorted;
    private final int[] unsorted;
    /** Each sequence's length, in the batch's own order. */
    private final int[] lengths;

    private PackedSequence(Tensor data, int[] batchSizes, int[] sorted, int[] unsorted, int[] lengths) {
        this.data = data;
        this.batchSizes = batchSizes;
        this.sorted = sorted;
        this.unsorted = unsorted;
        this.lengths = lengths;
    }

    /** The steps of every sequence, packed: (total length, *). */
    public Tensor data() {
        return data;
    }

    /** How many sequences each step has (int64, on the CPU, as PyTorch keeps it). */
    public Tensor batchSizes() {
        return Tensor.fromArray(Arrays.stream(batchSizes).asLongStream().toArray());
    }

    /** The batch position of each sequence in packed order (int64), or null when the batch was given sorted. */
    public Tensor sortedIndices() {
        return sorted == null ? null : Tensor.fromArray(Arrays.stream(sorted).asLongStream().toArray(), new int[] {sorted.length}, data.device());
    }

    /** Each batch position's place in packed order (int64), or null when the batch was given sorted. */
    public Tensor unsortedIndices() {
        return unsorted == null ? null : Tensor.fromArray(Arrays.stream(unsorted).asLongStream().toArray(), new int[] {unsorted.length},
                data.device());
    }

    /** The same sequences with their data on device. */
    public PackedSequence to(Device device) {
        return withData(data.to(device));
    }

    /**
     * {@code pack_padded_sequence(input, lengths, batch_first, enforce_sorted)}: input (T, B, *)
     * ((B, T, *) with batchFirst) holds sequence b in its first lengths[b] steps. With
     * enforceSorted the lengths must not increase along the batch.
     */
    public static PackedSequence packPaddedSequence(Tensor input, int[] lengths, boolean batchFirst, boolean enforceSorted) {
        String op = "pack_padded_sequence";
        if (input.dim() < 2) {
            throw new IllegalArgumentException(op + ": expected an input " + (batchFirst ? "(B, T, *)" : "(T, B, *)") + ", got "
                    + Shapes.str(input.shape()));
        }
        Tensor x = batchFirst ? input.transpose(0, 1) : input;
        int steps = x.size(0);
        int batch = x.size(1);
        if (batch == 0 || steps == 0) {
            throw new IllegalArgumentException(op + ": cannot pack empty tensors, got " + Shapes.str(input.shape()));
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException(op + ": expected len(lengths) to be equal to batch_size, but got " + lengths.length
                    + " (batch_size=" + batch + ")");
        }
        for (int length : lengths) {
            if (length <= 0) {
                throw new IllegalArgumentException(op + ": length of all samples has to be greater than 0, but found " + length + " in "
                        + Arrays.toString(lengths));
            }
            if (length > steps) {
                throw new IllegalArgumentException(op + ": a length of " + length + " in " + Arrays.toString(lengths) + " exceeds the "
                        + steps + " steps of the input " + Shapes.str(input.shape()));
            }
        }
        int[] sorted = null;
        int[] unsorted = null;
        if (enforceSorted) {
            for (int b = 1; b < batch; b++) {
                if (lengths[b] > lengths[b - 1]) {
                    throw new IllegalArgumentException(op + ": lengths " + Arrays.toString(lengths) + " must be sorted in decreasing order "
                            + "when enforce_sorted is true; pass enforceSorted=false to sidestep this requirement");
                }
            }
        } else {
            sorted = java.util.stream.IntStream.range(0, batch).boxed().sorted((a, b) -> Integer.compare(lengths[b], lengths[a]))
                    .mapToInt(Integer::intValue).toArray();
            unsorted = new int[batch];
            for (int i = 0; i < batch; i++) {
                unsorted[sorted[i]] = i;
            }
        }
        int longest = Arrays.stream(lengths).max().orElse(0);
        int[] batchSizes = new int[longest];
        for (int length : lengths) {
            for (int t = 0; t < length; t++) {
                batchSizes[t]++;
            }
        }
        PackedSequence shape = new PackedSequence(null, batchSizes, sorted, unsorted, lengths.clone());
        return shape.withData(shape.pack(x.narrow(0, 0, longest)));
    }

    /** As {@link #packPaddedSequence(Tensor, int[], boolean, boolean)}, the lengths given as a 1-d integer tensor. */
    public static PackedSequence packPaddedSequence(Tensor input, Tensor lengths, boolean batchFirst, boolean enforceSorted) {
        if (lengths.dim() != 1 || lengths.dtype() != DType.INT64) {
            throw new IllegalArgumentException("pack_padded_sequence: lengths must be a 1-d int64 tensor, got " + lengths.dtype() + " "
                    + Shapes.str(lengths.shape()));
        }
        return packPaddedSequence(input, Arrays.stream(lengths.toLongArray()).mapToInt(Math::toIntExact).toArray(), batchFirst, enforceSorted);
    }

    /**
     * {@code pad_packed_sequence(sequence, batch_first, padding_value, total_length)}: the padded
     * batch (T, B, *) ((B, T, *) with batchFirst) in the batch's own order, T the longest length
     * or totalLength when that is not 0, and the lengths.
     */
    public static Padded padPackedSequence(PackedSequence sequence, boolean batchFirst, double paddingValue, int totalLength) {
        int longest = sequence.batchSizes.length;
        if (totalLength != 0 && totalLength < longest) {
            throw new IllegalArgumentException("pad_packed_sequence: expected total_length to be at least the length of the longest sequence "
                    + "in input, but got total_length=" + totalLength + " and max sequence length being " + longest);
        }
        Tensor padded = sequence.padded(paddingValue);
        if (totalLength > longest) {
            int[] shape = padded.shape();
            shape[0] = totalLength - longest;
            padded = Tensor.cat(List.of(padded, padded.newFull(shape, paddingValue)), 0);
        }
        Tensor lengths = Tensor.fromArray(Arrays.stream(sequence.lengths).asLongStream().toArray());
        return new Padded(batchFirst ? padded.transpose(0, 1) : padded, lengths);
    }

    public static Padded padPackedSequence(PackedSequence sequence, boolean batchFirst) {
        return padPackedSequence(sequence, batchFirst, 0, 0);
    }

    /**
     * {@code pad_sequence(sequences, batch_first, padding_value)}: sequences (L_i, *) of one
     * trailing shape stacked into (max L, B, *) ((B, max L, *) with batchFirst), padded at the end.
     */
    public static Tensor padSequence(List<Tensor> sequences, boolean batchFirst, double paddingValue) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("pad_sequence: received an empty list of sequences");
        }
        Tensor first = sequences.get(0);
        int longest = 0;
        for (Tensor s : sequences) {
            if (s.dim() < 1 || s.dim() != first.dim()
                    || !Arrays.equals(Arrays.copyOfRange(s.shape(), 1, s.dim()), Arrays.copyOfRange(first.shape(), 1, first.dim()))) {
                throw new IllegalArgumentException("pad_sequence: every sequence must be (L, *) with one trailing shape, got "
                        + Shapes.str(first.shape()) + " and " + Shapes.str(s.shape()));
            }
            longest = Math.max(longest, s.size(0));
        }
        List<Tensor> columns = new ArrayList<>();
        for (Tensor s : sequences) {
            Tensor column = s;
            if (s.size(0) < longest) {
                int[] shape = s.shape();
                shape[0] = longest - s.size(0);
                column = Tensor.cat(List.of(s, s.newFull(shape, paddingValue)), 0);
            }
            columns.add(column);
        }
        return Tensor.stack(columns, batchFirst ? 0 : 1);
    }

    /** {@code pack_sequence(sequences, enforce_sorted)}: sequences (L_i, *) padded, then packed. */
    public static PackedSequence packSequence(List<Tensor> sequences, boolean enforceSorted) {
        int[] lengths = sequences.stream().mapToInt(s -> s.dim() == 0 ? 0 : s.size(0)).toArray();
        return packPaddedSequence(padSequence(sequences, false, 0), lengths, false, enforceSorted);
    }

    /** These sequences' batch structure with other data (a layer's outputs). */
    PackedSequence withData(Tensor packed) {
        return new PackedSequence(packed, batchSizes, sorted, unsorted, lengths);
    }

    /** Each sequence's length, in the batch's own order. */
    int[] lengthArray() {
        return lengths.clone();
    }

    /** Packs a padded (T, B, *) batch in the batch's own order, T at least the longest length, into this structure's order. */
    Tensor pack(Tensor padded) {
        int batch = lengths.length;
        int total = Arrays.stream(batchSizes).sum();
        long[] rows = new long[total];
        int k = 0;
        for (int t = 0; t < batchSizes.length; t++) {
            for (int i = 0; i < batchSizes[t]; i++) {
                rows[k++] = (long) t * batch + (sorted == null ? i : sorted[i]);
            }
        }
        int[] flat = padded.shape();
        int[] merged = new int[flat.length - 1];
        merged[0] = flat[0] * flat[1];
        System.arraycopy(flat, 2, merged, 1, flat.length - 2);
        return padded.reshape(merged).indexSelect(0, Tensor.fromArray(rows, new int[] {total}, padded.device()));
    }

    /** The padded (T, B, *) batch in the batch's own order, T the longest length. */
    Tensor padded(double paddingValue) {
        int batch = lengths.length;
        int steps = batchSizes.length;
        int total = data.size(0);
        int[] offsets = new int[steps];
        for (int t = 1; t < steps; t++) {
            offsets[t] = offsets[t - 1] + batchSizes[t - 1];
        }
        long[] rows = new long[steps * batch];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                // Past a sequence's end, the extra row of padding appended below.
                rows[t * batch + b] = t < lengths[b] ? offsets[t] + (unsorted == null ? b : unsorted[b]) : total;
            }
        }
        int[] padRow = data.shape();
        padRow[0] = 1;
        Tensor withPad = Tensor.cat(List.of(data, data.newFull(padRow, paddingValue)), 0);
        int[] shape = new int[data.dim() + 1];
        shape[0] = steps;
        shape[1] = batch;
        System.arraycopy(data.shape(), 1, shape, 2, data.dim() - 1);
        return withPad.indexSelect(0, Tensor.fromArray(rows, new int[] {rows.length}, data.device())).reshape(shape);
    }

    @Override
    public String toString() {
        return "PackedSequence(data=" + data + ", batch_sizes=" + Arrays.toString(batchSizes) + ", sorted_indices="
                + (sorted == null ? "None" : Arrays.toString(sorted)) + ", unsorted_indices=" + (unsorted == null ? "None" : Arrays.toString(unsorted))
                + ")";
    }
}
