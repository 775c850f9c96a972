"""Chapter 12's pieces: packing, maxout, the unrolled game's Adam steps, stacked-digit modes."""

import copy
import math

import pytest
import torch
from torch import nn

from ganbook.data.stacked import stacked_mnist
from ganbook.experiments import pacgan_toys, stacked_dcgan
from ganbook.games.unrolled import UnrolledGame
from ganbook.models.pacgan import BatchNormMLPGenerator, Maxout, MaxoutDiscriminator, Packed


def test_packing_concatenates_consecutive_samples_into_one_input():
    seen = []
    inner = nn.Identity()
    inner.register_forward_hook(lambda m, i, o: seen.append(i[0]))
    x = torch.arange(12.0).reshape(6, 2)
    Packed(inner, 3)(x)
    assert torch.equal(seen[0], torch.tensor([[0.0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]]))
    images = torch.randn(4, 3, 5, 5)
    Packed(inner, 2)(images)
    assert torch.equal(seen[1][1], torch.cat([images[2], images[3]]))  # channels: 3 + 3
    with pytest.raises(ValueError, match="multiple of 4"):
        Packed(inner, 4)(x)


def test_maxout_is_the_largest_of_each_units_pieces():
    torch.manual_seed(0)
    layer = Maxout(3, 2, pieces=4)
    x = torch.randn(5, 3)
    pre = x @ layer.linear.weight.T + layer.linear.bias  # (5, 8): unit u's pieces are columns 4u..4u+3
    naive = torch.stack([pre[:, 4 * u:4 * u + 4].max(1).values for u in range(2)], dim=1)
    assert torch.allclose(layer(x), naive)
    assert MaxoutDiscriminator(4, 8)(torch.randn(6, 4)).shape == (6,)


def trainer(unroll):
    config = pacgan_toys.Config.for_profile("smoke", data="ring-pacgan", unroll=unroll)
    return pacgan_toys.build(config)


def test_unrolled_parameters_are_d_after_k_adam_steps():
    t = trainer(unroll=1)
    t.fit(3, progress=False)  # Adam has moments now
    game, D = t.game, t.D
    state = t.rng.get_state()
    got = game.unrolled(t)
    t.rng.set_state(state)  # the same batches again, for a real Adam step on a copy of D
    D2, opt2 = copy.deepcopy(D), copy.deepcopy(t.optimizers["d"])
    opt2.param_groups[0]["params"] = list(D2.parameters())
    opt2.state = {p2: {k: (v.clone() if torch.is_tensor(v) else v) for k, v in t.optimizers["d"].state[p].items()}
                  for p, p2 in zip(D.parameters(), D2.parameters())}
    real, fake = t.real().x, game.fake(t.latent(), None).detach()
    loss = game.objective.d_loss(D2(real), D2(fake))
    opt2.zero_grad(); loss.backward(); opt2.step()
    for (name, p), p2 in zip(D.named_parameters(), D2.parameters()):
        assert torch.allclose(got[name], p2, atol=1e-7, rtol=0), name  # torch's Adam step, to float rounding
        assert not torch.allclose(got[name], p, atol=1e-6, rtol=0) or name == "D.out.bias", name  # and it moved


def test_unrolling_changes_gs_gradient_and_zero_steps_is_the_standard_game():
    plain, zero = trainer(unroll=0).fit(4, progress=False), trainer(unroll=0).fit(4, progress=False)
    assert isinstance(zero.game, type(plain.game))
    t0, t2 = trainer(unroll=0), trainer(unroll=2)
    g0 = t0.game.g_losses(t0)["adv"]
    g2 = t2.game.g_losses(t2)["adv"]
    assert g0.item() != pytest.approx(g2.item())
    grads = torch.autograd.grad(g2, list(t2.G.parameters()))
    assert all(torch.isfinite(g).all() for g in grads)
    with pytest.raises(ValueError, match="unroll"):
        UnrolledGame(BatchNormMLPGenerator(), MaxoutDiscriminator(), unroll=-1)


def test_stacked_modes_count_and_kl_to_uniform():
    report = stacked_dcgan.stacked_report(torch.tensor([0] * 10 + [999] * 10))
    assert report["modes"] == 2 and report["kl"] == pytest.approx(math.log(500))
    uniform = stacked_dcgan.stacked_report(torch.arange(1000).repeat(3))
    assert uniform["modes"] == 1000 and uniform["kl"] == pytest.approx(0.0, abs=1e-12)


def test_the_classifier_reads_real_stacked_digits_as_their_triples():
    batch = stacked_mnist("test").labelled(300, torch.Generator().manual_seed(0))
    read = stacked_dcgan.modes_of(batch.x)
    assert (read == batch.c).float().mean() > 0.9  # three channels right at once
    with pytest.raises(ValueError, match="stacked images"):
        stacked_dcgan.modes_of(torch.zeros(2, 1, 28, 28))


def test_configs_refuse_unknown_data_and_packing():
    with pytest.raises(ValueError, match="unknown data 'moons'"):
        pacgan_toys.Config.for_profile("smoke", data="moons")
    with pytest.raises(ValueError, match="packing"):
        stacked_dcgan.Config.for_profile("smoke", packing=0)
