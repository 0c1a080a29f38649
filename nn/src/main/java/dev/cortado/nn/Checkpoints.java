package dev.cortado.nn;

import dev.cortado.io.SafeTensors;
import dev.cortado.io.TorchSerialization;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Module weights in files PyTorch reads and writes, with PyTorch's state-dict keys: safetensors
 * ({@code safetensors.torch.save_file / load_file}) and torch.save's own format
 * ({@code torch.save(model.state_dict(), "model.pt")} / {@code model.load_state_dict(torch.load(...))}).
 */
public final class Checkpoints {
    private Checkpoints() {
    }

    /**
     * Saves every parameter and buffer atomically (temporary file, then rename): in torch.save's
     * format when the file name ends in {@code .pt} or {@code .pth}, as safetensors otherwise.
     */
    public static void save(Module module, Path path) throws IOException {
        if (TorchSerialization.isTorchName(path)) {
            TorchSerialization.save(module.stateDict(), path);
        } else {
            SafeTensors.write(path, module.stateDict(), Map.of("format", "pt"));
        }
    }

    /**
     * Loads a state dict written by {@link #save} or by PyTorch (safetensors or torch.save, told
     * apart by the file's first bytes, not its name) into {@code module}, on its device, checking
     * that names, shapes and dtypes match exactly; nothing changes if they do not. A torch.save
     * file's float64 or float16 tensors load as float32 and its integer ones as int64, as
     * PyTorch's {@code load_state_dict} converts them.
     */
    public static void load(Module module, Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("Checkpoints.load: no such file " + path);
        }
        Map<String, Tensor> state = TorchSerialization.isTorchFile(path)
                ? TorchSerialization.loadStateDict(path, dev.cortado.tensor.Cortado.defaultDevice())
                : SafeTensors.read(path).tensors();
        try {
            module.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }
}
