package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ReplicationPad1d(padding)}: pads with copies of the input's edge values, on the last dim. */
public final class ReplicationPad1d extends PaddingNd {
    public ReplicationPad1d(int... padding) {
        super(1, padding, PadMode.REPLICATE, 0);
    }
}
