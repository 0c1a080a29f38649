package dev.cortado.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file into a temporary file in the same folder and renames it over the target, so a
 * crash or an error half-way never leaves a truncated checkpoint behind.
 */
final class AtomicFile {
    /** The body of a write. */
    interface Body {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    static void write(Path path, Body body) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            try (var out = Files.newOutputStream(tmp)) {
                body.write(out);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
