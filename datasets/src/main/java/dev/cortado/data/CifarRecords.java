package dev.cortado.data;

import dev.cortado.io.NumpyArray;
import dev.cortado.io.TorchSerialization;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CIFAR files' common layout: records of label bytes followed by 3,072 pixel bytes (the red,
 * green and blue 32×32 planes), in the binary version's files, or in the python version's pickled
 * dicts of a uint8 "data" array and label lists, which are read into the same records.
 *
 * @param name       the data set's name in messages
 * @param labelNames the label lists, in the order of a record's label bytes (CIFAR-100: coarse, fine)
 * @param classes    how many classes each label has
 */
record CifarRecords(String name, List<String> labelNames, int[] classes) {
    static final int PIXELS = 3 * 32 * 32;

    int record() {
        return classes.length + PIXELS;
    }

    /** The binary files' records, each file a whole number of records with labels in range. */
    byte[] readBinary(Path dir, List<String> files) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int record = record();
        for (String file : files) {
            Path f = dir.resolve(file);
            byte[] data = Files.readAllBytes(f);
            if (data.length == 0 || data.length % record != 0) {
                throw new IOException(name + ": " + f + " is " + data.length + " bytes, not a whole number of " + record
                        + "-byte records (truncated or not the binary version)");
            }
            for (int r = 0; r < data.length; r += record) {
                for (int k = 0; k < classes.length; k++) {
                    int label = data[r + k] & 0xFF;
                    if (label >= classes[k]) {
                        throw new IOException(name + ": " + f + ": record " + r / record + " has " + describe(k) + label + ", not 0.."
                                + (classes[k] - 1));
                    }
                }
            }
            all.write(data);
        }
        return all.toByteArray();
    }

    /** The python batches as binary records: dicts of "data" (uint8, n × 3072, the planes) and one list of n ints per label. */
    byte[] readPython(Path dir, List<String> files) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String file : files) {
            Path f = dir.resolve(file);
            Object loaded = TorchSerialization.loadPickle(f);
            if (!(loaded instanceof java.util.Map<?, ?> batch) || !(batch.get("data") instanceof NumpyArray data)) {
                throw notABatch(f);
            }
            List<?>[] labels = new List<?>[classes.length];
            for (int k = 0; k < classes.length; k++) {
                if (!(batch.get(labelNames.get(k)) instanceof List<?> list) || k > 0 && list.size() != labels[0].size()) {
                    throw notABatch(f);
                }
                labels[k] = list;
            }
            int n = labels[0].size();
            if (!data.dtype().equals("u1") || data.shape().length != 2 || data.shape()[0] != n || data.shape()[1] != PIXELS) {
                throw new IOException(name + ": " + f + ": \"data\" is a " + data.dtype() + " array of shape "
                        + java.util.Arrays.toString(data.shape()) + ", expected uint8 (" + n + ", " + PIXELS + ") for its " + n + " labels");
            }
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < classes.length; k++) {
                    Object label = labels[k].get(r);
                    if (!(label instanceof Long value) || value < 0 || value >= classes[k]) {
                        throw new IOException(name + ": " + f + ": record " + r + " has " + describe(k) + label + ", not 0.." + (classes[k] - 1));
                    }
                    all.write((int) (long) value);
                }
                all.write(data.data(), r * PIXELS, PIXELS);
            }
        }
        return all.toByteArray();
    }

    private IOException notABatch(Path f) {
        return new IOException(name + ": " + f + " is not a python batch (a dict with a numpy array \"data\" and "
                + (classes.length == 1 ? "a list" : "lists of equal length") + " \"" + String.join("\", \"", labelNames) + "\")");
    }

    private String describe(int k) {
        return classes.length == 1 ? "label " : labelNames.get(k) + " ";
    }

    /** Record index's image as HWC bytes, converted from the planar layout. */
    Image image(byte[] records, int index) {
        byte[] px = new byte[PIXELS];
        int base = index * record() + classes.length;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 1024; p++) {
                px[p * 3 + c] = records[base + c * 1024 + p];
            }
        }
        return new Image(px, 32, 32, 3);
    }

    /** Label k (of {@link #labelNames}) of record index. */
    long label(byte[] records, int index, int k) {
        return records[index * record() + k] & 0xFF;
    }
}
