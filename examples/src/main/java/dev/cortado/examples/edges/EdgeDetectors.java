package dev.cortado.examples.edges;

import dev.cortado.autograd.GradMode;
import dev.cortado.examples.models.SimpleCnn;
import dev.cortado.tensor.Tensor;

/**
 * Hand-made edge detectors for the SimpleCNN: the first convolution gets a horizontal-edge
 * filter (dark above, bright below), a vertical-edge filter (dark left, bright right) and the
 * horizontal filter with the opposite sign (so bands touching the top border still respond);
 * later convolutions pass each channel through unchanged (a centre tap of 1), so global pooling
 * sees the detectors' responses directly. Biases are zero.
 */
public final class EdgeDetectors {
    private EdgeDetectors() {
    }

    public static void install(SimpleCnn cnn) {
        int f = cnn.conv(1).weight.size(0);
        int k = cnn.conv(1).weight.size(2);
        if (f < 3) {
            throw new IllegalArgumentException("EdgeDetectors: the first convolution needs at least 3 filters, has " + f);
        }
        int half = k / 2;
        float w = 1f / (half * k);
        float[] first = new float[f * k * k];
        for (int y = 0; y < k; y++) {
            for (int x = 0; x < k; x++) {
                float horizontal = y < half ? -w : y > half ? w : 0;
                float vertical = x < half ? -w : x > half ? w : 0;
                first[y * k + x] = horizontal;
                first[k * k + y * k + x] = vertical;
                first[2 * k * k + y * k + x] = -horizontal;
            }
        }
        try (var off = GradMode.off()) {
            cnn.conv(1).weight.copy_(Tensor.fromArray(first, f, 1, k, k));
            cnn.conv(1).bias.copy_(Tensor.zeros(f));
            for (int i = 2; i <= cnn.depth(); i++) {
                float[] identity = new float[f * f * k * k];
                for (int c = 0; c < f; c++) {
                    identity[((c * f + c) * k + half) * k + half] = 1;
                }
                cnn.conv(i).weight.copy_(Tensor.fromArray(identity, f, f, k, k));
                cnn.conv(i).bias.copy_(Tensor.zeros(f));
            }
        }
    }

    /** Freezes every convolution so only the final Linear learns. */
    public static void freezeConvolutions(SimpleCnn cnn) {
        for (int i = 1; i <= cnn.depth(); i++) {
            cnn.conv(i).requiresGrad(false);
        }
    }
}
