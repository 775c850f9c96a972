"""Chapter 19: the photographs, SRGAN's networks and game, and the PSNR/SSIM/detail measurements."""

import math

import numpy as np
import pytest
import torch
from scipy.ndimage import gaussian_filter

from ganbook.data import photos
from ganbook.errors import DataError
from ganbook.experiments import srgan
from ganbook.games.srgan import SuperResolutionGame
from ganbook.metrics import superres
from ganbook.models.srgan import SRDiscriminator, SRResNet


@pytest.fixture(scope="module")
def chelsea():
    low, high = photos.held_out(("chelsea",))["chelsea"]
    return photos.bicubic(low)[0], high[0]


def naive_y(image):
    """BT.601 studio-range luminance of an image in [-1, 1], written out from the formula."""
    rgb = np.round((image.double().numpy() + 1) * 127.5) / 255
    return 16 + 65.481 * rgb[0] + 128.553 * rgb[1] + 24.966 * rgb[2]


def test_the_split_is_by_photograph_and_every_photograph_loads_offline():
    assert not set(photos.TRAIN) & set(photos.TEST)
    for name in photos.TRAIN + photos.TEST:
        image = photos.photo(name)
        assert image.shape[0] == 3 and image.shape[1] % 4 == 0 and image.shape[2] % 4 == 0
        assert image.min() >= -1 and image.max() <= 1
    with pytest.raises(DataError, match="choose one of"):
        photos.photo("lena")


def test_patches_come_from_the_stream_with_their_down_sampled_partners():
    source = photos.PatchSource(32)
    a, b = source(3, torch.Generator().manual_seed(1)), source(3, torch.Generator().manual_seed(1))
    assert a.x.shape == (3, 3, 32, 32) and a.low.shape == (3, 3, 8, 8)
    assert torch.equal(a.x, b.x) and torch.equal(a.low, photos.downscale(a.x))
    with pytest.raises(DataError, match="multiple of the scale"):
        photos.PatchSource(30)
    with pytest.raises(ValueError, match="crop it first"):
        photos.downscale(torch.zeros(1, 3, 10, 12))


def test_luminance_is_bt601_studio_range_after_rounding_to_8_bits(chelsea):
    _, high = chelsea
    y = superres.luminance(high, border=4)
    assert np.allclose(y, naive_y(high)[4:-4, 4:-4], atol=1e-9)
    assert 16 <= y.min() and y.max() <= 235


def test_psnr_matches_its_formula_and_is_pinned_on_a_known_pair(chelsea):
    made, real = chelsea
    mse = np.mean((naive_y(made)[4:-4, 4:-4] - naive_y(real)[4:-4, 4:-4]) ** 2)
    assert superres.psnr(made, real) == pytest.approx(10 * math.log10(255 ** 2 / mse), abs=1e-9)
    assert superres.psnr(made, real) == pytest.approx(31.6106, abs=1e-3)  # bicubic 4x on the held-out cat


def test_ssim_matches_wang_et_al_written_out(chelsea):
    made, real = chelsea
    x, y = naive_y(real)[4:-4, 4:-4], naive_y(made)[4:-4, 4:-4]
    blur = lambda a: gaussian_filter(a, 1.5, truncate=3.5)  # an 11x11 window  # noqa: E731
    mx, my = blur(x), blur(y)
    vx, vy, cxy = blur(x * x) - mx ** 2, blur(y * y) - my ** 2, blur(x * y) - mx * my
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    index = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx ** 2 + my ** 2 + c1) * (vx + vy + c2))
    assert superres.ssim(made, real) == pytest.approx(index[5:-5, 5:-5].mean(), abs=1e-6)
    assert superres.ssim(made, real) == pytest.approx(0.8100, abs=1e-3)
    assert superres.ssim(real, real) == pytest.approx(1.0)


def test_high_frequency_share_of_noise_waves_and_a_blurred_photograph(chelsea):
    noise = torch.rand(3, 200, 200, generator=torch.Generator().manual_seed(0)) * 2 - 1
    # white noise spreads its power evenly: the share beyond radius 1/8 is the area outside that disc
    assert superres.high_frequency_share(noise) == pytest.approx(1 - math.pi / 64, abs=0.01)
    col = torch.arange(200.0)
    for freq, share in ((0.3, 1.0), (0.05, 0.0)):
        wave = (0.8 * torch.cos(2 * math.pi * freq * col)).expand(3, 200, 200)
        assert superres.high_frequency_share(wave) == pytest.approx(share, abs=0.02)
    made, real = chelsea
    assert superres.scores(made, real)["detail"] < 0.1  # bicubic has almost nothing past the input's Nyquist


