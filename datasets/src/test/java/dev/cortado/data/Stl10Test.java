package dev.cortado.data;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** STL-10 from files in its binary layout written here, and the streaming tar.gz extraction its download uses. */
class Stl10Test {
    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    /** n images whose byte (channel c, column col, row r) of image i is r + 3·col + 5·c + 11·(i + offset), planes column by column. */
    static byte[] images(int n, int offset) {
        byte[] b = new byte[n * 27648];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int col = 0; col < 96; col++) {
                    for (int r = 0; r < 96; r++) {
                        b[i * 27648 + c * 9216 + col * 96 + r] = (byte) (r + 3 * col + 5 * c + 11 * (i + offset));
                    }
                }
            }
        }
        return b;
    }

    static Path stlFolder(Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("stl10_binary"));
        Files.write(dir.resolve("train_X.bin"), images(6, 0));
        Files.write(dir.resolve("train_y.bin"), new byte[] {1, 10, 3, 4, 5, 2});
        Files.write(dir.resolve("test_X.bin"), images(2, 100));
        Files.write(dir.resolve("test_y.bin"), new byte[] {7, 8});
        Files.write(dir.resolve("unlabeled_X.bin"), images(3, 50));
        StringBuilder folds = new StringBuilder();
        for (int f = 0; f < 10; f++) {
            folds.append(f % 6).append(' ').append((f + 2) % 6).append(" \n");
        }
        Files.writeString(dir.resolve("fold_indices.txt"), folds);
        return dir;
    }

    @Test
    void splitsFoldsLabelsAndPixels(@TempDir Path root) throws IOException {
        stlFolder(root);
        Stl10 train = Stl10.load(root, "train", -1, false, Transforms.toTensor());
        assertEquals(6, train.size());
        assertArrayEquals(new long[] {0, 9, 2, 3, 4, 1}, train.labels(), "1..10 read as 0..9");
        Image image = train.image(2);
        assertEquals(96, image.height());
        // HWC: (row 7, column 40, channel 1) of image 2.
        assertEquals((7 + 3 * 40 + 5 + 22) & 0xFF, image.pixels()[(7 * 96 + 40) * 3 + 1] & 0xFF);
        assertArrayEquals(new int[] {3, 96, 96}, train.get(1).input().shape());

        Stl10 fold = Stl10.load(root, "train", 3, false, Transforms.toTensor());
        assertEquals(2, fold.size());
        assertArrayEquals(new long[] {3, 1}, fold.labels(), "fold 3 lists images 3 and 5");
        assertArrayEquals(train.image(5).pixels(), fold.image(1).pixels());

        assertArrayEquals(new long[] {6, 7}, Stl10.load(root, "test", -1, false, Transforms.toTensor()).labels());
        Stl10 unlabeled = Stl10.load(root, "unlabeled", -1, false, Transforms.toTensor());
        assertArrayEquals(new long[] {-1, -1, -1}, unlabeled.labels());
        Stl10 both = Stl10.load(root, "train+unlabeled", -1, false, Transforms.toTensor());
        assertEquals(9, both.size());
        assertArrayEquals(unlabeled.image(2).pixels(), both.image(8).pixels());
        assertEquals("monkey", both.classes().get(7));
    }

    @Test
    void badFilesAndArgumentsAreRefusedByName(@TempDir Path root) throws IOException {
        IOException e = assertThrows(IOException.class, () -> Stl10.load(root, "test", -1, false, Transforms.toTensor()));
        assertTrue(e.getMessage().startsWith("STL-10: test_X.bin, test_y.bin not found in"), e.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> Stl10.load(root, "valid", -1, false, Transforms.toTensor()));
        assertTrue(a.getMessage().contains("split must be \"train\", \"test\", \"unlabeled\" or \"train+unlabeled\", got \"valid\""));
        a = assertThrows(IllegalArgumentException.class, () -> Stl10.load(root, "test", 2, false, Transforms.toTensor()));
        assertTrue(a.getMessage().contains("got 2 for \"test\""), a.getMessage());

        Path dir = stlFolder(root);
        Files.write(dir.resolve("train_y.bin"), new byte[] {1, 11, 3, 4, 5, 2});
        e = assertThrows(IOException.class, () -> Stl10.load(root, "train", -1, false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("train_y.bin: label 1 is 11, not 1..10"), e.getMessage());
        Files.write(dir.resolve("train_y.bin"), new byte[] {1, 2});
        e = assertThrows(IOException.class, () -> Stl10.load(root, "train", -1, false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("has 2 labels for the 6 images of train_X.bin"), e.getMessage());
        Files.write(dir.resolve("test_X.bin"), new byte[27648 + 5]);
        e = assertThrows(IOException.class, () -> Stl10.load(root, "test", -1, false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("is 27653 bytes, not a whole number of 27648-byte images"), e.getMessage());
        Files.write(dir.resolve("train_y.bin"), new byte[] {1, 2, 3, 4, 5, 6});
        Files.writeString(dir.resolve("fold_indices.txt"), "0 1\n0 7\n");
        e = assertThrows(IOException.class, () -> Stl10.load(root, "train", 1, false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("fold 1 lists image 7 of 6"), e.getMessage());
        e = assertThrows(IOException.class, () -> Stl10.load(root, "train", 5, false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("has 2 folds, not fold 5"), e.getMessage());
    }

    /** One ustar member: header (name, octal size, type) and its data padded to 512. */
    static byte[] member(String name, byte[] data, char type) {
        byte[] header = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, header, 0, n.length);
        byte[] size = String.format("%011o", data.length).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, header, 124, size.length);
        header[156] = (byte) type;
        System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        return out.toByteArray();
    }

    @Test
    void tarGzUnpacksTheMembersAskedForAsAStream(@TempDir Path root) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        tar.writeBytes(member("stl10_binary/", new byte[0], '5'));
        tar.writeBytes(member("stl10_binary/train_y.bin", new byte[] {1, 2, 3}, '0'));
        tar.writeBytes(member("stl10_binary/big_X.bin", images(1, 0), '0'));
        tar.writeBytes(member("stl10_binary/notes.md", "skip me".getBytes(StandardCharsets.US_ASCII), '0'));
        tar.writeBytes(member("stl10_binary/../escape.bin", new byte[] {9}, '0'));
        tar.writeBytes(new byte[1024]);
        Path archive = root.resolve("a.tar.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            out.write(tar.toByteArray());
        }
        Path into = root.resolve("out");
        TarGz.unpack(archive, into, name -> name.endsWith(".bin"));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(into.resolve("train_y.bin")));
        assertArrayEquals(images(1, 0), Files.readAllBytes(into.resolve("big_X.bin")));
        assertFalse(Files.exists(into.resolve("notes.md")), "not asked for");
        assertFalse(Files.exists(root.resolve("escape.bin")), "a member cannot write outside the folder");
        assertTrue(Files.exists(into.resolve("escape.bin")), "its base name lands inside it");

        byte[] whole = Files.readAllBytes(archive);
        Path cut = root.resolve("cut.tar.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(cut))) {
            out.write(java.util.Arrays.copyOf(tar.toByteArray(), 512 * 3 + 100));
        }
        IOException e = assertThrows(IOException.class, () -> TarGz.unpack(cut, root.resolve("cut"), name -> true));
        assertTrue(e.getMessage().contains("the archive ends inside a member"), e.getMessage());
        assertTrue(whole.length > 0);
    }
}
