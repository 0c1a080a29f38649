package dev.cortado.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Extracts members of a .tar.gz as a stream (ustar: 512-byte headers, the name at 0, the octal
 * size at 124, the type at 156; data padded to 512), so an archive of any size unpacks without
 * being held in memory.
 */
final class TarGz {
    private TarGz() {
    }

    /** Writes the regular files whose base names keep accepts into one folder; plain names only, so none writes outside it. */
    static void unpack(Path archive, Path into, Predicate<String> keep) throws IOException {
        Files.createDirectories(into);
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16)) {
            byte[] header = new byte[512];
            while (true) {
                int got = in.readNBytes(header, 0, 512);
                if (got == 0 || got == 512 && isZero(header)) {
                    return;
                }
                if (got < 512) {
                    throw new IOException(archive + ": the archive ends inside a member's header");
                }
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "").trim();
                String octal = new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim();
                long size = octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
                boolean regular = header[156] == '0' || header[156] == 0;
                String base = name.substring(name.lastIndexOf('/') + 1);
                if (regular && base.matches("[A-Za-z_0-9]+(\\.[a-z]+)?") && keep.test(base)) {
                    try (OutputStream out = Files.newOutputStream(into.resolve(base))) {
                        copy(in, out, size, archive);
                    }
                } else {
                    in.skipNBytes(size);
                }
                in.skipNBytes((512 - size % 512) % 512);
            }
        }
    }

    private static void copy(InputStream in, OutputStream out, long size, Path archive) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (long left = size; left > 0; ) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException(archive + ": the archive ends inside a member (" + (size - left) + " of " + size + " bytes)");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte v : b) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}
