/**
 * torchvision.models' image classifiers (ResNet and its ResNeXt and wide variants, VGG, AlexNet, DenseNet,
 * MobileNet V2 and V3, EfficientNet, ConvNeXt, Vision Transformer)
 * with torchvision's layer names, so that torchvision's state dicts and its pretrained ImageNet
 * weights ({@link dev.cortado.models.Weights}) load as they are.
 */
package dev.cortado.models;
