package dev.cortado.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * PGM (P2, P5) and PPM (P3, P6) images, read as 8-bit RGB. A maxval other than 255 is rescaled to
 * 0..255 with rounding, as PIL does up to 255; above 255 (16-bit samples) PIL clips every level to
 * 255, which loses the image, so these are rescaled as well.
 */
final class Netpbm {
    private Netpbm() {
    }

    static Image read(InputStream in, Path file) throws IOException {
        int m0 = in.read();
        int m1 = in.read();
        if (m0 != 'P' || m1 < '2' || m1 > '6' || m1 == '4') {
            throw new IllegalArgumentException("image: " + file + " is not a PGM or PPM file (magic P2, P3, P5 or P6)");
        }
        boolean colour = m1 == '3' || m1 == '6';
        boolean plain = m1 == '2' || m1 == '3';
        int width = header(in, file);
        int height = header(in, file);
        int maxval = header(in, file);
        if (width <= 0 || height <= 0 || maxval <= 0 || maxval > 65535 || (long) width * height > Integer.MAX_VALUE / 3) {
            throw new IllegalArgumentException("image: " + file + " has an invalid header: " + width + "×" + height + ", maxval " + maxval);
        }
        int channels = colour ? 3 : 1;
        byte[] out = new byte[width * height * 3];
        for (int p = 0; p < width * height; p++) {
            for (int c = 0; c < channels; c++) {
                int v = plain ? header(in, file) : binary(in, maxval > 255, file);
                if (v > maxval) {
                    throw new IllegalArgumentException("image: " + file + " has a sample " + v + " above its maxval " + maxval);
                }
                byte b = (byte) (maxval == 255 ? v : Math.round(v * 255.0 / maxval));
                if (colour) {
                    out[p * 3 + c] = b;
                } else {
                    out[p * 3] = b;
                    out[p * 3 + 1] = b;
                    out[p * 3 + 2] = b;
                }
            }
        }
        return new Image(out, height, width, 3);
    }

    /** The next decimal number, after white space and # comments. */
    private static int header(InputStream in, Path file) throws IOException {
        int ch = in.read();
        while (ch == '#' || Character.isWhitespace(ch)) {
            if (ch == '#') {
                while (ch != '\n' && ch != '\r' && ch != -1) {
                    ch = in.read();
                }
            }
            ch = in.read();
        }
        if (ch < '0' || ch > '9') {
            throw new IllegalArgumentException("image: " + file + " ends early or holds a non-number where a number belongs");
        }
        long v = 0;
        while (ch >= '0' && ch <= '9') {
            v = v * 10 + (ch - '0');
            if (v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("image: " + file + " holds a number too large for an image");
            }
            ch = in.read();
        }
        return (int) v;
    }

    private static int binary(InputStream in, boolean wide, Path file) throws IOException {
        int hi = in.read();
        int lo = wide ? in.read() : 0;
        if (hi < 0 || lo < 0) {
            throw new IllegalArgumentException("image: " + file + " ends before its last pixel");
        }
        return wide ? hi << 8 | lo : hi;
    }
}
