package dev.cortado.models;

import dev.cortado.nn.Module;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * torchvision's model registry: {@code list_models()}, {@code get_model(name)} and
 * {@code get_model(name, weights=...)}, by torchvision's builder names.
 */
public final class Models {
    private static final Map<String, Supplier<Module>> BUILDERS = new LinkedHashMap<>();

    static {
        add("alexnet", AlexNet::new);
        add("convnext_base", ConvNeXt::convnext_base);
        add("convnext_large", ConvNeXt::convnext_large);
        add("convnext_small", ConvNeXt::convnext_small);
        add("convnext_tiny", ConvNeXt::convnext_tiny);
        add("densenet121", DenseNet::densenet121);
        add("densenet161", DenseNet::densenet161);
        add("densenet169", DenseNet::densenet169);
        add("densenet201", DenseNet::densenet201);
        add("efficientnet_b0", EfficientNet::efficientnet_b0);
        add("efficientnet_b1", EfficientNet::efficientnet_b1);
        add("efficientnet_b2", EfficientNet::efficientnet_b2);
        add("efficientnet_b3", EfficientNet::efficientnet_b3);
        add("efficientnet_b4", EfficientNet::efficientnet_b4);
        add("efficientnet_b5", EfficientNet::efficientnet_b5);
        add("efficientnet_b6", EfficientNet::efficientnet_b6);
        add("efficientnet_b7", EfficientNet::efficientnet_b7);
        add("efficientnet_v2_l", EfficientNet::efficientnet_v2_l);
        add("efficientnet_v2_m", EfficientNet::efficientnet_v2_m);
        add("efficientnet_v2_s", EfficientNet::efficientnet_v2_s);
        add("googlenet", GoogLeNet::googlenet);
        add("inception_v3", Inception3::inception_v3);
        add("maxvit_t", MaxVit::maxvit_t);
        add("mnasnet0_5", MNASNet::mnasnet0_5);
        add("mnasnet0_75", MNASNet::mnasnet0_75);
        add("mnasnet1_0", MNASNet::mnasnet1_0);
        add("mnasnet1_3", MNASNet::mnasnet1_3);
        add("mobilenet_v2", MobileNetV2::new);
        add("mobilenet_v3_large", MobileNetV3::mobilenet_v3_large);
        add("mobilenet_v3_small", MobileNetV3::mobilenet_v3_small);
        add("regnet_x_16gf", RegNet::regnet_x_16gf);
        add("regnet_x_1_6gf", RegNet::regnet_x_1_6gf);
        add("regnet_x_32gf", RegNet::regnet_x_32gf);
        add("regnet_x_3_2gf", RegNet::regnet_x_3_2gf);
        add("regnet_x_400mf", RegNet::regnet_x_400mf);
        add("regnet_x_800mf", RegNet::regnet_x_800mf);
        add("regnet_x_8gf", RegNet::regnet_x_8gf);
        add("regnet_y_128gf", RegNet::regnet_y_128gf);
        add("regnet_y_16gf", RegNet::regnet_y_16gf);
        add("regnet_y_1_6gf", RegNet::regnet_y_1_6gf);
        add("regnet_y_32gf", RegNet::regnet_y_32gf);
        add("regnet_y_3_2gf", RegNet::regnet_y_3_2gf);
        add("regnet_y_400mf", RegNet::regnet_y_400mf);
        add("regnet_y_800mf", RegNet::regnet_y_800mf);
        add("regnet_y_8gf", RegNet::regnet_y_8gf);
        add("resnet101", ResNet::resnet101);
        add("resnet152", ResNet::resnet152);
        add("resnet18", ResNet::resnet18);
        add("resnet34", ResNet::resnet34);
        add("resnet50", ResNet::resnet50);
        add("resnext101_32x8d", ResNet::resnext101_32x8d);
        add("resnext101_64x4d", ResNet::resnext101_64x4d);
        add("resnext50_32x4d", ResNet::resnext50_32x4d);
        add("shufflenet_v2_x0_5", ShuffleNetV2::shufflenet_v2_x0_5);
        add("shufflenet_v2_x1_0", ShuffleNetV2::shufflenet_v2_x1_0);
        add("shufflenet_v2_x1_5", ShuffleNetV2::shufflenet_v2_x1_5);
        add("shufflenet_v2_x2_0", ShuffleNetV2::shufflenet_v2_x2_0);
        add("squeezenet1_0", SqueezeNet::squeezenet1_0);
        add("squeezenet1_1", SqueezeNet::squeezenet1_1);
        add("swin_b", SwinTransformer::swin_b);
        add("swin_s", SwinTransformer::swin_s);
        add("swin_t", SwinTransformer::swin_t);
        add("swin_v2_b", SwinTransformer::swin_v2_b);
        add("swin_v2_s", SwinTransformer::swin_v2_s);
        add("swin_v2_t", SwinTransformer::swin_v2_t);
        add("vgg11", VGG::vgg11);
        add("vgg11_bn", VGG::vgg11_bn);
        add("vgg13", VGG::vgg13);
        add("vgg13_bn", VGG::vgg13_bn);
        add("vgg16", VGG::vgg16);
        add("vgg16_bn", VGG::vgg16_bn);
        add("vgg19", VGG::vgg19);
        add("vgg19_bn", VGG::vgg19_bn);
        add("vit_b_16", VisionTransformer::vit_b_16);
        add("vit_b_32", VisionTransformer::vit_b_32);
        add("vit_h_14", VisionTransformer::vit_h_14);
        add("vit_l_16", VisionTransformer::vit_l_16);
        add("vit_l_32", VisionTransformer::vit_l_32);
        add("wide_resnet101_2", ResNet::wide_resnet101_2);
        add("wide_resnet50_2", ResNet::wide_resnet50_2);
    }

