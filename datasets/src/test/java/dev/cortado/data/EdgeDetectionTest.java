package dev.cortado.data;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The synthetic edge-detection set: balance, geometry of each class, the domain shift, permutations and the configuration. */
class EdgeDetectionTest {
    private static final int RES = 28;
    /** Edges are at least 0.25 (byte 63), backgrounds at most 0.2 (byte 51): anything above this byte is edge. */
    private static final int EDGE = 57;

    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    private static EdgeDetection make(EdgeConfig c, EdgeDetection.Mode mode) {
        return EdgeDetection.generate(c, mode, 7);
    }

    /** Which rows (or columns) of an image are entirely edge, and whether every edge pixel lies in one of them. */
    private static boolean[] fullLines(Image img, boolean rows) {
        boolean[] full = new boolean[RES];
        for (int i = 0; i < RES; i++) {
            full[i] = true;
            for (int j = 0; j < RES; j++) {
                full[i] &= (rows ? img.get(i, j, 0) : img.get(j, i, 0)) > EDGE;
            }
        }
        return full;
    }

    private static int edgePixels(Image img) {
        int n = 0;
        for (byte b : img.pixels()) {
            n += (b & 0xFF) > EDGE ? 1 : 0;
        }
        return n;
    }

    @Test
    void classesAreBalancedAndLabelledInOrder() {
        EdgeDetection d = make(EdgeConfig.DEFAULT.dataPerClass(40), EdgeDetection.Mode.TEST);
        assertEquals(120, d.size());
        assertEquals(List.of("horizontal", "vertical", "none"), d.classes());
        long[] counts = new long[3];
        for (long l : d.labels()) {
            counts[(int) l]++;
        }
        assertArrayEquals(new long[] {40, 40, 40}, counts);
        Example e = d.get(45);
        assertEquals(1, e.label());
        assertArrayEquals(new int[] {1, RES, RES}, e.input().shape());
        assertArrayEquals(new int[] {120, 1, RES, RES}, d.images().shape());
    }

    @Test
    void straightEdgesFillWholeRowsOrColumnsOfTheirWidth() {
        EdgeDetection d = make(EdgeConfig.DEFAULT.dataPerClass(200).classTypes(EdgeClass.HORIZONTAL, EdgeClass.VERTICAL, EdgeClass.NONE),
                EdgeDetection.Mode.TEST);
        boolean[] widthSeen = new boolean[5];
        for (int i = 0; i < d.size(); i++) {
            Image img = d.image(i);
            int cls = (int) d.label(i);
            if (cls == 2) {
                assertEquals(0, edgePixels(img), "none image " + i + " has edge pixels");
                int v = img.get(0, 0, 0);
                assertTrue(v <= 51, "background " + v);
                for (byte b : img.pixels()) {
                    assertEquals(v, b & 0xFF, "none image " + i + " is not flat");
                }
                continue;
            }
            boolean[] full = fullLines(img, cls == 0);
            int lines = 0;
            int first = -1;
            int last = -1;
            for (int k = 0; k < RES; k++) {
                if (full[k]) {
                    lines++;
                    first = first < 0 ? k : first;
                    last = k;
                }
            }
            assertEquals(lines * RES, edgePixels(img), "image " + i + ": edge pixels outside full " + (cls == 0 ? "rows" : "columns"));
            assertTrue(lines >= 1 && lines <= 4, "image " + i + ": " + lines + " edge lines");
            assertEquals(lines, last - first + 1, "image " + i + ": one band, contiguous");
            assertTrue(first >= 1, "edges start at row/column 1 or later");
            if (last < RES - 1) {
                widthSeen[lines] = true;
            }
        }
        assertTrue(widthSeen[1] && widthSeen[2] && widthSeen[3] && widthSeen[4], "widths 1..4 all occur: " + Arrays.toString(widthSeen));
    }

    @Test
    void bothClassCrossesAHorizontalAndAVerticalBand() {
        EdgeDetection d = make(EdgeConfig.DEFAULT.dataPerClass(50).classTypes(EdgeClass.BOTH), EdgeDetection.Mode.TEST);
        for (int i = 0; i < d.size(); i++) {
            Image img = d.image(i);
            boolean[] rows = fullLines(img, true);
            boolean[] cols = fullLines(img, false);
            int r = 0;
            int c = 0;
            for (int k = 0; k < RES; k++) {
                r += rows[k] ? 1 : 0;
                c += cols[k] ? 1 : 0;
            }
            assertTrue(r >= 1 && c >= 1, "image " + i + ": " + r + " full rows, " + c + " full columns");
            assertEquals(r * RES + c * RES - r * c, edgePixels(img), "image " + i + ": only the cross is edge");
        }
    }

