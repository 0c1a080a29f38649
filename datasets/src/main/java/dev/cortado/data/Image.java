package dev.cortado.data;

/** An 8-bit image as stored on disk: {@code pixels[(y * width + x) * channels + c]} (HWC), values 0..255. */
public record Image(byte[] pixels, int height, int width, int channels) {
    public Image {
        if ((long) height * width * channels != pixels.length) {
            throw new IllegalArgumentException("Image: " + pixels.length + " bytes do not make " + height + "×" + width + "×" + channels);
        }
    }

    public int get(int y, int x, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }

    /**
     * The image whose planes (one per channel, height × width each) start at offset in MATLAB's
     * column-major order, rows fastest: how SVHN's and STL-10's files store them.
     */
    static Image fromColumnPlanes(byte[] planes, int offset, int height, int width, int channels) {
        byte[] px = new byte[height * width * channels];
        for (int c = 0; c < channels; c++) {
            int plane = offset + c * height * width;
            for (int col = 0; col < width; col++) {
                for (int row = 0; row < height; row++) {
                    px[(row * width + col) * channels + c] = planes[plane + col * height + row];
                }
            }
        }
        return new Image(px, height, width, channels);
    }
}
