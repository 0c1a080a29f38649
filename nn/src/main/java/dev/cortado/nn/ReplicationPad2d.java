package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ReplicationPad2d(padding)}: pads with copies of the input's edge values, on the last 2 dims. */
public final class ReplicationPad2d extends PaddingNd {
    public ReplicationPad2d(int... padding) {
        super(2, padding, PadMode.REPLICATE, 0);
    }
}
