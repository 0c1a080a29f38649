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
        load(module, path, null, true);
    }

    /**
     * The state dict a torch.save or safetensors file holds, told apart by their first bytes, as
     * {@link #load(Module, Path)} reads it; for a training checkpoint, an error that names the
     * entries holding one.
     */
    public static Map<String, Tensor> read(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("Checkpoints.load: no such file " + path);
        }
        return TorchSerialization.isTorchFile(path) ? torchStateDict(path) : SafeTensors.read(path).tensors();
    }

    /** The file's state dict; for a training checkpoint, an error that names the entries holding one. */
    private static Map<String, Tensor> torchStateDict(Path path) throws IOException {
        try {
            return TorchSerialization.loadStateDict(path, dev.cortado.tensor.Cortado.defaultDevice());
        } catch (IOException e) {
            if (!(TorchSerialization.load(path, dev.cortado.tensor.Cortado.defaultDevice()) instanceof Map<?, ?> entries)) {
                throw e;
            }
            java.util.List<String> dicts = new java.util.ArrayList<>();
            for (var entry : entries.entrySet()) {
                try {
                    TorchSerialization.asStateDict(entry.getValue());
                    dicts.add(String.valueOf(entry.getKey()));
                } catch (IllegalArgumentException notOne) {
                    // not a state dict: not worth naming
                }
            }
            if (dicts.isEmpty()) {
                throw e;
            }
            throw new IOException("Checkpoints.load: " + path + " is a training checkpoint with keys " + entries.keySet() + "; load its"
                    + " state dict with Checkpoints.load(module, path, \"" + dicts.getFirst() + "\", true)", e);
        }
    }

    /**
     * As {@link #load(Module, Path)}, from the entry {@code key} of a training checkpoint
     * ({@code torch.save({"model_state_dict": model.state_dict(), "epoch": 3}, path)}: key
     * "model_state_dict"), or the whole file when key is null; with {@code strict} false, keys
     * on either side that the other lacks are left out and returned, as
     * {@code load_state_dict(sd, strict=False)} does when fine-tuning a changed head.
     */
    public static IncompatibleKeys load(Module module, Path path, String key, boolean strict) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("Checkpoints.load: no such file " + path);
        }
        Map<String, Tensor> state;
        if (key == null) {
            state = read(path);
        } else {
            if (!TorchSerialization.isTorchFile(path)) {
                throw new IOException("Checkpoints.load: " + path + " is not a torch.save file, so it has no entry \"" + key + "\"");
            }
            Object file = TorchSerialization.load(path, dev.cortado.tensor.Cortado.defaultDevice());
            if (!(file instanceof Map<?, ?> entries) || !entries.containsKey(key)) {
                throw new IOException("Checkpoints.load: " + path + " has no entry \"" + key + "\""
                        + (file instanceof Map<?, ?> m ? "; its keys are " + m.keySet() : ""));
            }
            try {
                state = TorchSerialization.asStateDict(entries.get(key));
            } catch (IllegalArgumentException e) {
                throw new IOException("Checkpoints.load: " + path + ": entry \"" + key + "\" is " + e.getMessage(), e);
            }
        }
        try {
            return module.loadStateDict(state, strict);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }
}
