package dev.cortado.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads an image file as 8-bit RGB, as torchvision's default loader does ({@code PIL.Image.open(f).convert("RGB")}):
 * grey levels are copied to the three channels, palettes expanded, and alpha dropped without
 * blending. PNG, JPEG, BMP, GIF and TIFF go through javax.imageio; PPM and PGM (binary or plain
 * text) are read here, since the JDK has no reader for them. On PNG (RGB, RGBA, grey, grey with
 * alpha, palette), BMP, GIF, TIFF and JPEG (4:4:4 and 4:2:0) files these are PIL's pixels to the
 * bit; two JPEG decoders may still differ by a level on other files. 16-bit grey keeps its high
 * byte, where PIL clips every level above 255 to white.
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /** Whether a reader for this file's extension is installed (javax.imageio's, or this class's PPM/PGM one). */
    static boolean decodable(String fileName) {
        String ext = extension(fileName);
        return ext.equals("ppm") || ext.equals("pgm") || ImageIO.getImageReadersBySuffix(ext).hasNext();
    }

    static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The file as an RGB image, or an error naming it and what was wrong. */
    public static Image readRgb(Path file) {
        try {
            String ext = extension(file.getFileName().toString());
            if (ext.equals("ppm") || ext.equals("pgm")) {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                    return Netpbm.read(in, file);
                }
            }
            BufferedImage img;
            try {
                img = ImageIO.read(file.toFile());
            } catch (RuntimeException e) {
                // javax.imageio's readers throw index and state errors of their own on damaged files.
                throw new IllegalArgumentException("image: cannot decode " + file + ": " + e, e);
            }
            if (img == null) {
                throw new IllegalArgumentException("image: cannot decode " + file + ": no installed reader recognises its contents");
            }
            return rgb(img);
        } catch (IOException e) {
            throw new UncheckedIOException("image: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Grey images read their samples directly: getRGB would pass them through the JDK's linear
     * grey colour space and change every level.
     */
    static Image rgb(BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        byte[] out = new byte[h * w * 3];
        Raster raster = img.getRaster();
        boolean grey = !(img.getColorModel() instanceof IndexColorModel) && raster.getNumBands() <= 2
                && img.getColorModel().getColorSpace().getNumComponents() == 1;
        int shift = grey ? Math.max(img.getColorModel().getComponentSize(0) - 8, 0) : 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                if (grey) {
                    byte v = (byte) (raster.getSample(x, y, 0) >> shift);
                    out[o] = v;
                    out[o + 1] = v;
                    out[o + 2] = v;
                } else {
                    int argb = img.getRGB(x, y);
                    out[o] = (byte) (argb >> 16);
                    out[o + 1] = (byte) (argb >> 8);
                    out[o + 2] = (byte) argb;
                }
            }
        }
        return new Image(out, h, w, 3);
    }
}
