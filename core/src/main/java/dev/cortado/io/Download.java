package dev.cortado.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * Fetches a published file into a folder: tries each mirror, shows a progress bar, checks the
 * published checksum, and moves the file into place only when it is complete and right. Data
 * sets publish MD5s; PyTorch's weight files carry the start of their SHA-256 in their names.
 */
public final class Download {
    private Download() {
    }

    /** A published digest: the algorithm ({@code "MD5"}, {@code "SHA-256"}) and its hex digits, or their first few. */
    public record Checksum(String algorithm, String hexPrefix) {
        public static Checksum md5(String hex) {
            return new Checksum("MD5", hex);
        }

        /** The first hex digits of the SHA-256, as in torch.hub's file names ({@code resnet18-f37072fd.pth}). */
        public static Checksum sha256Prefix(String hex) {
            return new Checksum("SHA-256", hex);
        }

        /** The data's full digest in hex. */
        public String of(byte[] data) {
            return java.util.HexFormat.of().formatHex(digest().digest(data));
        }

        java.security.MessageDigest digest() {
            try {
                return java.security.MessageDigest.getInstance(algorithm);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalArgumentException("Download: no " + algorithm + " digest in this JVM", e);
            }
        }

        /** Whether a full hex digest starts with the published digits (never for an empty prefix). */
        public boolean matches(String actual) {
            return actual.regionMatches(true, 0, hexPrefix, 0, hexPrefix.length()) && !hexPrefix.isEmpty();
        }
    }

    /**
     * Downloads {@code name} from the first mirror that answers with the right checksum into
     * {@code folder}; fails with every mirror's reason. progress, when not null, gets a progress bar.
     * The file streams to a hidden part file beside the target (weight files run to hundreds of
     * megabytes), which replaces the target only once its checksum is right.
     */
    public static Path fetch(Path folder, String name, List<String> mirrors, Checksum checksum, PrintStream progress) throws IOException {
        Files.createDirectories(folder);
        StringBuilder reasons = new StringBuilder();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).followRedirects(HttpClient.Redirect.NORMAL).build();
        for (String mirror : mirrors) {
            String url = mirror + name;
            Path tmp = Files.createTempFile(folder, "." + name, ".part");
            try {
                java.security.MessageDigest digest = checksum.digest();
                get(client, url, name, progress, tmp, digest);
                String actual = java.util.HexFormat.of().formatHex(digest.digest());
                if (!checksum.matches(actual)) {
                    reasons.append("\n  ").append(url).append(": checksum mismatch, ").append(checksum.algorithm()).append(' ').append(actual)
                            .append(", expected ").append(checksum.hexPrefix()).append(checksum.hexPrefix().length() < actual.length() ? "..." : "");
                    continue;
                }
                Path target = folder.resolve(name);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } catch (IOException e) {
                reasons.append("\n  ").append(url).append(": ").append(e.getClass().getSimpleName())
                        .append(e.getMessage() == null ? "" : " " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("download of " + name + " interrupted", e);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        throw new IOException("could not download " + name + " into " + folder + ":" + reasons);
    }

    /** Streams url's body into file, through digest, with the progress bar. */
    private static void get(HttpClient client, String url, String name, PrintStream progress, Path file, java.security.MessageDigest digest)
            throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            resp.body().close();
            throw new IOException("HTTP " + resp.statusCode());
        }
        long total = resp.headers().firstValueAsLong("content-length").orElse(-1);
        byte[] buf = new byte[1 << 16];
        long done = 0;
        int lastShown = -1;
        try (InputStream in = resp.body(); OutputStream out = Files.newOutputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                digest.update(buf, 0, n);
                done += n;
                int pct = total > 0 ? (int) (100 * done / total) : -1;
                if (progress != null && pct != lastShown) {
                    lastShown = pct;
                    int bars = Math.max(0, pct) / 4;
                    progress.printf("\r%-28s [%-25s] %s", name, "#".repeat(bars), pct >= 0 ? pct + "%" : (done >> 10) + " KiB");
                }
            }
        }
        if (progress != null) {
            progress.println();
        }
    }
}
