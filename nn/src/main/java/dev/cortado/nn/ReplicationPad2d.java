package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ReplicationPad2d(padding)}: pads with copies of the edge. */
public final class ReplicationPad2d extends Padding2d {
    public ReplicationPad2d(int... padding) {
        super(padding, PadMode.REPLICATE, 0);
    }
}
