package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ReplicationPad3d(padding)}: pads with copies of the input's edge values, on the last 3 dims. */
public final class ReplicationPad3d extends PaddingNd {
    public ReplicationPad3d(int... padding) {
        super(3, padding, PadMode.REPLICATE, 0);
    }
}
