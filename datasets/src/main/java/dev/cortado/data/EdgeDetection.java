package dev.cortado.data;

import dev.cortado.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The synthetic edge-detection set of the inductive-bias study: 1-channel images of a flat
 * background with horizontal, vertical, diagonal, crossed or no bands, one class per
 * {@link EdgeClass} of the configuration, {@code dataPerClass} images each (class-major order).
 *
 * <p>Per image: a background level uniform in [min, max) background intensity; per edge a width
 * uniform in [min, max] edge width (diagonal edges at most {@code floor(max / √2)}, since rotation
 * widens them), a first row (or column) uniform in [1, resolution) and an intensity uniform in
 * [min, max) edge intensity. Bands are clipped at the image border (or, under a domain shift, at
 * the boundary of the part they belong to) and are never empty. A diagonal edge is a horizontal
 * (even image index) or vertical (odd) band rotated about the centre by 30, 45, 120 or 135
 * degrees. Pixels are stored as 8-bit values {@code floor(255 · x)}, as the notebook's uint8
 * images are; {@link #mean()} and {@link #std()} are those of the generated float images.
 *
 * <p>The same (configuration, mode, seed) always gives the same images; each class draws from its
 * own stream, so classes are generated in parallel.
 */
public final class EdgeDetection implements Dataset<Example> {
    /** Which part of a domain shift the images come from; TEST (and every mode without a shift) uses the whole image. */
    public enum Mode { TRAIN, VALID, TEST }

    private static final double[] ANGLES = {30, 45, 120, 135};

    private final EdgeConfig config;
    private final Mode mode;
    private final byte[] pixels;
    private final double mean;
    private final double std;
    private final Transform<Image, Tensor> transform;

    private EdgeDetection(EdgeConfig config, Mode mode, byte[] pixels, double mean, double std, Transform<Image, Tensor> transform) {
        this.config = config;
        this.mode = mode;
        this.pixels = pixels;
        this.mean = mean;
        this.std = std;
        this.transform = transform;
    }

    /** Generates the set with {@link Transforms#toTensor()} as the sample transform. */
    public static EdgeDetection generate(EdgeConfig config, Mode mode, long seed) {
        return generate(config, mode, seed, Transforms.toTensor());
    }

    public static EdgeDetection generate(EdgeConfig config, Mode mode, long seed, Transform<Image, Tensor> transform) {
        int res = config.spatialResolution();
        int pixelsPerImage = res * res;
        int perClass = config.dataPerClass();
        int classes = config.numClasses();
        byte[] pixels = new byte[classes * perClass * pixelsPerImage];
        double[][] moments = new double[classes][];
        IntStream.range(0, classes).parallel().forEach(k -> {
            SplittableRandom random = new SplittableRandom(streamSeed(seed, mode, k));
            float[] img = new float[pixelsPerImage];
            float[] permuted = config.permutation() == null ? null : new float[pixelsPerImage];
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < perClass; i++) {
                draw(config, mode, config.classTypes().get(k), i, random, img);
                float[] out = img;
                if (permuted != null) {
                    config.permutation().apply(img, 0, permuted, 0);
                    out = permuted;
                }
                int base = (k * perClass + i) * pixelsPerImage;
                for (int p = 0; p < pixelsPerImage; p++) {
                    float v = out[p];
                    sum += v;
                    sumSq += (double) v * v;
                    pixels[base + p] = (byte) Math.min(255, (int) (v * 255));
                }
            }
            moments[k] = new double[] {sum, sumSq};
        });
        double sum = 0;
        double sumSq = 0;
        for (double[] m : moments) {
            sum += m[0];
            sumSq += m[1];
        }
        double n = (double) pixels.length;
        double mean = sum / n;
        double std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        return new EdgeDetection(config, mode, pixels, mean, std, transform);
    }

    private static long streamSeed(long seed, Mode mode, int classIndex) {
        long z = seed * 0x9E3779B97F4A7C15L + (((long) mode.ordinal() << 32) | classIndex);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Draws image {@code index} of a class into {@code img} (overwriting it). */
    private static void draw(EdgeConfig c, Mode mode, EdgeClass type, int index, SplittableRandom random, float[] img) {
        int res = c.spatialResolution();
        float background = (float) uniform(random, c.minBackgroundIntensity(), c.maxBackgroundIntensity());
        java.util.Arrays.fill(img, background);
        switch (type) {
            case HORIZONTAL -> bands(c, mode, random, img, true, c.numHorizontalEdge());
            case VERTICAL -> bands(c, mode, random, img, false, c.numVerticalEdge());
            case BOTH -> {
                bands(c, mode, random, img, true, c.numHorizontalEdge());
                bands(c, mode, random, img, false, c.numVerticalEdge());
            }
            case DIAGONAL -> {
                int maxWidth = Math.max(c.minEdgeWidth(), (int) (c.maxEdgeWidth() / Math.sqrt(2)));
                for (int e = 0; e < c.numDiagonalEdge(); e++) {
                    int[] span = span(c, mode, random, maxWidth);
                    float value = (float) uniform(random, c.minEdgeIntensity(), c.maxEdgeIntensity());
                    double angle = ANGLES[random.nextInt(ANGLES.length)];
                    EdgeRaster.rotatedBand(img, res, index % 2 == 0, span[0], span[1], value, angle);
                }
            }
            case NONE -> {
            }
        }
    }

    private static void bands(EdgeConfig c, Mode mode, SplittableRandom random, float[] img, boolean horizontal, int count) {
        for (int e = 0; e < count; e++) {
            int[] span = span(c, mode, random, c.maxEdgeWidth());
            float value = (float) uniform(random, c.minEdgeIntensity(), c.maxEdgeIntensity());
            EdgeRaster.band(img, c.spatialResolution(), horizontal, span[0], span[1], value);
        }
    }

    /** The rows (or columns) [start, end) of one band: the domain shift decides where it may lie. */
    private static int[] span(EdgeConfig c, Mode mode, SplittableRandom random, int maxWidth) {
        int res = c.spatialResolution();
        int lo = 1;
        int hi = res;
        if (c.domainShift() && mode == Mode.TRAIN) {
            hi = c.possibleEdgeLocation();
        } else if (c.domainShift() && mode == Mode.VALID) {
            lo = c.possibleEdgeLocation();
        }
        int width = c.minEdgeWidth() + random.nextInt(maxWidth - c.minEdgeWidth() + 1);
        int start = lo + random.nextInt(hi - lo);
        return new int[] {start, Math.min(start + width, hi)};
    }

    private static double uniform(SplittableRandom random, double lo, double hi) {
        return lo == hi ? lo : lo + (hi - lo) * random.nextDouble();
    }

    @Override
    public int size() {
        return config.numClasses() * config.dataPerClass();
    }

    public EdgeConfig config() {
        return config;
    }

    public Mode mode() {
        return mode;
    }

    /** Mean of all generated pixel values (before 8-bit storage), for {@code Normalize}. */
    public double mean() {
        return mean;
    }

    /** Population standard deviation of all generated pixel values. */
    public double std() {
        return std;
    }

    /** The class names, in label order: the configuration's class types. */
    public List<String> classes() {
        return config.classTypes().stream().map(EdgeClass::key).toList();
    }

    public Image image(int index) {
        Dataset.checkIndex("EdgeDetection", index, size());
        int n = config.spatialResolution() * config.spatialResolution();
        byte[] px = new byte[n];
        System.arraycopy(pixels, index * n, px, 0, n);
        return new Image(px, config.spatialResolution(), config.spatialResolution(), 1);
    }

    public long label(int index) {
        Dataset.checkIndex("EdgeDetection", index, size());
        return index / config.dataPerClass();
    }

    public long[] labels() {
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = i / config.dataPerClass();
        }
        return out;
    }

    /** All images as one (N, 1, H, W) tensor in [0, 1], without the sample transform. */
    public Tensor images() {
        int res = config.spatialResolution();
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (pixels[i] & 0xFF) / 255f;
        }
        return Tensor.fromArray(out, size(), 1, res, res);
    }

    @Override
    public Example get(int index) {
        return new Example(transform.apply(image(index)), label(index));
    }
}
