"""Games: what a GAN minimises, phase by phase, for the one :class:`ganbook.train.Trainer`.

- :mod:`.standard`: any D loss against any G loss, optional penalty, instance
  noise, n_critic (:class:`StandardGame`, :class:`Objective`); feature matching.
- :mod:`.infogan`: InfoGAN's information term on both players.
"""

from .standard import FeatureMatchingGame, Objective, StandardGame

__all__ = ["FeatureMatchingGame", "Objective", "StandardGame"]
