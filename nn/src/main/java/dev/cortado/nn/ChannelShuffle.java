package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.ChannelShuffle(groups)}: interleaves the channels of g groups, as between ShuffleNet's grouped convolutions. */
public final class ChannelShuffle extends Module {
    private final int groups;

    public ChannelShuffle(int groups) {
        this.groups = groups;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.channelShuffle(x, groups));
    }

    @Override
    protected String extraRepr() {
        return "groups=" + groups;
    }
}
