package dev.cortado.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The input gradient of a strided depthwise convolution, a plane at a time, split by phase: the
 * input positions whose padded row and column leave remainders (α, β) modulo the strides receive
 * only the taps (i, j) with i·dH ≡ α and j·dW ≡ β, each from the output gradient shifted by
 * (i·dH / sH, j·dW / sW). Each phase is thus a stride-1 pass of a part of the kernel over the
 * zero-framed output gradient, run by {@link DepthwisePlanes#compute}'s register blocks, and the
 * phases are interleaved back into the input rows. Every input position is written once, with no
 * scattered adds.
 */
final class DepthwiseStridedGradient extends DepthwiseGeometry {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Lanes 0, 0, 1, 1, ... and L/2, L/2, ...: two phase rows' values zipped, blended on odd lanes. */
    private static final VectorShuffle<Float> ZIP_LOW = VectorShuffle.fromOp(S, i -> i / 2);
    private static final VectorShuffle<Float> ZIP_HIGH = VectorShuffle.fromOp(S, i -> L / 2 + i / 2);
    private static final VectorMask<Float> ODD_LANES = VectorMask.fromLong(S, 0xAAAAAAAAAAAAAAAAL);

    private static final Scratch FRAMED = new Scratch();
    private static final Scratch PHASES = new Scratch();
    private static final Scratch ROW = new Scratch();

    /** Phase rows and columns covering the padded input; the framed gradient's row width. */
    private final int hq;
    private final int wq;
    private final int wg;
    /** Where the output gradient starts in its frame: the largest tap shifts. */
    private final int top;
    private final int left;
    private final int framedSize;
    /**
     * The output gradient's rows and columns that reach an input: where the padding exceeds the
     * kernel's reach the last ones read padding only, and the frame has no room for them.
     */
    private final int usedRows;
    private final int usedColumns;
    private final int computed;
    /** Per phase (α·sW + β), its taps' offsets in the frame and indices in the channel's weights. */
    private final int[][] offsets;
    private final int[][] indices;

    DepthwiseStridedGradient(int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        super(h, w, oh, ow, kh, kw, sh, sw, ph, pw);
        this.hq = (ph + h - 1) / sh + 1;
        this.wq = (pw + w - 1) / sw + 1;
        this.top = (kh - 1) * dh / sh;
        this.left = (kw - 1) * dw / sw;
        this.wg = wq + left;
        this.computed = (hq * wg + DepthwisePlanes.BLOCK - 1) / DepthwisePlanes.BLOCK * DepthwisePlanes.BLOCK;
        this.usedRows = Math.min(oh, hq);
        this.usedColumns = Math.min(ow, wq);
        int rows = Math.max(usedRows + top, (computed + top * wg + left + wg - 1) / wg);
        this.framedSize = rows * wg;
        int phases = sh * sw;
        int[] count = new int[phases];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                count[(i * dh % sh) * sw + j * dw % sw]++;
            }
        }
        this.offsets = new int[phases][];
        this.indices = new int[phases][];
        for (int f = 0; f < phases; f++) {
            offsets[f] = new int[count[f]];
            indices[f] = new int[count[f]];
        }
        int[] filled = new int[phases];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int f = (i * dh % sh) * sw + j * dw % sw;
                // Input row Y' takes the output-gradient row Y' − i·dH / sH, at frame row Y' + top − that shift.
                offsets[f][filled[f]] = (top - i * dh / sh) * wg + left - j * dw / sw;
                indices[f][filled[f]++] = i * kw + j;
            }
        }
    }

    /** gi's planes (h × w, from giOff) from go's (oh × ow, from goOff); plane p is channel p mod c with weights[wOff + channel·taps ...]. */
    void run(float[] gi, int giOff, float[] go, int goOff, float[] weights, int wOff, int planes, int c) {
        int grain = Math.max(1, 8192 / Math.max(1, h * w));
        Parallel.forRange(planes, grain, (from, to) -> {
            float[] framed = FRAMED.get(framedSize);
            float[] phases = PHASES.get(sw * (computed + L));
            float[] row = ROW.get(wq * sw + 2 * L);
            java.util.Arrays.fill(framed, 0, framedSize, 0f);
            for (int pl = from; pl < to; pl++) {
                int base = goOff + pl * oh * ow;
                for (int oy = 0; oy < usedRows; oy++) {
                    System.arraycopy(go, base + oy * ow, framed, (oy + top) * wg + left, usedColumns);
                }
                int wBase = wOff + (pl % c) * taps;
                int d = giOff + pl * h * w;
                for (int a = 0; a < sh; a++) {
                    for (int b = 0; b < sw; b++) {
                        int f = a * sw + b;
                        DepthwisePlanes.compute(framed, offsets[f], indices[f], offsets[f].length, weights, wBase, 0f, phases,
                                computed, b * (computed + L));
                    }
                    for (int yq = 0; yq < hq; yq++) {
                        int iy = yq * sh + a - ph;
                        if (iy >= 0 && iy < h) {
                            writeRow(phases, yq * wg, row, gi, d + iy * w);
                        }
                    }
                }
            }
        });
    }

    /** Interleaves the phase rows at {@code at} into the padded input row, then copies its w inner values to gi. */
    private void writeRow(float[] phases, int at, float[] row, float[] gi, int to) {
        if (sw == 1) {
            System.arraycopy(phases, at + pw, gi, to, w);
            return;
        }
        if (sw == 2) {
            int odd = computed + L;
            for (int k = 0; k < wq; k += L) {
                FloatVector even = FloatVector.fromArray(S, phases, at + k);
                FloatVector next = FloatVector.fromArray(S, phases, odd + at + k);
                even.rearrange(ZIP_LOW).blend(next.rearrange(ZIP_LOW), ODD_LANES).intoArray(row, 2 * k);
                even.rearrange(ZIP_HIGH).blend(next.rearrange(ZIP_HIGH), ODD_LANES).intoArray(row, 2 * k + L);
            }
        } else {
            for (int b = 0; b < sw; b++) {
                int from = b * (computed + L) + at;
                for (int k = 0; k < wq; k++) {
                    row[k * sw + b] = phases[from + k];
                }
            }
        }
        System.arraycopy(row, pw, gi, to, w);
    }
}
