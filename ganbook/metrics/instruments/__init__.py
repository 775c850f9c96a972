"""The book's measuring instruments: networks trained here, shipped as package data, that read generated images.

- :mod:`.digit_classifier`: the class of a 28x28 digit and a 64-d feature space
  (chapters 5-13's FD, precision, recall and class coverage);
- :mod:`.shape_reader`: every factor of a shape-world scene and a 64-d feature
  space (chapters 14 on);
- :mod:`.segmenter`: the class of every pixel of a scene (chapters 17-18's FCN-score);
- :mod:`.text_encoder`: caption and scene encoders trained with AttnGAN's DAMSM
  (chapter 21's conditioning and R-precision);
- :mod:`.voxel_classifier`: the primitive of a 32^3 voxel grid (chapter 20's class coverage);
- :mod:`.training`: how ``python -m ganbook train NAME`` trains and saves one.

Each holds its weights to one rule: it reads degraded real images (pixel noise,
a 3x3 blur; flipped voxels for the 3-D classifier) about as well as clean ones, and ``python -m ganbook evaluate`` on
its file prints that table. Nothing here imports :mod:`ganbook.experiments`.
"""
