"""Generators and discriminators, one module per family."""

from .minibatch import MinibatchDiscrimination, MinibatchMLPDiscriminator
from .mlp import MLPDiscriminator, MLPGenerator, mlp_layers

__all__ = ["MLPDiscriminator", "MLPGenerator", "mlp_layers", "MinibatchDiscrimination", "MinibatchMLPDiscriminator"]
