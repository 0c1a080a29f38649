package dev.cortado.data;

import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * torchvision's {@code ImageFolder}: images under {@code root/<class>/} (at any depth), one class
 * per folder, numbered from 0 in the sorted order of the folder names; samples sorted by class,
 * then by folder and file name. Only torchvision's image extensions count (.jpg, .jpeg, .png,
 * .ppm, .bmp, .pgm, .tif, .tiff, .webp, in any case). Each sample is read when asked for
 * ({@link ImageFiles#readRgb}, RGB as torchvision's loader gives) and passed through the transform.
 * <pre>{@code new ImageFolder(Path.of("data/train"), Transforms.toTensor().andThen(Transforms.resize(64)))}</pre>
 */
public final class ImageFolder implements Dataset<Example> {
    /** torchvision's {@code IMG_EXTENSIONS}. */
    public static final List<String> EXTENSIONS = List.of("jpg", "jpeg", "png", "ppm", "bmp", "pgm", "tif", "tiff", "webp");

    private final List<String> classes;
    private final Map<String, Integer> classToIdx;
    private final List<Path> paths;
    private final long[] targets;
    private final Transform<Image, Tensor> transform;

    /** Images as (3, H, W) tensors in [0, 1] ({@link Transforms#toTensor()}). */
    public ImageFolder(Path root) {
        this(root, Transforms.toTensor());
    }

    public ImageFolder(Path root, Transform<Image, Tensor> transform) {
        this.transform = transform;
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("ImageFolder: root " + root + " is not a directory");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            entries.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("ImageFolder: cannot list " + root + ": " + e.getMessage(), e);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("ImageFolder: couldn't find any class folder in " + root);
        }
        Collections.sort(names);
        Map<String, Integer> index = new LinkedHashMap<>();
        names.forEach(n -> index.put(n, index.size()));
        List<Path> files = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (String name : names) {
            List<Path> found = images(root.resolve(name));
            if (found.isEmpty()) {
                empty.add(name);
            }
            files.addAll(found);
            found.forEach(f -> labels.add((long) index.get(name)));
        }
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException("ImageFolder: found no valid file for the classes " + String.join(", ", empty)
                    + " in " + root + ". Supported extensions are: ." + String.join(", .", EXTENSIONS));
        }
        for (Path f : files) {
            if (!ImageFiles.decodable(f.getFileName().toString())) {
                throw new IllegalArgumentException("ImageFolder: " + f + " is ." + ImageFiles.extension(f.getFileName().toString())
                        + ", which no installed image reader decodes (the JDK reads PNG, JPEG, BMP, GIF and TIFF, Cortado PPM and PGM); "
                        + "convert or remove it, or add an ImageIO plug-in for it");
            }
        }
        this.classes = List.copyOf(names);
        this.classToIdx = Collections.unmodifiableMap(index);
        this.paths = List.copyOf(files);
        this.targets = labels.stream().mapToLong(Long::longValue).toArray();
    }

    /** The class folder's image files, recursively, sorted by folder and then by name, as os.walk with sorted names visits them. */
    private static List<Path> images(Path dir) {
        try (Stream<Path> walk = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> EXTENSIONS.contains(ImageFiles.extension(p.getFileName().toString())))
                    .sorted(Comparator.comparing((Path p) -> dir.relativize(p.getParent()).toString()).thenComparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("ImageFolder: cannot walk " + dir + ": " + e.getMessage(),
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
    }

    /** The class names, sorted; a sample's label indexes this list. */
    public List<String> classes() {
        return classes;
    }

    public Map<String, Integer> classToIdx() {
        return classToIdx;
    }

    /** The image files, in sample order. */
    public List<Path> paths() {
        return paths;
    }

    /** The label of every sample, in order (torchvision's {@code targets}). */
    public long[] targets() {
        return targets.clone();
    }

    @Override
    public int size() {
        return paths.size();
    }

    @Override
    public Example get(int index) {
        Dataset.checkIndex("ImageFolder", index, paths.size());
        return new Example(transform.apply(ImageFiles.readRgb(paths.get(index))), targets[index]);
    }
}
