package dev.cortado.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DownloadTest {
    /** torch.hub's names carry the start of the file's SHA-256; data sets publish whole MD5s. */
    @Test
    void checksumsCompareHexDigitsOrTheirStart() {
        Download.Checksum c = Download.Checksum.sha256Prefix("BA7816BF");
        String digest = c.of("abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", digest);
        assertTrue(c.matches(digest));
        assertFalse(Download.Checksum.sha256Prefix("ba7816bb").matches(digest));
        assertFalse(Download.Checksum.sha256Prefix("").matches(digest));
        assertEquals("900150983cd24fb0d6963f7d28e17f72", Download.Checksum.md5("x").of("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    /** A local server stands in for the mirror: the first (unreachable) mirror is skipped, the file lands whole, a bad checksum leaves nothing. */
    @Test
    void fetchesFromTheFirstMirrorThatAnswersAndChecksTheDigest(@TempDir Path dir) throws IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = "abc".getBytes(StandardCharsets.US_ASCII);
        server.createContext("/m/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String mirror = "http://127.0.0.1:" + server.getAddress().getPort() + "/m/";
            Path got = Download.fetch(dir, "w-ba7816bf.pth", List.of("http://127.0.0.1:9/", mirror), Download.Checksum.sha256Prefix("ba7816bf"),
                    null);
            assertEquals(dir.resolve("w-ba7816bf.pth"), got);
            assertEquals("abc", Files.readString(got));
            IOException e = assertThrows(IOException.class, () -> Download.fetch(dir, "x.pth", List.of(mirror),
                    Download.Checksum.sha256Prefix("00000000"), null));
            assertTrue(e.getMessage().contains("checksum mismatch, SHA-256 ba7816bf") && e.getMessage().contains("expected 00000000..."),
                    e.getMessage());
            try (var files = Files.list(dir)) {
                assertEquals(List.of("w-ba7816bf.pth"), files.map(f -> f.getFileName().toString()).toList(), "no part file is left behind");
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void offlineSaysWhatWasTried(@TempDir Path dir) {
        // An unroutable mirror stands in for "no internet".
        IOException e = assertThrows(IOException.class, () -> Download.fetch(dir, "w.pth", List.of("http://127.0.0.1:9/"),
                Download.Checksum.sha256Prefix("00"), null));
        assertTrue(e.getMessage().contains("could not download w.pth into " + dir) && e.getMessage().contains("http://127.0.0.1:9/w.pth"),
                e.getMessage());
    }
}
