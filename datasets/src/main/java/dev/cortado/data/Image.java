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
}
