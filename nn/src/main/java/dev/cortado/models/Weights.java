package dev.cortado.models;

import dev.cortado.io.Download;
import dev.cortado.nn.Checkpoints;
import dev.cortado.nn.Module;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torchvision's pretrained ImageNet weights ({@code ResNet18_Weights.IMAGENET1K_V1}, ...): the
 * files PyTorch publishes, found in torch.hub's cache ({@code $TORCH_HOME/hub/checkpoints}, by
 * default {@code ~/.cache/torch/hub/checkpoints}, where PyTorch's own downloads land) or downloaded
 * there, with the SHA-256 prefix in the file name checked. Offline, copy the file into that folder,
 * or load it with {@link #loadFile}.
 * <p>
 * The models expect torchvision's {@code ImageClassification} preprocessing (cortado-datasets'
 * {@code Transforms.imageClassification}): resize the shorter side to {@link #resizeSize()}
 * (antialiased, with {@link #interpolation()}), center-crop {@link #cropSize()}, scale to [0, 1]
 * and normalise with {@link #mean()} and {@link #std()} (ImageNet's {@link #MEAN} and
 * {@link #STD} for all but EfficientNet V2 L). Cortado's transforms resize the float image, as
 * torchvision does for tensors; torchvision's PIL path rounds the resized image to 8 bits first,
 * a difference of up to 1/255 before normalisation.
 */
public enum Weights {
    RESNET18_IMAGENET1K_V1("resnet18", "resnet18-f37072fd.pth", 256),
    RESNET34_IMAGENET1K_V1("resnet34", "resnet34-b627a593.pth", 256),
    RESNET50_IMAGENET1K_V1("resnet50", "resnet50-0676ba61.pth", 256),
    RESNET50_IMAGENET1K_V2("resnet50", "resnet50-11ad3fa6.pth", 232),
    RESNET101_IMAGENET1K_V1("resnet101", "resnet101-63fe2227.pth", 256),
    RESNET101_IMAGENET1K_V2("resnet101", "resnet101-cd907fc2.pth", 232),
    RESNET152_IMAGENET1K_V1("resnet152", "resnet152-394f9c45.pth", 256),
    RESNET152_IMAGENET1K_V2("resnet152", "resnet152-f82ba261.pth", 232),
    RESNEXT50_32X4D_IMAGENET1K_V1("resnext50_32x4d", "resnext50_32x4d-7cdf4587.pth", 256),
    RESNEXT50_32X4D_IMAGENET1K_V2("resnext50_32x4d", "resnext50_32x4d-1a0047aa.pth", 232),
    RESNEXT101_32X8D_IMAGENET1K_V1("resnext101_32x8d", "resnext101_32x8d-8ba56ff5.pth", 256),
    RESNEXT101_32X8D_IMAGENET1K_V2("resnext101_32x8d", "resnext101_32x8d-110c445d.pth", 232),
    RESNEXT101_64X4D_IMAGENET1K_V1("resnext101_64x4d", "resnext101_64x4d-173b62eb.pth", 232),
    WIDE_RESNET50_2_IMAGENET1K_V1("wide_resnet50_2", "wide_resnet50_2-95faca4d.pth", 256),
    WIDE_RESNET50_2_IMAGENET1K_V2("wide_resnet50_2", "wide_resnet50_2-9ba9bcbe.pth", 232),
    WIDE_RESNET101_2_IMAGENET1K_V1("wide_resnet101_2", "wide_resnet101_2-32ee1156.pth", 256),
    WIDE_RESNET101_2_IMAGENET1K_V2("wide_resnet101_2", "wide_resnet101_2-d733dc28.pth", 232),
    VGG11_IMAGENET1K_V1("vgg11", "vgg11-8a719046.pth", 256),
    VGG11_BN_IMAGENET1K_V1("vgg11_bn", "vgg11_bn-6002323d.pth", 256),
    VGG13_IMAGENET1K_V1("vgg13", "vgg13-19584684.pth", 256),
    VGG13_BN_IMAGENET1K_V1("vgg13_bn", "vgg13_bn-abd245e5.pth", 256),
    VGG16_IMAGENET1K_V1("vgg16", "vgg16-397923af.pth", 256),
    VGG16_BN_IMAGENET1K_V1("vgg16_bn", "vgg16_bn-6c64b313.pth", 256),
    VGG19_IMAGENET1K_V1("vgg19", "vgg19-dcbb9e9d.pth", 256),
    VGG19_BN_IMAGENET1K_V1("vgg19_bn", "vgg19_bn-c79401a0.pth", 256),
    ALEXNET_IMAGENET1K_V1("alexnet", "alexnet-owt-7be5be79.pth", 256),
    MOBILENET_V2_IMAGENET1K_V1("mobilenet_v2", "mobilenet_v2-b0353104.pth", 256),
    MOBILENET_V2_IMAGENET1K_V2("mobilenet_v2", "mobilenet_v2-7ebf99e0.pth", 232),
    MOBILENET_V3_LARGE_IMAGENET1K_V1("mobilenet_v3_large", "mobilenet_v3_large-8738ca79.pth", 256),
    MOBILENET_V3_LARGE_IMAGENET1K_V2("mobilenet_v3_large", "mobilenet_v3_large-5c1a4163.pth", 232),
    MOBILENET_V3_SMALL_IMAGENET1K_V1("mobilenet_v3_small", "mobilenet_v3_small-047dcff4.pth", 256),
    CONVNEXT_TINY_IMAGENET1K_V1("convnext_tiny", "convnext_tiny-983f1562.pth", 236),
    CONVNEXT_SMALL_IMAGENET1K_V1("convnext_small", "convnext_small-0c510722.pth", 230),
    CONVNEXT_BASE_IMAGENET1K_V1("convnext_base", "convnext_base-6075fbad.pth", 232),
    CONVNEXT_LARGE_IMAGENET1K_V1("convnext_large", "convnext_large-ea097f82.pth", 232),
    VIT_B_16_IMAGENET1K_SWAG_E2E_V1("vit_b_16", "vit_b_16_swag-9ac1b537.pth", 384, 384, "bicubic"),
    VIT_B_16_IMAGENET1K_SWAG_LINEAR_V1("vit_b_16", "vit_b_16_lc_swag-4e70ced5.pth", 224, 224, "bicubic"),
    VIT_B_16_IMAGENET1K_V1("vit_b_16", "vit_b_16-c867db91.pth", 256),
    VIT_B_32_IMAGENET1K_V1("vit_b_32", "vit_b_32-d86f8d99.pth", 256),
    VIT_L_16_IMAGENET1K_SWAG_E2E_V1("vit_l_16", "vit_l_16_swag-4f3808c9.pth", 512, 512, "bicubic"),
    VIT_L_16_IMAGENET1K_SWAG_LINEAR_V1("vit_l_16", "vit_l_16_lc_swag-4d563306.pth", 224, 224, "bicubic"),
    VIT_L_16_IMAGENET1K_V1("vit_l_16", "vit_l_16-852ce7e3.pth", 242),
    VIT_L_32_IMAGENET1K_V1("vit_l_32", "vit_l_32-c7638314.pth", 256),
    VIT_H_14_IMAGENET1K_SWAG_LINEAR_V1("vit_h_14", "vit_h_14_lc_swag-c1eb923e.pth", 224, 224, "bicubic"),
    VIT_H_14_IMAGENET1K_SWAG_E2E_V1("vit_h_14", "vit_h_14_swag-80465313.pth", 518, 518, "bicubic"),
    DENSENET121_IMAGENET1K_V1("densenet121", "densenet121-a639ec97.pth", 256),
    DENSENET161_IMAGENET1K_V1("densenet161", "densenet161-8d451a50.pth", 256),
    DENSENET169_IMAGENET1K_V1("densenet169", "densenet169-b2777c0a.pth", 256),
    DENSENET201_IMAGENET1K_V1("densenet201", "densenet201-c1103571.pth", 256),
    MAXVIT_T_IMAGENET1K_V1("maxvit_t", "maxvit_t-bc5ab103.pth", 224, 224, "bicubic"),
    SWIN_T_IMAGENET1K_V1("swin_t", "swin_t-704ceda3.pth", 232, 224, "bicubic"),
    SWIN_S_IMAGENET1K_V1("swin_s", "swin_s-5e29d889.pth", 246, 224, "bicubic"),
    SWIN_B_IMAGENET1K_V1("swin_b", "swin_b-68c6b09e.pth", 238, 224, "bicubic"),
    SWIN_V2_T_IMAGENET1K_V1("swin_v2_t", "swin_v2_t-b137f0e2.pth", 260, 256, "bicubic"),
    SWIN_V2_S_IMAGENET1K_V1("swin_v2_s", "swin_v2_s-637d8ceb.pth", 260, 256, "bicubic"),
    SWIN_V2_B_IMAGENET1K_V1("swin_v2_b", "swin_v2_b-781e5279.pth", 272, 256, "bicubic"),
    SQUEEZENET1_0_IMAGENET1K_V1("squeezenet1_0", "squeezenet1_0-b66bff10.pth", 256),
    SQUEEZENET1_1_IMAGENET1K_V1("squeezenet1_1", "squeezenet1_1-b8a52dc0.pth", 256),
    SHUFFLENET_V2_X0_5_IMAGENET1K_V1("shufflenet_v2_x0_5", "shufflenetv2_x0.5-f707e7126e.pth", 256),
    SHUFFLENET_V2_X1_0_IMAGENET1K_V1("shufflenet_v2_x1_0", "shufflenetv2_x1-5666bf0f80.pth", 256),
    SHUFFLENET_V2_X1_5_IMAGENET1K_V1("shufflenet_v2_x1_5", "shufflenetv2_x1_5-3c479a10.pth", 232),
    SHUFFLENET_V2_X2_0_IMAGENET1K_V1("shufflenet_v2_x2_0", "shufflenetv2_x2_0-8be3c8ee.pth", 232),
    MNASNET0_5_IMAGENET1K_V1("mnasnet0_5", "mnasnet0.5_top1_67.823-3ffadce67e.pth", 256),
    MNASNET0_75_IMAGENET1K_V1("mnasnet0_75", "mnasnet0_75-7090bc5f.pth", 232),
    MNASNET1_0_IMAGENET1K_V1("mnasnet1_0", "mnasnet1.0_top1_73.512-f206786ef8.pth", 256),
    MNASNET1_3_IMAGENET1K_V1("mnasnet1_3", "mnasnet1_3-a4c69d6f.pth", 232),
    GOOGLENET_IMAGENET1K_V1("googlenet", "googlenet-1378be20.pth", 256),
    INCEPTION_V3_IMAGENET1K_V1("inception_v3", "inception_v3_google-0cc3c7bd.pth", 342, 299, "bilinear"),
    REGNET_Y_400MF_IMAGENET1K_V1("regnet_y_400mf", "regnet_y_400mf-c65dace8.pth", 256),
    REGNET_Y_400MF_IMAGENET1K_V2("regnet_y_400mf", "regnet_y_400mf-e6988f5f.pth", 232),
    REGNET_Y_800MF_IMAGENET1K_V1("regnet_y_800mf", "regnet_y_800mf-1b27b58c.pth", 256),
    REGNET_Y_800MF_IMAGENET1K_V2("regnet_y_800mf", "regnet_y_800mf-58fc7688.pth", 232),
    REGNET_Y_1_6GF_IMAGENET1K_V1("regnet_y_1_6gf", "regnet_y_1_6gf-b11a554e.pth", 256),
    REGNET_Y_1_6GF_IMAGENET1K_V2("regnet_y_1_6gf", "regnet_y_1_6gf-0d7bc02a.pth", 232),
    REGNET_Y_3_2GF_IMAGENET1K_V1("regnet_y_3_2gf", "regnet_y_3_2gf-b5a9779c.pth", 256),
    REGNET_Y_3_2GF_IMAGENET1K_V2("regnet_y_3_2gf", "regnet_y_3_2gf-9180c971.pth", 232),
    REGNET_Y_8GF_IMAGENET1K_V1("regnet_y_8gf", "regnet_y_8gf-d0d0e4a8.pth", 256),
    REGNET_Y_8GF_IMAGENET1K_V2("regnet_y_8gf", "regnet_y_8gf-dc2b1b54.pth", 232),
    REGNET_Y_16GF_IMAGENET1K_V1("regnet_y_16gf", "regnet_y_16gf-9e6ed7dd.pth", 256),
    REGNET_Y_16GF_IMAGENET1K_SWAG_E2E_V1("regnet_y_16gf", "regnet_y_16gf_swag-43afe44d.pth", 384, 384, "bicubic"),
    REGNET_Y_16GF_IMAGENET1K_SWAG_LINEAR_V1("regnet_y_16gf", "regnet_y_16gf_lc_swag-f3ec0043.pth", 224, 224, "bicubic"),
    REGNET_Y_16GF_IMAGENET1K_V2("regnet_y_16gf", "regnet_y_16gf-3e4a00f9.pth", 232),
    REGNET_Y_32GF_IMAGENET1K_V1("regnet_y_32gf", "regnet_y_32gf-4dee3f7a.pth", 256),
    REGNET_Y_32GF_IMAGENET1K_SWAG_E2E_V1("regnet_y_32gf", "regnet_y_32gf_swag-04fdfa75.pth", 384, 384, "bicubic"),
    REGNET_Y_32GF_IMAGENET1K_SWAG_LINEAR_V1("regnet_y_32gf", "regnet_y_32gf_lc_swag-e1583746.pth", 224, 224, "bicubic"),
    REGNET_Y_32GF_IMAGENET1K_V2("regnet_y_32gf", "regnet_y_32gf-8db6d4b5.pth", 232),
    REGNET_Y_128GF_IMAGENET1K_SWAG_LINEAR_V1("regnet_y_128gf", "regnet_y_128gf_lc_swag-cbe8ce12.pth", 224, 224, "bicubic"),
    REGNET_Y_128GF_IMAGENET1K_SWAG_E2E_V1("regnet_y_128gf", "regnet_y_128gf_swag-c8ce3e52.pth", 384, 384, "bicubic"),
    REGNET_X_400MF_IMAGENET1K_V1("regnet_x_400mf", "regnet_x_400mf-adf1edd5.pth", 256),
    REGNET_X_400MF_IMAGENET1K_V2("regnet_x_400mf", "regnet_x_400mf-62229a5f.pth", 232),
    REGNET_X_800MF_IMAGENET1K_V1("regnet_x_800mf", "regnet_x_800mf-ad17e45c.pth", 256),
    REGNET_X_800MF_IMAGENET1K_V2("regnet_x_800mf", "regnet_x_800mf-94a99ebd.pth", 232),
    REGNET_X_1_6GF_IMAGENET1K_V1("regnet_x_1_6gf", "regnet_x_1_6gf-e3633e7f.pth", 256),
    REGNET_X_1_6GF_IMAGENET1K_V2("regnet_x_1_6gf", "regnet_x_1_6gf-a12f2b72.pth", 232),
    REGNET_X_3_2GF_IMAGENET1K_V1("regnet_x_3_2gf", "regnet_x_3_2gf-f342aeae.pth", 256),
    REGNET_X_3_2GF_IMAGENET1K_V2("regnet_x_3_2gf", "regnet_x_3_2gf-7071aa85.pth", 232),
    REGNET_X_8GF_IMAGENET1K_V1("regnet_x_8gf", "regnet_x_8gf-03ceed89.pth", 256),
    REGNET_X_8GF_IMAGENET1K_V2("regnet_x_8gf", "regnet_x_8gf-2b70d774.pth", 232),
    REGNET_X_16GF_IMAGENET1K_V1("regnet_x_16gf", "regnet_x_16gf-2007eb11.pth", 256),
    REGNET_X_16GF_IMAGENET1K_V2("regnet_x_16gf", "regnet_x_16gf-ba3796d7.pth", 232),
    REGNET_X_32GF_IMAGENET1K_V1("regnet_x_32gf", "regnet_x_32gf-9d47f8d0.pth", 256),
    REGNET_X_32GF_IMAGENET1K_V2("regnet_x_32gf", "regnet_x_32gf-6eb8fdc6.pth", 232),
    EFFICIENTNET_B0_IMAGENET1K_V1("efficientnet_b0", "efficientnet_b0_rwightman-3dd342df.pth", 256, 224, "bicubic"),
    EFFICIENTNET_B1_IMAGENET1K_V1("efficientnet_b1", "efficientnet_b1_rwightman-533bc792.pth", 256, 240, "bicubic"),
    EFFICIENTNET_B1_IMAGENET1K_V2("efficientnet_b1", "efficientnet_b1-c27df63c.pth", 255, 240, "bilinear"),
    EFFICIENTNET_B2_IMAGENET1K_V1("efficientnet_b2", "efficientnet_b2_rwightman-bcdf34b7.pth", 288, 288, "bicubic"),
    EFFICIENTNET_B3_IMAGENET1K_V1("efficientnet_b3", "efficientnet_b3_rwightman-cf984f9c.pth", 320, 300, "bicubic"),
    EFFICIENTNET_B4_IMAGENET1K_V1("efficientnet_b4", "efficientnet_b4_rwightman-7eb33cd5.pth", 384, 380, "bicubic"),
    EFFICIENTNET_B5_IMAGENET1K_V1("efficientnet_b5", "efficientnet_b5_lukemelas-b6417697.pth", 456, 456, "bicubic"),
    EFFICIENTNET_B6_IMAGENET1K_V1("efficientnet_b6", "efficientnet_b6_lukemelas-c76e70fd.pth", 528, 528, "bicubic"),
    EFFICIENTNET_B7_IMAGENET1K_V1("efficientnet_b7", "efficientnet_b7_lukemelas-dcc49843.pth", 600, 600, "bicubic"),
    EFFICIENTNET_V2_S_IMAGENET1K_V1("efficientnet_v2_s", "efficientnet_v2_s-dd5fe13b.pth", 384, 384, "bilinear"),
    EFFICIENTNET_V2_M_IMAGENET1K_V1("efficientnet_v2_m", "efficientnet_v2_m-dc08266a.pth", 480, 480, "bilinear"),
    EFFICIENTNET_V2_L_IMAGENET1K_V1("efficientnet_v2_l", "efficientnet_v2_l-59c71312.pth", 480, 480, "bicubic", new double[] {0.5, 0.5, 0.5},
            new double[] {0.5, 0.5, 0.5});

    /** ImageNet's per-channel mean and standard deviation, which the inputs are normalised with. */
    public static final double[] MEAN = {0.485, 0.456, 0.406};
    public static final double[] STD = {0.229, 0.224, 0.225};
    private static final String MIRROR = "https://download.pytorch.org/models/";

    private final String architecture;
    private final String fileName;
    private final int resizeSize;
    private final int cropSize;
    private final String interpolation;
    private final double[] mean;
    private final double[] std;

    /** torchvision's usual preprocessing: a 224 crop, bilinear, ImageNet's statistics. */
    Weights(String architecture, String fileName, int resizeSize) {
        this(architecture, fileName, resizeSize, 224, "bilinear");
    }

    Weights(String architecture, String fileName, int resizeSize, int cropSize, String interpolation) {
        // ImageNet's statistics, filled in by mean() and std(): an enum's constructor cannot read its static fields.
        this(architecture, fileName, resizeSize, cropSize, interpolation, null, null);
    }

    Weights(String architecture, String fileName, int resizeSize, int cropSize, String interpolation, double[] mean, double[] std) {
        this.architecture = architecture;
        this.fileName = fileName;
        this.resizeSize = resizeSize;
        this.cropSize = cropSize;
        this.interpolation = interpolation;
        this.mean = mean;
        this.std = std;
    }

    /**
     * {@code <Model>_Weights.DEFAULT}: the best weights published for the builder (IMAGENET1K_V2
     * where there is one), which this enum lists last among the builder's entries.
     */
    public static Weights defaultFor(String builder) {
        Weights best = null;
        for (Weights w : values()) {
            if (w.architecture.equals(builder)) {
                best = w;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("Weights: no pretrained weights for \"" + builder + "\"; there are weights for "
                    + java.util.Arrays.stream(values()).map(Weights::architecture).distinct().toList());
        }
        return best;
    }

    /** The torchvision builder these weights are for ({@code "resnet50"}). */
    public String architecture() {
        return architecture;
    }

    public String fileName() {
        return fileName;
    }

    public String url() {
        return MIRROR + fileName;
    }

    /** The shorter side the images are resized to before the center crop. */
    public int resizeSize() {
        return resizeSize;
    }

    public int cropSize() {
        return cropSize;
    }

    /** The resize's interpolation, {@code "bilinear"} or {@code "bicubic"}, for {@code Transforms.resize(size, interpolation)}. */
    public String interpolation() {
        return interpolation;
    }

    /** The per-channel mean the inputs are normalised with ({@link #MEAN} but for EfficientNet V2 L's 0.5). */
    public double[] mean() {
        return (mean == null ? MEAN : mean).clone();
    }

    public double[] std() {
        return (std == null ? STD : std).clone();
    }

    /**
     * The 1000 ImageNet class names in the order of the models' outputs ({@code weights.meta["categories"]}):
     * {@code categories().get(logits.argmax(1, false).item())}.
     */
    public List<String> categories() {
        return Categories.IMAGENET;
    }

    /** Read once, on first use. */
    private static final class Categories {
        static final List<String> IMAGENET = read();

        private static List<String> read() {
            try (var in = Weights.class.getResourceAsStream("imagenet_categories.txt")) {
                if (in == null) {
                    throw new IllegalStateException("Weights: the resource imagenet_categories.txt is missing from the cortado-nn jar");
                }
                List<String> names = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
                if (names.size() != 1000) {
                    throw new IllegalStateException("Weights: imagenet_categories.txt has " + names.size() + " names, expected 1000");
                }
                return names;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("Weights: cannot read imagenet_categories.txt", e);
            }
        }
    }

    /** torch.hub's folder of checkpoints: {@code $TORCH_HOME/hub/checkpoints}, else {@code $XDG_CACHE_HOME/torch/...}, else {@code ~/.cache/torch/...}. */
    public static Path cacheFolder() {
        String torchHome = System.getenv("TORCH_HOME");
        Path home;
        if (torchHome != null && !torchHome.isEmpty()) {
            home = Path.of(torchHome);
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            home = (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("torch");
        }
        return home.resolve("hub").resolve("checkpoints");
    }

    /** The weights file in {@code folder}, downloaded there (progress on {@code progress} when not null) unless already there. */
    public Path fetch(Path folder, PrintStream progress) throws IOException {
        Path file = folder.resolve(fileName);
        if (Files.isRegularFile(file)) {
            return file;
        }
        String hash = fileName.substring(fileName.lastIndexOf('-') + 1, fileName.lastIndexOf('.'));
        try {
            return Download.fetch(folder, fileName, List.of(MIRROR), Download.Checksum.sha256Prefix(hash), progress);
        } catch (IOException e) {
            throw new IOException(name() + ": " + e.getMessage() + "\nWithout a connection, copy " + fileName + " (from " + url()
                    + ") into " + folder + ", or load a copy with Weights.loadFile(model, path)", e);
        }
    }

    /** Loads these weights (from torch.hub's cache, else downloaded there) into a model of their architecture, strictly; returns the model. */
    public <M extends Module> M loadInto(M model, String builder) throws IOException {
        loadFile(model, fetchFor(builder));
        return model;
    }

    /** The weights file from torch.hub's cache (downloaded there unless already there), after checking that these weights are for {@code builder}. */
    Path fetchFor(String builder) throws IOException {
        if (!builder.equals(architecture)) {
            throw new IllegalArgumentException("Weights " + name() + " are for " + architecture + ", not " + builder);
        }
        return fetch(cacheFolder(), System.err);
    }

    /**
     * Loads a torchvision weight file (or a state dict saved from the same model) into a model of
     * torchvision's architecture, strictly, as torchvision's loader and PyTorch's batch norm do:
     * DenseNet's files still name a layer's parts {@code norm.1}, which are renamed to
     * {@code norm1}, and files saved before batch norm counted its batches (PyTorch 0.4.1) get a
     * count of 0, as PyTorch gives a state dict without version metadata.
     */
    public static void loadFile(Module model, Path file) throws IOException {
        loadState(model, Checkpoints.read(file), file);
    }

    /** {@link #loadFile} on a state dict already read from {@code file} (named in the errors). */
    static void loadState(Module model, Map<String, Tensor> saved, Path file) {
        Map<String, Tensor> state = model instanceof DenseNet ? DenseNet.renameLegacyKeys(saved) : new LinkedHashMap<>(saved);
        for (var e : model.stateDict().entrySet()) {
            if (e.getKey().endsWith("num_batches_tracked") && !state.containsKey(e.getKey())) {
                state.put(e.getKey(), Tensor.full(new int[0], 0, DType.INT64, Device.CPU));
            }
        }
        try {
            model.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
