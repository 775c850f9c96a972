"""pix2pix's networks, game and experiment (chapter 17)."""

import dataclasses

import pytest
import torch

from ganbook.data import shapes
from ganbook.experiments import pix2pix_shapes
from ganbook.games.pix2pix import Pix2PixGame
from ganbook.models.pix2pix import PatchDiscriminator, UNetGenerator, one_hot, receptive_field, translate


def seen_extent(D: PatchDiscriminator) -> int:
    """The side of the input square that moves the centre logit, found by back-propagation."""
    D.eval()
    x = torch.randn(1, 3, 32, 32, requires_grad=True)
    out = D(x)
    out[0, 0, out.shape[2] // 2, out.shape[3] // 2].backward()
    rows = (x.grad.abs().sum((0, 1, 3)) > 0).nonzero()
    return int(rows.max() - rows.min() + 1)


@pytest.mark.parametrize("downs, whole, side", [(0, False, 1), (1, False, 4), (2, False, 10), (3, False, 22),
                                                (3, True, 46)])
def test_the_patch_discriminators_receptive_field_is_what_it_sees(downs, whole, side):
    torch.manual_seed(0)
    D = PatchDiscriminator(3, 4, downs, whole)
    assert D.receptive_field == side == receptive_field(D.net)
    assert seen_extent(D) == min(side, 32)  # the whole image is 32 pixels, padding aside
    with pytest.raises(ValueError, match="downs=3"):
        PatchDiscriminator(3, 4, 2, whole=True)


def test_the_u_net_translates_maps_with_seeded_test_time_dropout():
    torch.manual_seed(0)
    G = UNetGenerator(5, 3, width=4, max_width=8).eval()
    maps = shapes.world("test").maps[:3]
    state = torch.get_rng_state()
    a, b, c = translate(G, maps, seed=0), translate(G, maps, seed=0), translate(G, maps, seed=1)
    assert torch.equal(state, torch.get_rng_state())  # the caller's stream is untouched
    assert a.shape == (3, 3, 32, 32) and torch.equal(a, b) and not torch.equal(a, c) and a.abs().max() <= 1
    quiet = UNetGenerator(5, 3, 4, dropout=0.0).eval()
    assert torch.equal(translate(quiet, maps, 0), translate(quiet, maps, 1))  # no dropout: no noise
    for skips in (True, False):
        assert UNetGenerator(5, 3, 4, skips=skips, stem=True)(one_hot(maps)).shape == (3, 3, 32, 32)
    plain = UNetGenerator(5, 3, width=4, skips=False)
    assert sum(p.numel() for p in plain.parameters()) < sum(p.numel() for p in UNetGenerator(5, 3, 4).parameters())
    with pytest.raises(ValueError, match=r"\(n, C, 32, 32\)"):
        G(torch.zeros(1, 5, 16, 16))


def test_paired_scenes_carry_the_maps_they_were_rendered_with():
    world = shapes.world("train")
    batch = world.paired(6, torch.Generator().manual_seed(0))
    assert batch.x.shape == (6, 3, 32, 32) and batch.maps.shape == (6, 32, 32)
    idx = torch.randint(len(world), (6,), generator=torch.Generator().manual_seed(0))
    assert torch.equal(batch.maps, world.maps[idx]) and torch.equal(batch.x, world.images[idx])
    planes = one_hot(batch.maps)
    assert planes.shape == (6, 5, 32, 32) and torch.equal(planes.argmax(1), batch.maps.long())


class _Stub:
    """The two things a game's phases ask of a trainer: a real batch and the step."""

    def __init__(self, batch):
        self.batch, self.step = batch, 0

    def real(self):
        return self.batch


def test_the_games_terms_are_the_papers_equation():
    torch.manual_seed(0)
    G, D = UNetGenerator(5, 3, 4, max_width=8), PatchDiscriminator(8, 4, 1)
    batch = shapes.world("train").paired(4, torch.Generator().manual_seed(1))
    game = Pix2PixGame(G, D, l1_weight=100.0, adversarial="cgan")
    assert [p.name for p in game.phases] == ["d", "g"]
    game.d_losses(_Stub(batch))
    torch.manual_seed(5)
    terms = game.g_losses(_Stub(batch))
    torch.manual_seed(5)
    fake = G(one_hot(batch.maps))
    assert terms["l1"].item() == pytest.approx(100 * (fake - batch.x).abs().mean().item(), rel=1e-5)
    logits = D(torch.cat([one_hot(batch.maps), fake], 1))
    assert terms["adv"].item() == pytest.approx(torch.nn.functional.softplus(-logits).mean().item(), rel=1e-5)
    alone = Pix2PixGame(G, PatchDiscriminator(3, 4, 1), l1_weight=100.0, adversarial="none")
    assert [p.name for p in alone.phases] == ["g"] and set(alone.g_losses(_Stub(batch))) == {"l1"}
    with pytest.raises(ValueError, match="adversarial must be one of"):
        Pix2PixGame(G, D, adversarial="wgan")


def test_the_chapters_rows_are_the_papers_tables():
    config = pix2pix_shapes.Config.for_profile("smoke")
    assert [c.label for c in pix2pix_shapes.objective_rows(config)] == ["L1", "GAN", "cGAN", "L1+GAN", "L1+cGAN"]
    assert [c.receptive_field for c in pix2pix_shapes.patch_rows(config)] == [1, 4, 10, 46]
    assert pix2pix_shapes.patch_rows(config)[2] == pix2pix_shapes.objective_rows(config)[4]
    assert [c.label for c in pix2pix_shapes.patch_rows(config, (0, 3))] == [
        "L1+cGAN, D sees 1x1", "L1+cGAN, D sees the whole image"]
    with pytest.raises(ValueError, match="whole=True needs downs=3"):
        pix2pix_shapes.Config.for_profile("smoke", whole=True)
    with pytest.raises(ValueError, match="choose one of"):
        pix2pix_shapes.Config.for_profile("smoke", adversarial="wgan")


def test_a_smoke_run_translates_held_out_maps_and_is_scored():
    config = pix2pix_shapes.Config.for_profile("smoke")
    trainer = pix2pix_shapes.build(config).fit(config.steps, progress=False)
    scores = pix2pix_shapes.evaluate(trainer, config)
    assert set(scores) == {"pixel_accuracy", "class_accuracy", "class_iou", "l1", "noise_spread"}
    assert 0 <= scores["class_iou"] <= scores["pixel_accuracy"] <= 1 and scores["noise_spread"] > 0
    truth = pix2pix_shapes.ground_truth(config)
    assert truth["pixel_accuracy"] > 0.97 and truth["class_iou"] > 0.9
    again = pix2pix_shapes.build(dataclasses.replace(config)).fit(config.steps, progress=False)
    assert pix2pix_shapes.evaluate(again, config) == scores  # seeded: the same run twice
