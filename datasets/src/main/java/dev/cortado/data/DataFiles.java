package dev.cortado.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Finding and reading data files, raw or gzipped, with errors that name the file. */
final class DataFiles {
    private DataFiles() {
    }

    /** {@code root/name}, else {@code root/name.gz}, else null. */
    static Path find(Path root, String name) {
        Path raw = root.resolve(name);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = root.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    /** The first of roots in which every one of files is a regular file, or null. */
    static Path folderWith(java.util.List<Path> roots, java.util.List<String> files) {
        for (Path dir : roots) {
            if (files.stream().allMatch(n -> Files.isRegularFile(dir.resolve(n)))) {
                return dir;
            }
        }
        return null;
    }

    /** The whole content, gunzipped when the name ends in .gz. */
    static byte[] read(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".gz")) {
            return Files.readAllBytes(file);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": gzip stream is truncated (unexpected end of file)", e);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": not a valid gzip file (" + e.getMessage() + ")", e);
        }
    }

    static int bigEndianInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }
}
