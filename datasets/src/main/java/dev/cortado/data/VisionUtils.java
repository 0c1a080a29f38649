package dev.cortado.data;

import dev.cortado.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * torchvision.utils: {@link #makeGrid} tiles a batch of images (a training batch, a layer's
 * filters, feature maps) into one image, and {@link #saveImage} writes it to a PNG or JPEG file,
 * with torchvision's padding, normalization and rounding.
 *
 * <pre>{@code VisionUtils.saveImage(conv.parameter("weight"), Path.of("filters.png"), 8, 2, true);}</pre>
 */
public final class VisionUtils {
    private VisionUtils() {
    }

    /** {@code make_grid(images)}: 8 per row, padding 2, no normalization, black padding. */
    public static Tensor makeGrid(Tensor images) {
        return makeGrid(images, 8, 2, false, null, false, 0);
    }

    /** {@code make_grid(images, nrow, padding, normalize)}, normalizing by the batch's own min and max. */
    public static Tensor makeGrid(Tensor images, int nrow, int padding, boolean normalize) {
        return makeGrid(images, nrow, padding, normalize, null, false, 0);
    }

    /** {@code make_grid(list)}: the images stacked first. */
    public static Tensor makeGrid(List<Tensor> images, int nrow, int padding, boolean normalize) {
        return makeGrid(Tensor.stack(images, 0), nrow, padding, normalize);
    }

    /**
     * {@code torchvision.utils.make_grid}: images (B, C, H, W), one (C, H, W) or (H, W), tiled
     * {@code nrow} to a row with {@code padding} pixels of {@code padValue} between and around
     * them; one-channel images become three. With {@code normalize}, values are clamped to
     * {@code valueRange} (null: the min and max of the batch, or of each image with
     * {@code scaleEach}) and shifted to [0, 1]. A batch of one gives that image alone.
     */
    public static Tensor makeGrid(Tensor images, int nrow, int padding, boolean normalize, double[] valueRange, boolean scaleEach,
                                  double padValue) {
        if (nrow < 1 || padding < 0) {
            throw new IllegalArgumentException("make_grid: nrow must be positive and padding non-negative, got " + nrow + " and " + padding);
        }
        if (valueRange != null && valueRange.length != 2) {
            throw new IllegalArgumentException("make_grid: value_range has to be a pair (min, max), got " + valueRange.length + " values");
        }
        Tensor t = images.detach();
        if (t.dim() == 2) {
            t = t.unsqueeze(0);
        }
        if (t.dim() == 3) {
            t = (t.size(0) == 1 ? Tensor.cat(List.of(t, t, t), 0) : t).unsqueeze(0);
        }
        if (t.dim() != 4) {
            throw new IllegalArgumentException("make_grid: expected images (B, C, H, W), (C, H, W) or (H, W), got shape "
                    + java.util.Arrays.toString(images.shape()));
        }
        if (t.size(1) == 1) {
            t = Tensor.cat(List.of(t, t, t), 1);
        }
        t = t.to(dev.cortado.tensor.DType.FLOAT32);
        if (normalize) {
            if (scaleEach) {
                Tensor[] each = new Tensor[t.size(0)];
                for (int i = 0; i < each.length; i++) {
                    each[i] = normalized(t.select(0, i), valueRange);
                }
                t = Tensor.stack(List.of(each), 0);
            } else {
                t = normalized(t, valueRange);
            }
        }
        if (t.size(0) == 1) {
            return t.squeeze(0);
        }
        int maps = t.size(0);
        int columns = Math.min(nrow, maps);
        int rows = (maps + columns - 1) / columns;
        int height = t.size(2) + padding;
        int width = t.size(3) + padding;
        Tensor grid = t.newFull(new int[] {t.size(1), height * rows + padding, width * columns + padding}, padValue);
        for (int k = 0; k < maps; k++) {
            int y = k / columns;
            int x = k % columns;
            grid.narrow(1, y * height + padding, height - padding).narrow(2, x * width + padding, width - padding).copy_(t.select(0, k));
        }
        return grid;
    }

    /** torchvision's norm_ip: clamp to [low, high], then (x - low) / max(high - low, 1e-5). */
    private static Tensor normalized(Tensor x, double[] range) {
        double low = range != null ? range[0] : x.amin(new int[0], false).item();
        double high = range != null ? range[1] : x.amax(new int[0], false).item();
        return x.clamp(low, high).sub(low).div(Math.max(high - low, 1e-5));
    }

    /** {@code save_image(images, file)}: {@link #makeGrid(Tensor)} written as a picture, its format from the file's extension. */
    public static void saveImage(Tensor images, Path file) throws IOException {
        saveImage(images, file, 8, 2, false);
    }

    /**
     * {@code save_image(images, file, nrow, padding, normalize)}: the grid's values in [0, 1]
     * become bytes as torchvision rounds them ({@code x · 255 + 0.5}, clamped, truncated), and the
     * picture is written as PNG, JPEG or BMP by its extension.
     */
    public static void saveImage(Tensor images, Path file, int nrow, int padding, boolean normalize) throws IOException {
        Image image = toImage(makeGrid(images, nrow, padding, normalize));
        String format = ImageFiles.extension(file.getFileName().toString());
        format = format.equals("jpeg") ? "jpg" : format;
        if (!ImageIO.getImageWritersBySuffix(format).hasNext()) {
            throw new IOException("save_image: no image writer for ." + format + " (" + file + "); use .png, .jpg or .bmp");
        }
        BufferedImage out = new BufferedImage(image.width(), image.height(), image.channels() == 4 ? BufferedImage.TYPE_INT_ARGB
                : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int argb = image.channels() == 4 ? image.get(y, x, 3) << 24 : 0xff << 24;
                argb |= image.get(y, x, 0) << 16 | image.get(y, x, 1) << 8 | image.get(y, x, 2);
                out.setRGB(x, y, argb);
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (!ImageIO.write(out, format, file.toFile())) {
            throw new IOException("save_image: could not write " + file + " as " + format);
        }
    }

    /**
     * A (C, H, W) tensor of values in [0, 1] (C = 3 or 4) as 8-bit pixels, as save_image turns it
     * into a PIL image: {@code clamp(x · 255 + 0.5, 0, 255)}, truncated.
     */
    public static Image toImage(Tensor chw) {
        if (chw.dim() != 3 || chw.size(0) != 3 && chw.size(0) != 4) {
            throw new IllegalArgumentException("toImage: expected a (3 or 4, H, W) tensor, got shape " + java.util.Arrays.toString(chw.shape()));
        }
        int c = chw.size(0);
        int h = chw.size(1);
        int w = chw.size(2);
        float[] v = chw.detach().to(dev.cortado.tensor.DType.FLOAT32).mul(255).add(0.5).clamp(0, 255).contiguous().toFloatArray();
        byte[] px = new byte[h * w * c];
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < h * w; p++) {
                px[p * c + ch] = (byte) (int) v[ch * h * w + p];
            }
        }
        return new Image(px, h, w, c);
    }
}