def test_srresnet_with_a_silent_body_is_bicubic():
    G = SRResNet(width=8, blocks=1, scale=4, bicubic_skip=True)
    torch.nn.init.zeros_(G.tail.weight)
    torch.nn.init.zeros_(G.tail.bias)
    low = torch.rand(2, 3, 8, 8) * 2 - 1
    assert G(low).shape == (2, 3, 32, 32)
    assert torch.allclose(G(low).clamp(-1, 1), photos.bicubic(low), atol=1e-6)
    with pytest.raises(ValueError, match="powers of two"):
        SRResNet(scale=3)
    assert SRDiscriminator(4, 2, 16)(torch.zeros(3, 3, 40, 24)).shape == (3,)


def test_the_game_is_srresnet_without_d_and_its_content_loss_is_the_feature_mse():
    G = SRResNet(8, 1)
    assert [p.name for p in SuperResolutionGame(G, None, 0.0).phases] == ["g"]
    with pytest.raises(ValueError, match="needs a discriminator"):
        SuperResolutionGame(G, None, 1e-3)
    features = srgan.feature_network(0, width=4)
    game = SuperResolutionGame(G, SRDiscriminator(4, 1, 8), 1e-3, features, feature_scale=2.0)
    a, b = torch.rand(2, 3, 16, 16), torch.rand(2, 3, 16, 16)
    assert game.content(a, b).item() == pytest.approx(((features(a) - features(b)) ** 2).mean().item() / 2)
    assert SuperResolutionGame(G, None, 0.0).content(a, b).item() == pytest.approx(((a - b) ** 2).mean().item())


def test_srgan_starts_from_srresnets_weights_and_the_config_checks_its_loss():
    config = srgan.Config.for_profile("smoke")
    first = srgan.pretrain(config).fit(2, progress=False)
    second = srgan.finetune(config, first.game.G)
    for k, v in first.game.G.state_dict().items():
        assert torch.equal(v, second.game.G.state_dict()[k])
    with pytest.raises(ValueError, match="content must be one of"):
        srgan.Config.for_profile("smoke", content="vgg").validated()


def test_the_config_trains_with_srgans_settings_and_table2_is_the_papers():
    from ganbook.anchors import anchor

    paper = {k: m for k, (m, _) in anchor("srgan-settings").values.items()}
    for profile in ("smoke", "cpu", "gpu"):
        config = srgan.Config.for_profile(profile)
        assert (config.adversarial_weight, config.betas[0]) == (paper["adversarial_weight"], paper["beta1"])
        # the config says why the CPU profiles run at four times the paper's rate; the gpu profile runs at it
        assert config.lr == (1 if profile == "gpu" else 4) * paper["lr"]
    gpu = srgan.Config.for_profile("gpu")
    assert (gpu.blocks, gpu.patch, gpu.batch_size) == (paper["blocks"], paper["patch"], paper["batch_size"])
    psnr = {k: anchor(f"srgan-table2-set5-{k}").values["psnr"][0] for k in ("bicubic", "srresnet", "srgan")}
    assert psnr == {"bicubic": 28.43, "srresnet": 32.05, "srgan": 29.40}
    assert "as quoted" not in anchor("srgan-table2-bsd100-srgan").cite()


def test_orderings_compare_ours_with_table2_and_say_so():
    table = {"bicubic": {"psnr": 29.0, "ssim": 0.8}, "SRResNet": {"psnr": 30.0, "ssim": 0.82},
             "SRGAN": {"psnr": 29.5, "ssim": 0.79}}
    orders = srgan.orderings(table)
    # Set5 and Set14 have SRResNet > SRGAN > bicubic; BSD100 has bicubic above SRGAN
    assert [name for name in ("Set5", "Set14", "BSD100") if orders[name] == orders["ours"]] == ["Set5", "Set14"]
    assert srgan.paper_gaps("SRGAN", "bicubic")["BSD100"] == pytest.approx(25.16 - 25.94)
    said = srgan.say_orderings(table)
    assert "the same order as Table 2 on Set5 and Set14" in said and "SRGAN is 0.50 dB above bicubic" in said


def test_the_detail_window_is_where_the_photograph_has_fine_detail():
    image = torch.zeros(1, 3, 64, 96)
    image[:, :, 32:64, 48:80] = torch.rand(1, 3, 32, 32, generator=torch.Generator().manual_seed(0)) * 2 - 1
    assert srgan.detail_window(image, size=32, stride=16) == (32, 48)


def test_a_run_resumed_between_its_stages_equals_an_uninterrupted_one(tmp_path):
    torch.set_num_threads(1)
    config = srgan.Config.for_profile("smoke")
    straight = srgan.build(config).fit(progress=False)
    half = srgan.build(config)
    half.trainers[0].fit(config.steps, progress=False)
    half.save(tmp_path / "half.pt")
    resumed = srgan.build(config)
    resumed.resume(tmp_path / "half.pt")
    resumed.fit(progress=False)
    assert resumed.history["SRGAN"]["loss_d"] == straight.history["SRGAN"]["loss_d"]
    for a, b in zip(straight.trainers[1].game.G.state_dict().values(), resumed.trainers[1].game.G.state_dict().values()):
        assert torch.equal(a, b)
