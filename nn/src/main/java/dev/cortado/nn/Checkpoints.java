package dev.cortado.nn;

import dev.cortado.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Module weights in safetensors files, with PyTorch's state-dict keys, so that
 * {@code model.load_state_dict(safetensors.torch.load_file(path))} reads what Cortado wrote and
 * the other way round.
 */
public final class Checkpoints {
    private Checkpoints() {
    }

    /** Saves every parameter and buffer atomically (temporary file, then rename). */
    public static void save(Module module, Path path) throws IOException {
        SafeTensors.write(path, module.stateDict(), Map.of("format", "pt"));
    }

    /**
     * Loads a file written by {@link #save} or by PyTorch into {@code module} (on its device),
     * checking that names, shapes and dtypes match exactly; nothing changes if they do not.
     */
    public static void load(Module module, Path path) throws IOException {
        Map<String, dev.cortado.tensor.Tensor> state = SafeTensors.read(path).tensors();
        try {
            module.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }
}
