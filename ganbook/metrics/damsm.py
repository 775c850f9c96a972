"""AttnGAN's Deep Attentional Multimodal Similarity Model (Xu et al. 2018), as the authors' code computes it,
and the R-precision that reads it (chapter 21).

Word-level matching of caption ``Q`` (words ``e_i``) and image ``D`` (regions
``v_j``), as ``func_attention`` and ``words_loss`` in taoxugit/AttnGAN compute it:

.. math:: s_{ij} = e_i^\\top v_j,\\quad \\bar s_{ij} = \\operatorname{softmax}_i(s_{ij}),\\quad
   \\alpha_{ij} = \\operatorname{softmax}_j(\\gamma_1 \\bar s_{ij}),\\quad c_i = \\sum_j \\alpha_{ij} v_j,

.. math:: R(Q, D) = \\log \\sum_i \\exp\\big(\\gamma_2 \\cos(c_i, e_i)\\big)

(the paper raises the sum to ``1 / gamma_2``; the code does not, and neither do
we); the sentence level is ``R(Q, D) = cos(sentence, global image)``. Each
loss scores every caption of a batch against every image, scales by
``gamma_3`` and takes the cross-entropy of the true pairs both ways (captions
given images and images given captions); pairs whose captions are the same
text are not counted as negatives (the code masks images of the same class).
``gamma_1 = 4`` (the authors' shipped configs; 5 in their defaults),
``gamma_2 = 5``, ``gamma_3 = 10``.

R-precision (AttnGAN's Section 5; the authors did not release it, so this
follows the common re-implementation in MinfengZhu/DM-GAN): for each image,
rank its own caption among it and 99 others by the cosine of the global image
and sentence features; the share of images whose own caption ranks first.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

GAMMA1, GAMMA2, GAMMA3 = 4.0, 5.0, 10.0


def attend(words: Tensor, regions: Tensor, mask: Tensor, gamma1: float = GAMMA1) -> tuple[Tensor, Tensor]:
    """Each word's region context: ``words`` ``(n, D, L)``, ``regions`` ``(n, D, R)``, ``mask`` ``(n, L)``
    (True for real words) -> ``(context (n, D, L), alpha (n, L, R))``, ``alpha`` each word's attention over
    regions."""
    s = torch.bmm(words.transpose(1, 2), regions)  # (n, L, R)
    s = s.masked_fill(~mask[:, :, None], float("-inf")).softmax(1)  # over the words, for each region
    alpha = (gamma1 * s).softmax(2).masked_fill(~mask[:, :, None], 0.0)  # over the regions, for each word
    return torch.bmm(regions, alpha.transpose(1, 2)), alpha


def word_scores(words: Tensor, regions: Tensor, mask: Tensor, gamma1: float = GAMMA1,
                gamma2: float = GAMMA2) -> Tensor:
    """``R(Q_i, D_j)`` for every caption ``i`` and image ``j`` of a batch: ``(n, n)``."""
    n = len(words)
    rows = []
    for i in range(n):
        w = words[i:i + 1].expand(n, -1, -1)
        m = mask[i:i + 1].expand(n, -1)
        context, _ = attend(w, regions, m, gamma1)
        cosine = F.cosine_similarity(context, w, dim=1)  # (n, L)
        rows.append(torch.logsumexp((gamma2 * cosine).masked_fill(~m, float("-inf")), 1))
    return torch.stack(rows)  # rows: captions, columns: images


def sentence_scores(sentence: Tensor, image: Tensor) -> Tensor:
    """The cosine of every caption ``i``'s sentence feature and image ``j``'s global feature: ``(n, n)``."""
    return F.normalize(sentence, dim=1) @ F.normalize(image, dim=1).T


def matching_loss(scores: Tensor, same: Tensor, gamma3: float = GAMMA3) -> Tensor:
    """Cross-entropy of the true pairs (the diagonal of ``scores``, captions by images) both ways, over
    ``gamma3 * scores``; ``same`` ``(n, n)`` marks pairs of the same caption text, left out as negatives."""
    logits = (gamma3 * scores).masked_fill(same & ~torch.eye(len(scores), dtype=torch.bool,
                                                             device=scores.device), float("-inf"))
    target = torch.arange(len(scores), device=scores.device)
    return F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)


def loss(words: Tensor, sentence: Tensor, regions: Tensor, image: Tensor,
         tokens: Tensor) -> Tensor:
    """The DAMSM loss of a batch: the word-level and the sentence-level matching
    losses, summed, for captions ``tokens`` (their ``words`` and ``sentence``
    features) against images (their ``regions`` and global ``image`` features).
    AttnGAN pretrains its encoders with it and adds it, weighted, to G's loss."""
    same = same_text(tokens)
    return (matching_loss(word_scores(words, regions, tokens != 0), same)
            + matching_loss(sentence_scores(sentence, image), same))


def same_text(tokens: Tensor) -> Tensor:
    """``(n, n)``: True where captions ``i`` and ``j`` are the same word rows."""
    return (tokens[:, None, :] == tokens[None, :, :]).all(-1)


def r_precision(image: Tensor, sentence: Tensor, tokens: Tensor, candidates: int = 100,
                generator: torch.Generator | None = None) -> float:
    """The share of images whose own caption ranks first among it and ``candidates - 1`` others drawn at
    random from the other rows (captions of the same text left out), by the cosine of global image features
    ``image`` ``(n, D)`` and sentence features ``sentence`` ``(n, D)``."""
    n = len(image)
    if n < candidates:
        raise ValueError(f"R-precision with {candidates} candidates needs at least {candidates} captions, got {n}")
    scores = sentence_scores(sentence, image).T  # images by captions
    same = same_text(tokens)
    hits = 0
    for i in range(n):
        others = torch.nonzero(~same[i]).flatten()
        pick = others[torch.randperm(len(others), generator=generator)[:candidates - 1]]
        hits += int(scores[i, i] > scores[i, pick].max())
    return hits / n
