package dev.cortado.data;

import dev.cortado.io.Download;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * CIFAR-100, as torchvision's {@code CIFAR100}: 50,000 training and 10,000 test images of 32×32,
 * each with a fine label (100 classes, the target) and a coarse one (20 superclasses). Read from
 * the python version that torchvision downloads ({@code cifar-100-python/train} and {@code test}:
 * pickled dicts of a uint8 array and the {@code fine_labels} and {@code coarse_labels} lists), or
 * from the binary version ({@code cifar-100-binary/train.bin} and {@code test.bin}: records of the
 * coarse label byte, the fine label byte and 3,072 pixel bytes), in {@code root} or those folders.
 * With {@code download}, the python archive is fetched, checked against its published MD5 and
 * unpacked.
 */
public final class Cifar100 extends LabelledImages {
    /** The fine classes, by label: the python version's {@code meta["fine_label_names"]}. */
    public static final List<String> CLASSES = List.of("apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle",
            "bicycle", "bottle", "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle", "chair",
            "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur", "dolphin", "elephant", "flatfish",
            "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard", "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster",
            "man", "maple_tree", "motorcycle", "mountain", "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear",
            "pickup_truck", "pine_tree", "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket",
            "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider", "squirrel", "streetcar", "sunflower",
            "sweet_pepper", "table", "tank", "telephone", "television", "tiger", "tractor", "train", "trout", "tulip", "turtle", "wardrobe",
            "whale", "willow_tree", "wolf", "woman", "worm");
    /** The coarse classes (superclasses), by label: {@code meta["coarse_label_names"]}. */
    public static final List<String> SUPERCLASSES = List.of("aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
            "household_electrical_devices", "household_furniture", "insects", "large_carnivores", "large_man-made_outdoor_things",
            "large_natural_outdoor_scenes", "large_omnivores_and_herbivores", "medium_mammals", "non-insect_invertebrates", "people",
            "reptiles", "small_mammals", "trees", "vehicles_1", "vehicles_2");
    static final CifarRecords FORMAT = new CifarRecords("CIFAR-100", List.of("coarse_labels", "fine_labels"), new int[] {20, 100});
    private static final int COARSE = 0;
    private static final int FINE = 1;
    private static final String ARCHIVE = "cifar-100-python.tar.gz";
    private static final String ARCHIVE_MD5 = "eb9058c3a382ffc7106e4002c42a8d85";
    private static final String PYTHON_FOLDER = "cifar-100-python";
    private static final String BINARY_FOLDER = "cifar-100-binary";

    private final byte[] records;
    private final int count;

    private Cifar100(byte[] records, Transform<Image, Tensor> transform) {
        super(transform);
        this.records = records;
        this.count = records.length / FORMAT.record();
    }

    public static Cifar100 load(Path root, boolean train, boolean download, Transform<Image, Tensor> transform) throws IOException {
        return load(root, train, download, transform, System.err);
    }

    static Cifar100 load(Path root, boolean train, boolean download, Transform<Image, Tensor> transform, PrintStream progress)
            throws IOException {
        List<String> python = List.of(train ? "train" : "test");
        List<String> binary = List.of(train ? "train.bin" : "test.bin");
        Path dir = DataFiles.folderWith(List.of(root, root.resolve(PYTHON_FOLDER)), python);
        if (dir != null) {
            return new Cifar100(FORMAT.readPython(dir, python), transform);
        }
        dir = DataFiles.folderWith(List.of(root, root.resolve(BINARY_FOLDER)), binary);
        if (dir != null) {
            return new Cifar100(FORMAT.readBinary(dir, binary), transform);
        }
        if (download) {
            Path archive = Download.fetch(root, ARCHIVE, List.of("https://www.cs.toronto.edu/~kriz/"), Download.Checksum.md5(ARCHIVE_MD5), progress);
            TarGz.unpack(archive, root.resolve(PYTHON_FOLDER), name -> name.equals("train") || name.equals("test") || name.equals("meta"));
            return new Cifar100(FORMAT.readPython(root.resolve(PYTHON_FOLDER), python), transform);
        }
        throw new IOException("CIFAR-100: " + python.get(0) + " not found in " + root.toAbsolutePath() + " or "
                + root.resolve(PYTHON_FOLDER).toAbsolutePath() + ", nor the binary version's " + binary.get(0) + " in "
                + root.resolve(BINARY_FOLDER).toAbsolutePath() + "; expected " + ARCHIVE + " unpacked, or pass download=true");
    }

    @Override
    public int size() {
        return count;
    }

    /** The stored image as HWC bytes (converted from the file's planar layout). */
    @Override
    public Image image(int index) {
        Dataset.checkIndex("CIFAR-100", index, count);
        return FORMAT.image(records, index);
    }

    /** The fine label, 0..99: the target, as torchvision's. */
    @Override
    public long label(int index) {
        Dataset.checkIndex("CIFAR-100", index, count);
        return FORMAT.label(records, index, FINE);
    }

    /** The coarse label (superclass), 0..19. */
    public long coarseLabel(int index) {
        Dataset.checkIndex("CIFAR-100", index, count);
        return FORMAT.label(records, index, COARSE);
    }

    @Override
    public List<String> classes() {
        return CLASSES;
    }
}
