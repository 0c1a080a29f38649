package dev.cortado.tensor;

import dev.cortado.autograd.FunctionNode;

/**
 * Several outputs of one op that share a backward (eigh's eigenvalues and eigenvectors, svd's U,
 * S and Vh). A graph node has one output, so the outputs are recorded over one packed tensor that
 * holds them all: each output's node (with the op's name, as PyTorch shows it) pads its gradient
 * into the packed shape, the engine sums those, and the packed node hands the op's backward one
 * gradient per output, zeros for an output that was not used.
 */
final class PackedOutputs {
    /** The op's backward: the gradients of the inputs from one gradient per output (null: that output was not used). */
    interface Backward {
        Tensor[] apply(Tensor[] outputGrads, boolean[] needs);
    }

    private PackedOutputs() {
    }

    static Tensor[] record(String name, Tensor[] outputs, Tensor[] saved, Backward backward, Tensor... inputs) {
        if (!Autograd.needed(inputs)) {
            return outputs;
        }
        int total = 0;
        int[] offsets = new int[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            offsets[i] = total;
            total += outputs[i].numel();
        }
        int size = total;
        Tensor[] flat = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            flat[i] = outputs[i].detach().reshape(-1);
        }
        Tensor packed = Tensor.cat(java.util.List.of(flat), 0);
        // Which outputs sent a gradient in this backward pass: their nodes run before the packed one.
        boolean[] used = new boolean[outputs.length];
        FunctionNode.Backward unpack = (g, needs) -> {
            Tensor[] grads = new Tensor[outputs.length];
            for (int i = 0; i < outputs.length; i++) {
                grads[i] = used[i] ? g.narrow(0, offsets[i], outputs[i].numel()).reshape(outputs[i].shape()) : null;
            }
            java.util.Arrays.fill(used, false);
            return backward.apply(grads, needs);
        };
        packed = Autograd.record(packed, name, saved, unpack, inputs);
        Tensor[] out = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            int at = offsets[i];
            int n = outputs[i].numel();
            int which = i;
            out[i] = Autograd.record(outputs[i].detach().clone(), name, (g, needs) -> {
                used[which] = true;
                return new Tensor[] {g.reshape(-1).pad(new int[] {at, size - at - n}, PadMode.CONSTANT, 0)};
            }, packed);
        }
        return out;
    }
}