    /** The orientation of the edge pixels' principal axis in degrees [0, 180), y pointing down. */
    private static double orientation(Image img) {
        double n = 0, my = 0, mx = 0;
        for (int y = 0; y < RES; y++) {
            for (int x = 0; x < RES; x++) {
                if (img.get(y, x, 0) > EDGE) {
                    n++;
                    my += y;
                    mx += x;
                }
            }
        }
        my /= n;
        mx /= n;
        double sxx = 0, syy = 0, sxy = 0;
        for (int y = 0; y < RES; y++) {
            for (int x = 0; x < RES; x++) {
                if (img.get(y, x, 0) > EDGE) {
                    sxx += (x - mx) * (x - mx);
                    syy += (y - my) * (y - my);
                    sxy += (x - mx) * (y - my);
                }
            }
        }
        double deg = Math.toDegrees(0.5 * Math.atan2(2 * sxy, sxx - syy));
        return (deg + 180) % 180;
    }

    @Test
    void diagonalEdgesAreBandsRotatedByTheNotebookAngles() {
        EdgeDetection d = make(EdgeConfig.DEFAULT.dataPerClass(200).classTypes(EdgeClass.DIAGONAL), EdgeDetection.Mode.TEST);
        // Counter-clockwise on screen with y down: a horizontal band at +30° runs at 150° in image coordinates.
        double[] allowed = {150, 135, 60, 45};
        Map<Integer, Integer> seen = new HashMap<>();
        for (int i = 0; i < d.size(); i++) {
            Image img = d.image(i);
            assertTrue(edgePixels(img) >= 5, "diagonal image " + i + " shows its edge");
            double o = orientation(img);
            int best = 0;
            for (int a = 1; a < allowed.length; a++) {
                if (Math.abs(allowed[a] - o) < Math.abs(allowed[best] - o)) {
                    best = a;
                }
            }
            assertTrue(Math.abs(allowed[best] - o) < 8, "image " + i + ": edge runs at " + o + "°");
            seen.merge((int) allowed[best], 1, Integer::sum);
        }
        assertEquals(4, seen.size(), "all four orientations occur: " + seen);
    }

    @Test
    void domainShiftPutsTrainingEdgesFirstAndValidationEdgesAfter() {
        EdgeConfig c = EdgeConfig.DEFAULT.dataPerClass(150).possibleEdgeLocationRatio(0.5);
        int split = 14;
        for (EdgeDetection.Mode mode : EdgeDetection.Mode.values()) {
            EdgeDetection d = make(c, mode);
            boolean before = false;
            boolean after = false;
            for (int i = 0; i < 2 * 150; i++) {
                boolean[] full = fullLines(d.image(i), d.label(i) == 0);
                for (int k = 0; k < RES; k++) {
                    if (full[k]) {
                        before |= k < split;
                        after |= k >= split;
                        if (mode == EdgeDetection.Mode.TRAIN) {
                            assertTrue(k >= 1 && k < split, "training image " + i + " has an edge at " + k);
                        } else if (mode == EdgeDetection.Mode.VALID) {
                            assertTrue(k >= split, "validation image " + i + " has an edge at " + k);
                        }
                    }
                }
            }
            assertEquals(mode != EdgeDetection.Mode.VALID, before, mode + ": edges in the first part");
            assertEquals(mode != EdgeDetection.Mode.TRAIN, after, mode + ": edges in the second part");
        }
    }

    @Test
    void permutationShufflesPixelsAndItsInverseRestoresThem() {
        PixelPermutation p = PixelPermutation.random(RES * RES, 3);
        EdgeConfig plainConfig = EdgeConfig.DEFAULT.dataPerClass(20);
        EdgeDetection plain = make(plainConfig, EdgeDetection.Mode.TRAIN);
        EdgeDetection permuted = make(plainConfig.permutation(p), EdgeDetection.Mode.TRAIN);
        Tensor a = plain.images();
        Tensor b = permuted.images();
        assertFalse(Arrays.equals(a.toFloatArray(), b.toFloatArray()));
        assertArrayEquals(b.toFloatArray(), p.apply(a).toFloatArray());
        assertArrayEquals(a.toFloatArray(), p.undo(b).toFloatArray());
        assertEquals(plain.mean(), permuted.mean(), 1e-12);
        for (int k = 0; k < p.size(); k++) {
            assertEquals(k, p.inverse()[p.forward()[k]]);
        }
        assertMessage(() -> p.apply(Tensor.zeros(2, 27, 28)), "PixelPermutation.apply", "(2, 27, 28)", "784");
        assertMessage(() -> PixelPermutation.of(new int[] {0, 0, 1}), "not a permutation");
        assertMessage(() -> plainConfig.permutation(PixelPermutation.random(10, 1)), "permutation has 10 entries", "784 pixels");
    }

