package dev.cortado.tensor;

/**
 * How tensors print, as {@code torch.set_printoptions}: digits after the point, the element count
 * above which a tensor is summarized, the items kept at each end of a summarized dim, the line
 * width, and scientific notation forced on or off (null: chosen from the values, as PyTorch does).
 *
 * <pre>{@code Cortado.setPrintOptions(PrintOptions.DEFAULT.precision(2).sciMode(false));}</pre>
 */
public record PrintOptions(int precision, int threshold, int edgeItems, int lineWidth, Boolean sciMode) {
    /** PyTorch's defaults: precision 4, threshold 1000, 3 edge items, line width 80, automatic notation. */
    public static final PrintOptions DEFAULT = new PrintOptions(4, 1000, 3, 80, null);

    public PrintOptions {
        if (precision < 0 || precision > 30 || threshold < 0 || edgeItems < 0 || lineWidth < 1) {
            throw new IllegalArgumentException("PrintOptions: precision must be in [0, 30], threshold and edgeItems non-negative and"
                    + " lineWidth positive, got " + precision + ", " + threshold + ", " + edgeItems + ", " + lineWidth);
        }
    }

    public PrintOptions precision(int digits) {
        return new PrintOptions(digits, threshold, edgeItems, lineWidth, sciMode);
    }

    public PrintOptions threshold(int elements) {
        return new PrintOptions(precision, elements, edgeItems, lineWidth, sciMode);
    }

    public PrintOptions edgeItems(int items) {
        return new PrintOptions(precision, threshold, items, lineWidth, sciMode);
    }

    public PrintOptions lineWidth(int characters) {
        return new PrintOptions(precision, threshold, edgeItems, characters, sciMode);
    }

    /** true: always scientific; false: never; null: when the values span more than 1000× or leave [1e-4, 1e8]. */
    public PrintOptions sciMode(Boolean on) {
        return new PrintOptions(precision, threshold, edgeItems, lineWidth, on);
    }
}
