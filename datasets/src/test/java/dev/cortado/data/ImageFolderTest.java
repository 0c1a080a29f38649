package dev.cortado.data;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ImageFolder's class and sample order, and each format read as the RGB that PIL's convert("RGB") gives, on files the test writes. */
class ImageFolderTest {
    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    private static Path write(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, ImageFiles.extension(file.getFileName().toString()).replace("jpg", "jpeg"), file.toFile()), "wrote " + file);
        return file;
    }

    /** A w×h image whose pixel (x, y) is RGB (10x + 1, 20y + 2, 7x + 3y + 3). */
    private static BufferedImage rgb(int type, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (type == BufferedImage.TYPE_INT_ARGB ? (x * 60) << 24 : 0xFF000000) | (10 * x + 1) << 16 | (20 * y + 2) << 8 | (7 * x + 3 * y + 3));
            }
        }
        return img;
    }

    private static BufferedImage grey(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, 37 + 50 * x + 9 * y);
            }
        }
        return img;
    }

    private static int[] pixel(Tensor t, int y, int x) {
        float[] v = t.toFloatArray();
        int h = t.size(1);
        int w = t.size(2);
        return new int[] {Math.round(v[(0 * h + y) * w + x] * 255), Math.round(v[(h + y) * w + x] * 255), Math.round(v[(2 * h + y) * w + x] * 255)};
    }

    @Test
    void classesAndSamplesFollowTorchvisionsOrderAndEveryFormatReadsAsRgb(@TempDir Path root) throws IOException {
        write(rgb(BufferedImage.TYPE_INT_RGB, 3, 2), root.resolve("bird/b1.png"));
        write(rgb(BufferedImage.TYPE_INT_RGB, 2, 2), root.resolve("bird/B2.PNG"));
        Files.writeString(root.resolve("bird/notes.txt"), "not an image");
        write(grey(3, 2), root.resolve("cat/sub/y.png"));
        write(rgb(BufferedImage.TYPE_3BYTE_BGR, 3, 2), root.resolve("cat/x.bmp"));
        write(rgb(BufferedImage.TYPE_INT_ARGB, 3, 2), root.resolve("cat/z.png"));
        byte[] r = {10, (byte) 200, 30};
        byte[] g = {20, 40, (byte) 250};
        byte[] b = {30, 60, 90};
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, r, g, b));
        indexed.getRaster().setSample(0, 0, 0, 1);
        indexed.getRaster().setSample(1, 0, 0, 2);
        write(indexed, root.resolve("cat/p.png"));
        Files.write(root.resolve("cat/a.pgm"), concat("P5\n# a comment\n2 1\n255\n".getBytes(StandardCharsets.US_ASCII), new byte[] {7, (byte) 201}));
        Files.writeString(root.resolve("cat/c.ppm"), "P3 2 1 15\n 15 0 3  1 2 4\n");
        Files.createDirectories(root.resolve("dog"));
        write(rgb(BufferedImage.TYPE_INT_RGB, 4, 4), root.resolve("dog/d.jpg"));

        ImageFolder data = new ImageFolder(root);
        assertEquals(List.of("bird", "cat", "dog"), data.classes());
        assertEquals(Map.of("bird", 0, "cat", 1, "dog", 2), data.classToIdx());
        List<String> order = data.paths().stream().map(p -> root.relativize(p).toString()).toList();
        assertEquals(List.of("bird/B2.PNG", "bird/b1.png", "cat/a.pgm", "cat/c.ppm", "cat/p.png", "cat/x.bmp", "cat/z.png", "cat/sub/y.png",
                "dog/d.jpg"), order);
        assertArrayEquals(new long[] {0, 0, 1, 1, 1, 1, 1, 1, 2}, data.targets());
        assertEquals(9, data.size());

        Example b1 = data.get(1);
        assertEquals(0, b1.label());
        assertArrayEquals(new int[] {3, 2, 3}, b1.input().shape());
        assertArrayEquals(new int[] {21, 22, 20}, pixel(b1.input(), 1, 2), "PNG RGB (x 2, y 1)");
        assertArrayEquals(new int[] {7, 7, 7}, pixel(data.get(2).input(), 0, 0), "PGM grey copied to R, G and B");
        assertArrayEquals(new int[] {201, 201, 201}, pixel(data.get(2).input(), 0, 1));
        assertArrayEquals(new int[] {255, 0, 51}, pixel(data.get(3).input(), 0, 0), "plain PPM with maxval 15, rescaled as PIL does");
        assertArrayEquals(new int[] {17, 34, 68}, pixel(data.get(3).input(), 0, 1));
        assertArrayEquals(new int[] {200, 40, 60}, pixel(data.get(4).input(), 0, 0), "palette entry 1");
        assertArrayEquals(new int[] {30, 250, 90}, pixel(data.get(4).input(), 0, 1), "palette entry 2");
        assertArrayEquals(new int[] {21, 22, 20}, pixel(data.get(5).input(), 1, 2), "BMP");
        assertArrayEquals(new int[] {1, 2, 3}, pixel(data.get(6).input(), 0, 0), "alpha 0 dropped, not blended");
        assertArrayEquals(new int[] {21, 22, 20}, pixel(data.get(6).input(), 1, 2), "alpha dropped");
        // Read through the JDK's linear grey colour space, 37 would come back as 107.
        assertArrayEquals(new int[] {37 + 100 + 9, 37 + 100 + 9, 37 + 100 + 9}, pixel(data.get(7).input(), 1, 2), "grey PNG levels kept");
        int[] jpeg = pixel(data.get(8).input(), 2, 1);
        int[] want = {11, 42, 16};
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(jpeg[c] - want[c]) <= 12, "JPEG is lossy, but near: " + java.util.Arrays.toString(jpeg));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void badFoldersAndFilesAreNamed(@TempDir Path root) throws IOException {
        assertMessage(() -> new ImageFolder(root.resolve("missing")), "ImageFolder: root", "missing is not a directory");
        assertMessage(() -> new ImageFolder(root), "ImageFolder: couldn't find any class folder in " + root);
        write(rgb(BufferedImage.TYPE_INT_RGB, 2, 2), root.resolve("a/1.png"));
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/readme.md"), "no images");
        assertMessage(() -> new ImageFolder(root), "ImageFolder: found no valid file for the classes b in", "Supported extensions are: .jpg");
        Files.write(root.resolve("b/broken.png"), new byte[] {1, 2, 3});
        ImageFolder data = new ImageFolder(root);
        assertMessage(() -> data.get(1), "image: cannot decode", "broken.png");
        assertThrows(IndexOutOfBoundsException.class, () -> data.get(2));
        Files.writeString(root.resolve("b/bad.pgm"), "P5 2 2 255\n\u0001");
        assertMessage(() -> ImageFiles.readRgb(root.resolve("b/bad.pgm")), "bad.pgm ends before its last pixel");
        Files.writeString(root.resolve("b/bad.ppm"), "P7 2 2 255\n");
        assertMessage(() -> ImageFiles.readRgb(root.resolve("b/bad.ppm")), "bad.ppm is not a PGM or PPM file");
        if (!javax.imageio.ImageIO.getImageReadersBySuffix("webp").hasNext()) {
            Files.write(root.resolve("b/photo.webp"), new byte[] {1});
            assertMessage(() -> new ImageFolder(root), "photo.webp is .webp, which no installed image reader decodes");
        }
    }
}
