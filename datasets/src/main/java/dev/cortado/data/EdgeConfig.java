package dev.cortado.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The domain configuration of the synthetic edge-detection set, with the inductive-bias notebook's
 * keys and defaults: 1,000 images per class of horizontal / vertical / none at 28×28, edges 1–4
 * pixels wide of intensity 0.25–1 on a flat background of 0–0.2, one edge of each kind per image,
 * edges anywhere and no pixel permutation. {@link #fromMap} reads the notebook's dictionary keys.
 *
 * @param possibleEdgeLocationRatio below 1, the train/valid domain shift: training edges lie in
 *     the first {@code floor(ratio × resolution)} rows (or columns), validation edges in the rest
 * @param permutation when not null, every image's pixels are shuffled by it
 */
public record EdgeConfig(int dataPerClass, List<EdgeClass> classTypes, int spatialResolution, int minEdgeWidth, int maxEdgeWidth,
                         double minEdgeIntensity, double maxEdgeIntensity, double minBackgroundIntensity, double maxBackgroundIntensity,
                         double possibleEdgeLocationRatio, int numHorizontalEdge, int numVerticalEdge, int numDiagonalEdge,
                         PixelPermutation permutation) {

    public static final EdgeConfig DEFAULT = new EdgeConfig(1000, List.of(EdgeClass.HORIZONTAL, EdgeClass.VERTICAL, EdgeClass.NONE), 28,
            1, 4, 0.25, 1.0, 0.0, 0.2, 1.0, 1, 1, 1, null);

    public EdgeConfig {
        classTypes = List.copyOf(classTypes);
        require(dataPerClass >= 1, "data_per_class must be at least 1, got " + dataPerClass);
        require(!classTypes.isEmpty(), "class_type must name at least one class");
        require(spatialResolution >= 4, "spatial_resolution must be at least 4, got " + spatialResolution);
        require(minEdgeWidth >= 1 && minEdgeWidth <= maxEdgeWidth,
                "edge widths need 1 <= min_edge_width <= max_edge_width, got " + minEdgeWidth + " and " + maxEdgeWidth);
        require(0 <= minEdgeIntensity && minEdgeIntensity <= maxEdgeIntensity && maxEdgeIntensity <= 1,
                "edge intensities need 0 <= min <= max <= 1, got " + minEdgeIntensity + " and " + maxEdgeIntensity);
        require(0 <= minBackgroundIntensity && minBackgroundIntensity <= maxBackgroundIntensity && maxBackgroundIntensity <= 1,
                "background intensities need 0 <= min <= max <= 1, got " + minBackgroundIntensity + " and " + maxBackgroundIntensity);
        require(possibleEdgeLocationRatio > 0 && possibleEdgeLocationRatio <= 1,
                "possible_edge_location_ratio must be in (0, 1], got " + possibleEdgeLocationRatio);
        if (possibleEdgeLocationRatio < 1) {
            int split = (int) (possibleEdgeLocationRatio * spatialResolution);
            require(split >= 2 && split < spatialResolution, "possible_edge_location_ratio " + possibleEdgeLocationRatio
                    + " splits " + spatialResolution + " rows at " + split + "; both parts need room for an edge (2 <= split < resolution)");
        }
        require(numHorizontalEdge >= 0 && numVerticalEdge >= 0 && numDiagonalEdge >= 0, "edge counts must not be negative");
        for (EdgeClass c : classTypes) {
            int n = switch (c) {
                case HORIZONTAL -> numHorizontalEdge;
                case VERTICAL -> numVerticalEdge;
                case DIAGONAL -> numDiagonalEdge;
                case BOTH -> Math.min(numHorizontalEdge, numVerticalEdge);
                case NONE -> 1;
            };
            require(n > 0, "class_type " + c.key() + " needs at least one edge of its kind (num_horizontal_edge "
                    + numHorizontalEdge + ", num_vertical_edge " + numVerticalEdge + ", num_diagonal_edge " + numDiagonalEdge + ")");
        }
        require(permutation == null || permutation.size() == spatialResolution * spatialResolution, "permutation has "
                + (permutation == null ? 0 : permutation.size()) + " entries, images have " + spatialResolution * spatialResolution + " pixels");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("EdgeDetection: " + message);
        }
    }

    public int numClasses() {
        return classTypes.size();
    }

    /** The first row (or column) that belongs to the validation part under a domain shift. */
    public int possibleEdgeLocation() {
        return (int) (possibleEdgeLocationRatio * spatialResolution);
    }

    public boolean domainShift() {
        return possibleEdgeLocationRatio < 1;
    }

    public EdgeConfig dataPerClass(int n) {
        return new EdgeConfig(n, classTypes, spatialResolution, minEdgeWidth, maxEdgeWidth, minEdgeIntensity, maxEdgeIntensity,
                minBackgroundIntensity, maxBackgroundIntensity, possibleEdgeLocationRatio, numHorizontalEdge, numVerticalEdge,
                numDiagonalEdge, permutation);
    }

    public EdgeConfig classTypes(EdgeClass... types) {
        return new EdgeConfig(dataPerClass, List.of(types), spatialResolution, minEdgeWidth, maxEdgeWidth, minEdgeIntensity,
                maxEdgeIntensity, minBackgroundIntensity, maxBackgroundIntensity, possibleEdgeLocationRatio, numHorizontalEdge,
                numVerticalEdge, numDiagonalEdge, permutation);
    }

    public EdgeConfig possibleEdgeLocationRatio(double ratio) {
        return new EdgeConfig(dataPerClass, classTypes, spatialResolution, minEdgeWidth, maxEdgeWidth, minEdgeIntensity, maxEdgeIntensity,
                minBackgroundIntensity, maxBackgroundIntensity, ratio, numHorizontalEdge, numVerticalEdge, numDiagonalEdge, permutation);
    }

    public EdgeConfig permutation(PixelPermutation p) {
        return new EdgeConfig(dataPerClass, classTypes, spatialResolution, minEdgeWidth, maxEdgeWidth, minEdgeIntensity, maxEdgeIntensity,
                minBackgroundIntensity, maxBackgroundIntensity, possibleEdgeLocationRatio, numHorizontalEdge, numVerticalEdge,
                numDiagonalEdge, p);
    }

    /**
     * A configuration from the notebook's dictionary: {@code data_per_class}, {@code num_classes},
     * {@code class_type} (a list of names), {@code spatial_resolution}, {@code min_edge_width},
     * {@code max_edge_width}, {@code min_edge_intensity}, {@code max_edge_intensity},
     * {@code min_background_intensity}, {@code max_background_intensity},
     * {@code possible_edge_location_ratio}, {@code num_horizontal_edge}, {@code num_vertical_edge},
     * {@code num_diagonal_edge}, {@code use_permutation} with {@code permutater}. Missing keys take
     * the defaults; unknown keys and a {@code num_classes} that disagrees with {@code class_type} are errors.
     */
    public static EdgeConfig fromMap(Map<String, ?> config) {
        Map<String, Object> m = new LinkedHashMap<>(config);
        EdgeConfig d = DEFAULT;
        List<EdgeClass> types = d.classTypes;
        Object ct = m.remove("class_type");
        if (ct != null) {
            if (!(ct instanceof List<?> names)) {
                throw new IllegalArgumentException("EdgeDetection: class_type must be a list of names, got " + ct);
            }
            types = new ArrayList<>();
            for (Object name : names) {
                types.add(EdgeClass.of(String.valueOf(name)));
            }
        }
        Object nc = m.remove("num_classes");
        if (nc != null && number(nc, "num_classes").intValue() != types.size()) {
            throw new IllegalArgumentException("EdgeDetection: num_classes " + nc + " does not match the " + types.size()
                    + " entries of class_type " + types.stream().map(EdgeClass::key).toList());
        }
        boolean usePermutation = Boolean.TRUE.equals(m.remove("use_permutation"));
        Object perm = m.remove("permutater");
        m.remove("unpermutater");
        PixelPermutation p = null;
        if (usePermutation) {
            if (!(perm instanceof int[] order)) {
                throw new IllegalArgumentException("EdgeDetection: use_permutation needs a permutater (an int[] pixel order)");
            }
            p = PixelPermutation.of(order);
        }
        EdgeConfig c = new EdgeConfig(intKey(m, "data_per_class", d.dataPerClass), types, intKey(m, "spatial_resolution", d.spatialResolution),
                intKey(m, "min_edge_width", d.minEdgeWidth), intKey(m, "max_edge_width", d.maxEdgeWidth),
                doubleKey(m, "min_edge_intensity", d.minEdgeIntensity), doubleKey(m, "max_edge_intensity", d.maxEdgeIntensity),
                doubleKey(m, "min_background_intensity", d.minBackgroundIntensity),
                doubleKey(m, "max_background_intensity", d.maxBackgroundIntensity),
                doubleKey(m, "possible_edge_location_ratio", d.possibleEdgeLocationRatio),
                intKey(m, "num_horizontal_edge", d.numHorizontalEdge), intKey(m, "num_vertical_edge", d.numVerticalEdge),
                intKey(m, "num_diagonal_edge", d.numDiagonalEdge), p);
        if (!m.isEmpty()) {
            throw new IllegalArgumentException("EdgeDetection: unknown configuration keys " + m.keySet());
        }
        return c;
    }

    private static Number number(Object v, String key) {
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("EdgeDetection: " + key + " must be a number, got " + v);
        }
        return n;
    }

    private static int intKey(Map<String, Object> m, String key, int fallback) {
        Object v = m.remove(key);
        if (v == null) {
            return fallback;
        }
        Number n = number(v, key);
        if (n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("EdgeDetection: " + key + " must be a whole number, got " + v);
        }
        return n.intValue();
    }

    private static double doubleKey(Map<String, Object> m, String key, double fallback) {
        Object v = m.remove(key);
        return v == null ? fallback : number(v, key).doubleValue();
    }
}
