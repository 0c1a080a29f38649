package dev.cortado.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * Fetches a published file into a folder: tries each mirror, shows a progress bar on stderr,
 * checks the published MD5, and moves the file into place only when it is complete and right.
 */
final class Download {
    private Download() {
    }

    /** Downloads {@code name} from the first mirror that answers; fails with every mirror's reason. */
    static Path fetch(Path folder, String name, List<String> mirrors, String md5, PrintStream progress) throws IOException {
        Files.createDirectories(folder);
        StringBuilder reasons = new StringBuilder();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).followRedirects(HttpClient.Redirect.NORMAL).build();
        for (String mirror : mirrors) {
            String url = mirror + name;
            try {
                byte[] data = get(client, url, name, progress);
                String actual = DataFiles.md5(data);
                if (!actual.equalsIgnoreCase(md5)) {
                    reasons.append("\n  ").append(url).append(": checksum mismatch, MD5 ").append(actual).append(", expected ").append(md5);
                    continue;
                }
                Path tmp = Files.createTempFile(folder, "." + name, ".part");
                Files.write(tmp, data);
                Path target = folder.resolve(name);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } catch (IOException e) {
                reasons.append("\n  ").append(url).append(": ").append(e.getClass().getSimpleName()).append(' ').append(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("download of " + name + " interrupted", e);
            }
        }
        throw new IOException("could not download " + name + " into " + folder + ":" + reasons);
    }

    private static byte[] get(HttpClient client, String url, String name, PrintStream progress) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            resp.body().close();
            throw new IOException("HTTP " + resp.statusCode());
        }
        long total = resp.headers().firstValueAsLong("content-length").orElse(-1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long done = 0;
        int lastShown = -1;
        try (InputStream in = resp.body()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
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
        return out.toByteArray();
    }
}