    private Models() {
    }

    /** Registers a builder; the bound keeps every registered model fine-tunable ({@link ImageClassifier}). */
    private static <M extends Module & ImageClassifier> void add(String name, Supplier<M> builder) {
        BUILDERS.put(name, builder::get);
    }

    /** The builder names, sorted. */
    public static List<String> listModels() {
        return List.copyOf(BUILDERS.keySet());
    }

    /** {@code get_model(name)}: the architecture with fresh weights and 1000 classes. */
    public static Module getModel(String name) {
        return builder(name).get();
    }

    private static Supplier<Module> builder(String name) {
        Supplier<Module> builder = BUILDERS.get(name);
        if (builder == null) {
            throw new IllegalArgumentException("Models: unknown model \"" + name + "\"; the models are " + listModels());
        }
        return builder;
    }

    /**
     * The architecture with the weights of a local file (a downloaded torchvision file, or a state
     * dict of the same model), as {@link Weights#loadFile}. GoogLeNet and Inception v3 are built
     * as their pretrained builders build them (see {@link #getModel(String, Weights)}), and a
     * ViT for the image size of the file's position embeddings.
     */
    public static Module getModel(String name, java.nio.file.Path weightsFile) throws IOException {
        Pretrained special = PRETRAINED.get(name);
        if (special != null) {
            return special.load(weightsFile);
        }
        Module model = getModel(name);
        Weights.loadFile(model, weightsFile);
        return model;
    }

    /**
     * {@code get_model(name, weights=weights)}: the architecture with the pretrained weights
     * loaded. As in torchvision, GoogLeNet and Inception v3 then take inputs normalised with
     * ImageNet's statistics ({@code transform_input=True}), and GoogLeNet has no auxiliary
     * classifiers; a ViT is built for its weights' image size (SWAG's 384, 512 or 518).
     */
    public static Module getModel(String name, Weights weights) throws IOException {
        Pretrained special = PRETRAINED.get(name);
        return special != null ? special.load(weights.fetchFor(name)) : weights.loadInto(getModel(name), name);
    }

    /**
     * {@code get_model_weights(name)}: the pretrained weights published for a builder, its
     * default ({@link Weights#defaultFor}) last.
     */
    public static List<Weights> getModelWeights(String name) {
        builder(name);
        return java.util.Arrays.stream(Weights.values()).filter(w -> w.architecture().equals(name)).toList();
    }

    /** A builder whose pretrained model differs from its fresh one by more than the weights (the file says how). */
    private interface Pretrained {
        Module load(java.nio.file.Path file) throws IOException;
    }

    private static final Map<String, Pretrained> PRETRAINED = pretrainedBuilders();

    private static Map<String, Pretrained> pretrainedBuilders() {
        Map<String, Pretrained> out = new LinkedHashMap<>();
        out.put("googlenet", GoogLeNet::pretrained);
        out.put("inception_v3", Inception3::pretrained);
        for (String vit : List.of("vit_b_16", "vit_b_32", "vit_l_16", "vit_l_32", "vit_h_14")) {
            out.put(vit, file -> VisionTransformer.pretrained(vit, file));
        }
        return Map.copyOf(out);
    }
}