    @Test
    void sameSeedSameImagesAndStatisticsMatchThePixels() {
        EdgeConfig c = EdgeConfig.DEFAULT.dataPerClass(30).classTypes(EdgeClass.values());
        EdgeDetection a = EdgeDetection.generate(c, EdgeDetection.Mode.TRAIN, 11);
        EdgeDetection b = EdgeDetection.generate(c, EdgeDetection.Mode.TRAIN, 11);
        EdgeDetection other = EdgeDetection.generate(c, EdgeDetection.Mode.TRAIN, 12);
        EdgeDetection valid = EdgeDetection.generate(c, EdgeDetection.Mode.VALID, 11);
        assertArrayEquals(a.images().toFloatArray(), b.images().toFloatArray());
        assertFalse(Arrays.equals(a.images().toFloatArray(), other.images().toFloatArray()));
        assertFalse(Arrays.equals(a.images().toFloatArray(), valid.images().toFloatArray()), "train and valid draw different images");
        float[] px = a.images().toFloatArray();
        double mean = 0;
        for (float v : px) {
            mean += v;
        }
        mean /= px.length;
        double var = 0;
        for (float v : px) {
            var += (v - mean) * (v - mean);
        }
        // Stored pixels are floor(255 x), so they sit up to 1/255 below the generated values.
        assertEquals(a.mean(), mean, 1.0 / 255);
        assertEquals(a.std(), Math.sqrt(var / px.length), 2.0 / 255);
        assertTrue(a.mean() > 0.05 && a.mean() < 0.4 && a.std() > 0.05, "mean " + a.mean() + ", std " + a.std());
    }

    @Test
    void notebookDictionaryKeysAndTheirErrors() {
        Map<String, Object> m = new HashMap<>();
        m.put("data_per_class", 10);
        m.put("num_classes", 5);
        m.put("class_type", List.of("horizontal", "vertical", "diagonal", "both", "none"));
        m.put("possible_edge_location_ratio", 0.5);
        m.put("max_edge_width", 3);
        EdgeConfig c = EdgeConfig.fromMap(m);
        assertEquals(10, c.dataPerClass());
        assertEquals(5, c.numClasses());
        assertEquals(14, c.possibleEdgeLocation());
        assertEquals(3, c.maxEdgeWidth());
        assertEquals(0.25, c.minEdgeIntensity());
        assertEquals(c.classTypes(), List.of(EdgeClass.values()));
        assertEquals(EdgeConfig.DEFAULT, EdgeConfig.fromMap(Map.of()));

        m.put("num_classes", 3);
        assertMessage(() -> EdgeConfig.fromMap(m), "num_classes 3", "5 entries of class_type");
        assertMessage(() -> EdgeConfig.fromMap(Map.of("class_type", List.of("slanted"))), "class_type 'slanted'", "horizontal");
        assertMessage(() -> EdgeConfig.fromMap(Map.of("data_per_clas", 3)), "unknown configuration keys [data_per_clas]");
        assertMessage(() -> EdgeConfig.fromMap(Map.of("data_per_class", 2.5)), "data_per_class must be a whole number");
        assertMessage(() -> EdgeConfig.fromMap(Map.of("use_permutation", true)), "use_permutation needs a permutater");
        int[] order = PixelPermutation.random(RES * RES, 1).forward();
        assertArrayEquals(order, EdgeConfig.fromMap(Map.of("use_permutation", true, "permutater", order)).permutation().forward());
        assertMessage(() -> EdgeConfig.DEFAULT.possibleEdgeLocationRatio(0.05), "splits 28 rows at 1");
        assertMessage(() -> EdgeConfig.DEFAULT.possibleEdgeLocationRatio(1.5), "(0, 1]");
        assertMessage(() -> EdgeConfig.fromMap(Map.of("min_edge_width", 5)), "min_edge_width <= max_edge_width");
        assertMessage(() -> EdgeConfig.fromMap(Map.of("num_vertical_edge", 0)), "class_type vertical needs at least one edge");
        assertMessage(() -> EdgeConfig.fromMap(Map.of("max_background_intensity", 1.5)), "background intensities");
        assertMessage(() -> make(EdgeConfig.DEFAULT.dataPerClass(2), EdgeDetection.Mode.TEST).image(6), "EdgeDetection: index 6", "6 samples");
    }
}
