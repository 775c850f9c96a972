"""Chapter 23: the table metrics, the two baseline synthesizers, CTGAN's encoding, sampling, networks and game."""

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import torch
from torch.nn import functional as F

from ganbook.data.table_encoding import TableEncoder
from ganbook.data.table_sampling import ConditionalRows
from ganbook.experiments import ctgan_adult
from ganbook.games.ctgan import CTGANGame, conditional_loss, packed_gradient_penalty
from ganbook.metrics import tabular
from ganbook.models.table_baselines import GaussianCopula, IndependentColumns
from ganbook.models.tabular import TableCritic, TableGenerator


# -- naive re-implementations ---------------------------------------------------

def naive_ks(a, b):
    """max over every point of either sample of |ECDF_a(x) - ECDF_b(x)|, written out."""
    best = 0.0
    for x in list(a) + list(b):
        fa = sum(v <= x for v in a) / len(a)
        fb = sum(v <= x for v in b) / len(b)
        best = max(best, abs(fa - fb))
    return best


def ecdf_gap(a, b):
    """The same for large samples: ECDF_a(x) = #{a <= x} / len(a) by counting in the sorted sample."""
    a, b = np.sort(np.asarray(a, float)), np.sort(np.asarray(b, float))
    points = np.concatenate([a, b])
    return float(np.max(np.abs(np.searchsorted(a, points, side="right") / len(a)
                               - np.searchsorted(b, points, side="right") / len(b))))


def naive_tv(a, b):
    ca, cb = Counter(a), Counter(b)
    return 0.5 * sum(abs(ca[v] / len(a) - cb[v] / len(b)) for v in set(ca) | set(cb))


def shares(values):
    counts = Counter(values)
    return {v: counts[v] / len(values) for v in counts}


# -- small tables ---------------------------------------------------------------

@pytest.fixture(scope="module")
def skewed():
    """100 rows: a unique id (continuous), d1 with counts a 60 / b 30 / c 9 / d 1, d2 with x 50 / y 50."""
    d1 = ["a"] * 60 + ["b"] * 30 + ["c"] * 9 + ["d"]
    d2 = (["x", "y"] * 50)
    order = np.random.default_rng(0).permutation(100)
    return pd.DataFrame({"id": np.arange(100.0), "d1": np.array(d1)[order], "d2": np.array(d2)[order]})


@pytest.fixture(scope="module")
def skewed_rows(skewed):
    encoder = TableEncoder(("id",), ("d1", "d2"), mode_specific=False).fit(skewed)
    return encoder, encoder.encode(skewed)


@pytest.fixture(scope="module")
def bimodal():
    """A continuous column mixing N(-10, 1) and N(20, 2), 500 rows each, and a two-category column."""
    rng = np.random.default_rng(0)
    z = np.concatenate([rng.normal(-10, 1, 500), rng.normal(20, 2, 500)])
    table = pd.DataFrame({"z": z, "d": rng.choice(["no", "yes"], 1000)})
    return table, TableEncoder(("z",), ("d",)).fit(table)


# -- metrics --------------------------------------------------------------------

def test_ks_distance_is_the_largest_gap_between_the_empirical_cdfs():
    rng = np.random.default_rng(1)
    for _ in range(30):  # ties, different sizes, one-element samples
        a = rng.integers(0, 6, rng.integers(1, 15)).astype(float)
        b = rng.normal(2, 2, rng.integers(1, 15)).round()
        assert tabular.ks_distance(a, b) == pytest.approx(naive_ks(a, b), abs=1e-12)
    assert tabular.ks_distance([1, 2, 3], [1, 2, 3]) == 0
    assert tabular.ks_distance([1, 2], [5, 6]) == 1


def test_tv_distance_matches_counting_values_in_a_dict():
    rng = np.random.default_rng(2)
    for _ in range(30):
        a = [str(v) for v in rng.choice(list("abcd"), rng.integers(1, 20))]
        b = [str(v) for v in rng.choice(list("abe"), rng.integers(1, 20))]
        assert tabular.tv_distance(a, b) == pytest.approx(naive_tv(a, b), abs=1e-12)
        pa = [(int(rng.integers(3)), str(v)) for v in rng.choice(list("xy"), 12)]  # joint values, as pairs
        pb = [(int(rng.integers(4)), str(v)) for v in rng.choice(list("xz"), 7)]
        assert tabular.tv_distance(pa, pb) == pytest.approx(naive_tv(pa, pb), abs=1e-12)
    assert tabular.tv_distance(["a", "a", "b", "b"], ["a", "b", "b", "b"]) == pytest.approx(0.25)


def test_column_distances_pick_ks_for_continuous_and_tv_for_discrete_columns():
    rng = np.random.default_rng(3)
    real = pd.DataFrame({"u": rng.normal(size=30), "v": rng.integers(0, 5, 30).astype(float),
                         "k": rng.choice(list("pqr"), 30)})
    fake = pd.DataFrame({"u": rng.normal(0.5, 1, 20), "v": rng.integers(0, 3, 20).astype(float),
                         "k": rng.choice(list("pqs"), 20)})
    out = tabular.column_distances(real, fake, ["u", "v"], ["k"])
    assert set(out) == {"u", "v", "k"}
    for c in ("u", "v"):
        assert out[c] == pytest.approx(naive_ks(real[c], fake[c]), abs=1e-12)
    assert out["k"] == pytest.approx(naive_tv(list(real["k"]), list(fake["k"])), abs=1e-12)


def test_correlation_difference_of_continuous_pairs_is_the_mean_absolute_change():
    rng = np.random.default_rng(4)
    real = pd.DataFrame(rng.normal(size=(50, 3)) @ np.array([[1, 0.8, 0], [0, 1, 0.5], [0, 0, 1]]), columns=list("abc"))
    fake = pd.DataFrame(rng.normal(size=(40, 3)), columns=list("abc"))
    expected = np.mean([abs(np.corrcoef(real[x], real[y])[0, 1] - np.corrcoef(fake[x], fake[y])[0, 1])
                        for x, y in (("a", "b"), ("a", "c"), ("b", "c"))])
    out = tabular.correlation_difference(real, fake, list("abc"), [])
    assert out["correlation"] == pytest.approx(expected, abs=1e-12)
    assert math.isnan(out["contingency"])  # no pair with a discrete column
    assert tabular.correlation_difference(real, real, list("abc"), [])["correlation"] == pytest.approx(0, abs=1e-12)


def test_contingency_is_the_tv_of_joint_frequencies_with_deciles_of_the_real_column():
    # x = 0..9: its real deciles (0.9, 1.8, ..., 8.1) put each value in a bin of its own
    real = pd.DataFrame({"x": np.arange(10.0), "d": ["a"] * 5 + ["b"] * 5, "e": ["p", "q"] * 5})
    same = tabular.correlation_difference(real, real.copy(), ["x"], ["d", "e"])
    assert same["contingency"] == 0 and math.isnan(same["correlation"])
    # d of x = 4 and x = 5 swapped: 2 of 10 joint (x, d) cells move, so TV = 0.2; the marginals are unchanged
    fake = real.assign(d=["a"] * 4 + ["b", "a"] + ["b"] * 4)
    assert tabular.correlation_difference(real, fake, ["x"], ["d"])["contingency"] == pytest.approx(0.2)
    # d reversed relative to x: the joint frequencies no longer overlap at all
    flipped = real.assign(d=["b"] * 5 + ["a"] * 5)
    assert tabular.correlation_difference(real, flipped, ["x"], ["d"])["contingency"] == pytest.approx(1.0)
    # three pairs, (x, d) 0.2, (x, e) 0 and (d, e): real (a,p)3 (a,q)2 (b,p)2 (b,q)3, fake (a,p)2 (a,q)3 (b,p)3 (b,q)2
    de = 0.5 * 4 * 0.1
    assert tabular.correlation_difference(real, fake, ["x"], ["d", "e"])["contingency"] == pytest.approx((0.2 + de) / 3)
    # fakes far outside the real range all fall into the top decile bin
    out = tabular.correlation_difference(real, real.assign(x=real["x"] + 100), ["x"], ["d"])
    assert out["contingency"] == pytest.approx(naive_tv([(9, d) for d in real["d"]], list(zip(range(10), real["d"]))))


def separable(n, seed):
    """x decides the target with a margin (t = ">50K" exactly when x > 0.8, no x within 0.4 of it); g repeats it."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    x = x[np.abs(x - 0.8) > 0.4]
    return pd.DataFrame({"x": x, "g": np.where(x > 0.8, "hi", rng.choice(["lo", "mid"], len(x))),
                         "t": np.where(x > 0.8, ">50K", "<=50K")})


def test_efficacy_features_follow_sdgym_scaling_and_one_hot():
    train = pd.DataFrame({"small": [2.0, 4.0, 6.0], "money": [0.0, 10.0, 5000.0], "k": ["b", "a", "b"]})
    test = pd.DataFrame({"small": [3.0, 8.0], "money": [100.0, 0.5], "k": ["a", "new"]})
    x_train, x_test = tabular.features(train, test, ["small", "money"], ["k"])
    # small: 5 (x - 2) / (6 - 2) with the training range; money (min >= 0, max >= 1000): log(max(x, 0.01));
    # k: one-hot over the training categories a, b, all zeros for one never seen
    expected_train = [[5 * (v - 2) / 4, math.log(max(m, 0.01)), k == "a", k == "b"]
                      for v, m, k in zip(train["small"], train["money"], train["k"])]
    expected_test = [[5 * (v - 2) / 4, math.log(max(m, 0.01)), k == "a", k == "b"]
                     for v, m, k in zip(test["small"], test["money"], test["k"])]
    np.testing.assert_allclose(x_train, np.array(expected_train, float))
    np.testing.assert_allclose(x_test, np.array(expected_test, float))


def test_efficacy_on_a_separable_table_and_on_a_one_class_training_table():
    train, test = separable(2000, 0), separable(2000, 1)
    out = tabular.efficacy(train, test, "t", ["x"], ["g", "t"])
    assert set(out) == {"decision tree", "AdaBoost", "logistic regression", "MLP", "mean"}
    assert min(out.values()) > 0.9, out
    assert out["mean"] == pytest.approx(np.mean([out[k] for k in out if k != "mean"]))
    single = tabular.efficacy(train.assign(t="<=50K"), test, "t", ["x"], ["g", "t"])
    assert single == {k: 0.0 for k in out}


def test_efficacy_scores_the_class_that_is_rarer_in_the_test_rows():
    # training: g decides t exactly, so every classifier predicts "r" for g = a and "c" for g = b
    train = pd.DataFrame({"x": 0.0, "g": ["a"] * 500 + ["b"] * 500, "t": ["r"] * 500 + ["c"] * 500})
    # test: r is rarer (10 of 40); g = a on 8 r rows and 4 c rows
    test = pd.DataFrame({"x": 0.0, "g": ["a"] * 8 + ["b"] * 2 + ["a"] * 4 + ["b"] * 26,
                         "t": ["r"] * 10 + ["c"] * 30})
    tp, fp, fn = 8, 4, 2
    out = tabular.efficacy(train, test, "t", ["x"], ["g", "t"])
    for name, value in out.items():  # F1 of "c" would be 52 / 58
        assert value == pytest.approx(2 * tp / (2 * tp + fp + fn)), name


# -- baselines ------------------------------------------------------------------

@pytest.fixture(scope="module")
def correlated():
    rng = np.random.default_rng(5)
    x = rng.normal(size=3000)
    return pd.DataFrame({"x": x, "y": 0.9 * x + math.sqrt(1 - 0.81) * rng.normal(size=3000),
                         "side": np.where(x > 0, "hi", "lo"),
                         "k": rng.choice(["u", "v", "w"], 3000, p=[0.6, 0.3, 0.1])})


def test_independent_columns_keep_marginals_and_lose_correlation(correlated):
    fake = IndependentColumns().fit(correlated).sample(4000, seed=1)
    assert list(fake.columns) == list(correlated.columns) and len(fake) == 4000
    for c in correlated.columns:
        assert set(fake[c]) <= set(correlated[c]), c
    assert ecdf_gap(correlated["x"], fake["x"]) < 0.05
    real_k, fake_k = shares(list(correlated["k"])), shares(list(fake["k"]))
    assert all(abs(real_k[v] - fake_k[v]) < 0.03 for v in real_k)
    assert abs(np.corrcoef(fake["x"], fake["y"])[0, 1]) < 0.06  # real: 0.9
    assert fake.equals(IndependentColumns().fit(correlated).sample(4000, seed=1))


def test_gaussian_copula_keeps_marginals_and_the_correlation(correlated):
    fake = GaussianCopula().fit(correlated, seed=0).sample(4000, seed=1)
    for c in ("x", "y"):
        assert ecdf_gap(correlated[c], fake[c]) < 0.04, c
        assert set(fake[c]) <= set(correlated[c]), c  # values are the real column's quantiles
    real_k, fake_k = shares(list(correlated["k"])), shares(list(fake["k"]))
    assert set(fake_k) == set(real_k) and all(abs(real_k[v] - fake_k[v]) < 0.03 for v in real_k)
    real_r = np.corrcoef(correlated["x"], correlated["y"])[0, 1]
    assert np.corrcoef(fake["x"], fake["y"])[0, 1] == pytest.approx(real_r, abs=0.05)
    assert abs(np.corrcoef(fake["x"], fake["k"] == "w")[0, 1]) < 0.06  # k was drawn independently


def test_gaussian_copula_keeps_a_category_tied_to_a_continuous_column_as_far_as_a_copula_can(correlated):
    # side = "hi" exactly when x > 0. With ties spread at random inside a category, side's normal score
    # correlates 2/pi with x's, so a copula sample agrees with the rule with probability
    # 1/2 + arcsin(2/pi)/pi = 0.72 (independent columns: 0.5).
    fake = GaussianCopula().fit(correlated, seed=0).sample(4000, seed=2)
    agree = float(np.mean(np.where(fake["x"] > 0, "hi", "lo") == fake["side"]))
    assert agree == pytest.approx(0.5 + math.asin(2 / math.pi) / math.pi, abs=0.03)
    assert fake.loc[fake["side"] == "hi", "x"].mean() - fake.loc[fake["side"] == "lo", "x"].mean() > 0.8


def test_gaussian_copula_is_seeded_and_refuses_what_is_not_a_table(correlated):
    model = GaussianCopula().fit(correlated, seed=0)
    assert model.sample(50, seed=3).equals(GaussianCopula().fit(correlated, seed=0).sample(50, seed=3))
    assert not model.sample(50, seed=3).equals(model.sample(50, seed=4))
    for bad in (pd.DataFrame(), correlated.to_numpy(), {"x": [1.0]}):
        for synthesizer in (GaussianCopula(), IndependentColumns()):
            with pytest.raises(ValueError, match="non-empty pandas DataFrame"):
                synthesizer.fit(bad)


# -- encoding -------------------------------------------------------------------

def test_spans_tile_the_encoded_row(bimodal):
    table, encoder = bimodal
    end = 0
    for s in encoder.spans:
        assert s.start == end and s.size >= 1
        end = s.end
    assert end == encoder.width
    kinds = [(s.column, s.activation, s.discrete) for s in encoder.spans]
    assert kinds == [("z", "tanh", False), ("z", "softmax", False), ("d", "softmax", True)]
    assert encoder.spans[1].size == len(encoder.modes["z"][0]) and encoder.spans[2].size == 2
    assert encoder.discrete_spans() == [encoder.spans[2]]
    rows = encoder.encode(table)
    assert rows.shape == (1000, encoder.width)
    assert torch.equal(rows[:, 1:].sum(1), torch.full((1000,), 2.0))  # one mode and one category per row


def test_mode_specific_normalisation_finds_both_modes_and_round_trips(bimodal):
    table, encoder = bimodal
    means, stds = encoder.modes["z"]
    assert len(means) >= 2
    for mu, sigma in ((-10, 1), (20, 2)):
        k = int(np.argmin(np.abs(means - mu)))
        assert abs(means[k] - mu) < 0.5 and stds[k] < 2 * sigma  # a narrow mode, not one spanning both
    rows = encoder.encode(table, seed=1)
    alpha = rows[:, 0].numpy()
    assert alpha.min() >= -0.99 and alpha.max() <= 0.99
    # each value goes to the mode it came from (the posterior is ~1 there)
    mode = rows[:, 1:1 + len(means)].argmax(1).numpy()
    assert np.all(means[mode][:500] < 0) and np.all(means[mode][500:] > 0)
    back = encoder.decode(rows)
    assert list(back.columns) == ["z", "d"]
    assert (back["d"].to_numpy() == table["d"].to_numpy()).all()
    inside = np.abs(alpha) < 0.99
    assert inside.mean() > 0.99
    np.testing.assert_allclose(back["z"].to_numpy()[inside], table["z"].to_numpy()[inside], rtol=1e-5, atol=1e-4)


def test_a_far_outlier_is_clipped_to_alpha_099(bimodal):
    table, encoder = bimodal
    rows = encoder.encode(pd.DataFrame({"z": [1e4, -1e4], "d": ["no", "yes"]}))
    assert rows[:, 0].tolist() == pytest.approx([0.99, -0.99])


def test_min_max_encoding_maps_the_range_to_minus_one_one_and_round_trips():
    table = pd.DataFrame({"v": [3.0, -1.0, 7.0, 0.5], "c": ["b", "a", "b", "c"]})
    encoder = TableEncoder(("v",), ("c",), mode_specific=False).fit(table)
    assert encoder.width == 4 and [s.size for s in encoder.spans] == [1, 3]
    rows = encoder.encode(table)
    expected = [2 * (v + 1) / 8 - 1 for v in table["v"]]  # min -1 -> -1, max 7 -> 1
    assert rows[:, 0].tolist() == pytest.approx(expected)
    assert rows[:, 1:].tolist() == [[0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]  # categories by name
    back = encoder.decode(rows)
    np.testing.assert_allclose(back["v"], table["v"], atol=1e-6)
    assert list(back["c"]) == list(table["c"])


def test_a_column_of_whole_numbers_decodes_to_whole_numbers():
    rng = np.random.default_rng(6)
    table = pd.DataFrame({"age": rng.integers(18, 70, 300).astype(float), "hours": rng.normal(40, 5, 300)})
    encoder = TableEncoder(("age", "hours"), ()).fit(table)
    rows = encoder.encode(table)
    back = encoder.decode(rows)
    inside = (rows[:, 0].abs() < 0.99).numpy()
    assert inside.mean() > 0.99
    assert (back["age"].to_numpy()[inside] == table["age"].to_numpy()[inside]).all()  # exactly, after rounding
    noisy = rows.clone()
    noisy[:, 0] += 0.013  # a generated alpha between two whole numbers' codes
    assert (encoder.decode(noisy)["age"] % 1 == 0).all()
    assert (back["hours"] % 1 != 0).mean() > 0.9  # other columns are left as they are


def test_the_encoder_refuses_unseen_categories_and_missing_columns():
    table = pd.DataFrame({"v": [1.0, 2.0], "c": ["m", "n"]})
    encoder = TableEncoder(("v",), ("c",), mode_specific=False).fit(table)
    for unseen in ("a", "z", "mm"):  # before, after and between the known categories
        with pytest.raises(ValueError, match="column c holds categories the encoder never saw"):
            encoder.encode(pd.DataFrame({"v": [1.0], "c": [unseen]}))
    with pytest.raises(ValueError, match="no column.*colour"):
        TableEncoder(("v",), ("colour",)).fit(table)


# -- training-by-sampling ---------------------------------------------------------

def test_log_probs_are_log_counts_plus_one_normalised(skewed, skewed_rows):
    encoder, rows = skewed_rows
    sampler = ConditionalRows(rows, encoder.discrete_spans())
    assert sampler.cond_dim == 6
    for j, column in enumerate(("d1", "d2")):
        counts = [list(skewed[column]).count(v) for v in sorted(set(skewed[column]))]
        logs = [math.log(n + 1) for n in counts]
        assert sampler.log_probs[j].tolist() == pytest.approx([v / sum(logs) for v in logs])
        assert sampler.probs[j].tolist() == pytest.approx([n / 100 for n in counts])


def test_each_drawn_row_holds_the_category_its_condition_asks(skewed_rows):
    encoder, rows = skewed_rows
    spans = encoder.discrete_spans()
    batch = ConditionalRows(rows, spans)(500, torch.Generator().manual_seed(0))
    assert batch.x.shape == (500, encoder.width) and batch.c.shape == (500, 6) and batch.mask.shape == (500, 2)
    assert torch.equal(batch.mask.sum(1), torch.ones(500)) and torch.equal(batch.c.sum(1), torch.ones(500))
    offsets = [0, spans[0].size]
    for i in range(500):
        j = int(batch.mask[i].argmax())
        asked = int(batch.c[i, offsets[j]:offsets[j] + spans[j].size].argmax())
        assert batch.c[i].nonzero().item() == offsets[j] + asked  # the one in c lies in the masked column
        assert int(batch.x[i, spans[j].start:spans[j].end].argmax()) == asked
        assert any(torch.equal(batch.x[i], r) for r in rows)


def test_columns_are_uniform_and_categories_follow_log_or_real_frequency(skewed_rows):
    encoder, rows = skewed_rows
    sampler = ConditionalRows(rows, encoder.discrete_spans())
    n = 40000
    for original, probs in ((False, sampler.log_probs), (True, sampler.probs)):
        c, mask, chosen = sampler.conditions(n, torch.Generator().manual_seed(1), original=original)
        column = mask.argmax(1)
        assert (column == 0).float().mean().item() == pytest.approx(0.5, abs=0.015)
        for j, p in enumerate(probs):
            picked = chosen[column == j]
            share = torch.bincount(picked, minlength=len(p)).double() / len(picked)
            tolerance = 4 * torch.sqrt(p * (1 - p) / len(picked)) + 1e-3
            assert torch.all((share - p).abs() < tolerance), (original, j, share, p)
    # the rare category d (1 of 100 rows) is asked for 1.5% of d1's rows, not 1%
    assert sampler.log_probs[0][3].item() == pytest.approx(math.log(2) / sum(math.log(k + 1) for k in (60, 30, 9, 1)))


def test_rows_of_a_category_are_drawn_uniformly(skewed, skewed_rows):
    encoder, rows = skewed_rows
    batch = ConditionalRows(rows, encoder.discrete_spans())(40000, torch.Generator().manual_seed(2))
    ids = encoder.decode(batch.x)["id"].round().astype(int).to_numpy()
    asked_c = (batch.mask[:, 0] == 1) & (batch.c[:, 2] == 1)  # d1 = "c": 9 real rows
    drawn = Counter(ids[asked_c.numpy()])
    assert set(drawn) == set(skewed.index[skewed["d1"] == "c"])
    expected = asked_c.sum().item() / 9
    assert all(abs(k - expected) < 5 * math.sqrt(expected) for k in drawn.values()), drawn


def test_draws_are_seeded_and_the_unconditional_source_returns_plain_rows(skewed_rows):
    encoder, rows = skewed_rows
    sampler = ConditionalRows(rows, encoder.discrete_spans())
    a, b = sampler(20, torch.Generator().manual_seed(5)), sampler(20, torch.Generator().manual_seed(5))
    assert torch.equal(a.x, b.x) and torch.equal(a.c, b.c) and torch.equal(a.mask, b.mask)
    assert not torch.equal(a.c, sampler(20, torch.Generator().manual_seed(6)).c)
    plain = ConditionalRows(rows, encoder.discrete_spans(), conditional=False)
    x = plain(30, torch.Generator().manual_seed(0))
    assert isinstance(x, torch.Tensor) and x.shape == (30, encoder.width) and plain.cond_dim == 0
    assert all(any(torch.equal(r, s) for s in rows) for r in x)
    assert isinstance(ConditionalRows(rows, [], conditional=False)(3, torch.Generator()), torch.Tensor)
    with pytest.raises(ValueError, match="pass conditional=False"):
        ConditionalRows(rows, [])


# -- the game -------------------------------------------------------------------

def test_packed_penalty_of_a_linear_critic_is_norm_of_w_minus_one_squared():
    pac, width = 4, 4
    w = torch.full((pac * width,), 0.5, requires_grad=True)  # ||w|| = 2 over the whole pack
    critic = lambda x: x.reshape(-1, pac * width) @ w  # noqa: E731
    real, fake = torch.randn(12, width), torch.randn(12, width)
    penalty = packed_gradient_penalty(pac)(critic, real, fake, torch.Generator().manual_seed(0))
    assert penalty.item() == pytest.approx((2 - 1) ** 2)  # per row the norm would be 1: a zero penalty
    penalty.backward()  # d/dw (||w|| - 1)^2 = 2 (||w|| - 1) w / ||w|| = w here
    assert w.grad.tolist() == pytest.approx(w.tolist())


def naive_packed_penalty(D, real, fake, pac, rng):
    """One eps per pack, the pack mixed, scored alone, the gradient's norm taken over the whole pack."""
    eps = torch.rand(len(real) // pac, 1, generator=rng)
    total = 0.0
    for k in range(len(real) // pac):
        rows = slice(k * pac, (k + 1) * pac)
        pack = (eps[k] * real[rows] + (1 - eps[k]) * fake[rows]).requires_grad_(True)
        (grad,) = torch.autograd.grad(D(pack).sum(), pack)
        total += (grad.norm() - 1) ** 2
    return total / (len(real) // pac)


def test_packed_penalty_matches_a_loop_over_packs():
    pac, width = 3, 5
    real, fake = torch.randn(12, width), torch.randn(12, width)
    quadratic = lambda x: (x.reshape(-1, pac * width) ** 2).sum(1)  # noqa: E731  gradient 2 x: its norm depends on eps
    torch.manual_seed(0)
    critic = TableCritic(width, 0, pac, hidden=(8,), dropout=0.0)
    for D in (quadratic, critic):
        ours = packed_gradient_penalty(pac)(D, real, fake, torch.Generator().manual_seed(7))
        naive = naive_packed_penalty(D, real, fake, pac, torch.Generator().manual_seed(7))
        assert ours.item() == pytest.approx(naive.item(), rel=1e-5)


def test_conditional_loss_is_cross_entropy_on_the_masked_column_only(skewed_rows):
    encoder, rows = skewed_rows
    spans = encoder.discrete_spans()
    sampler = ConditionalRows(rows, spans)
    c, mask, _ = sampler.conditions(16, torch.Generator().manual_seed(3))
    raw = torch.randn(16, encoder.width, generator=torch.Generator().manual_seed(4))
    total = 0.0
    for i in range(16):
        j = int(mask[i].argmax())
        first = sum(s.size for s in spans[:j])
        target = c[i, first:first + spans[j].size].argmax()
        total += F.cross_entropy(raw[i:i + 1, spans[j].start:spans[j].end], target[None])
    ours = conditional_loss(raw, c, mask, spans, sampler.offsets)
    assert ours.item() == pytest.approx(total.item() / 16, rel=1e-6)
    # logits that put the asked category far ahead make it vanish
    honest = raw.clone()
    for i in range(16):
        j = int(mask[i].argmax())
        first = sum(s.size for s in spans[:j])
        honest[i, spans[j].start + int(c[i, first:first + spans[j].size].argmax())] = 50
    assert conditional_loss(honest, c, mask, spans, sampler.offsets).item() < 1e-6


def test_the_game_asks_generated_rows_for_categories_with_their_real_frequencies(skewed_rows):
    encoder, rows = skewed_rows
    sampler = ConditionalRows(rows, encoder.discrete_spans())
    torch.manual_seed(0)
    G = TableGenerator(4, sampler.cond_dim, encoder.spans, hidden=(8,))
    game = CTGANGame(G, TableCritic(encoder.width, sampler.cond_dim, 2, hidden=(8,)), sampler)
    inputs = game.inputs(40000, torch.Generator().manual_seed(0))
    assert inputs["z"].shape == (40000, 4) and inputs["c"].shape == (40000, 6)
    c = inputs["c"]
    d1 = c[c[:, :4].sum(1) == 1, :4]
    assert d1.mean(0).tolist() == pytest.approx([0.6, 0.3, 0.09, 0.01], abs=0.015)  # log-frequency: 0.43 for a
    given = torch.zeros(3, 6)
    assert torch.equal(game.inputs(3, torch.Generator(), condition=given)["c"], given)
    plain = ConditionalRows(rows, encoder.discrete_spans(), conditional=False)
    game = CTGANGame(TableGenerator(4, 0, encoder.spans, hidden=(8,)), TableCritic(encoder.width, 0, 2), plain)
    assert set(game.inputs(3, torch.Generator())) == {"z", "uniform"}  # no condition; the Gumbel draws


# -- the networks -----------------------------------------------------------------

def test_the_generator_squashes_each_span_as_it_says(bimodal):
    _, encoder = bimodal
    torch.manual_seed(0)
    G = TableGenerator(6, 3, encoder.spans, hidden=(8, 8))
    z, c = torch.randn(16, 6) * 5, torch.eye(3)[torch.arange(16) % 3]
    out = G(z, c)
    assert out.shape == (16, encoder.width)
    for s in encoder.spans:
        part = out[:, s.start:s.end]
        if s.activation == "tanh":
            assert part.abs().max() < 1
        else:
            assert part.min() >= 0 and torch.allclose(part.sum(1), torch.ones(16), atol=1e-5)
    with pytest.raises(ValueError, match=r"pass a condition of shape \(16, 3\), got None"):
        G(z)
    with pytest.raises(ValueError, match=r"got \(16, 2\)"):
        G(z, c[:, :2])
    assert TableGenerator(6, 0, encoder.spans, hidden=(8,))(z).shape == (16, encoder.width)


def test_the_critic_scores_packs_of_consecutive_rows():
    torch.manual_seed(0)
    D = TableCritic(5, 2, pac=4, hidden=(8,)).eval()
    x, c = torch.randn(12, 5), torch.eye(2)[torch.arange(12) % 2]
    scores = D(x, c)
    assert scores.shape == (3,)
    changed = x.clone()
    changed[5] += 1  # a row of the second pack
    moved = D(changed, c)
    assert moved[0] == scores[0] and moved[2] == scores[2] and moved[1] != scores[1]
    with pytest.raises(ValueError, match="use a batch size that is a multiple of 4"):
        D(x[:10], c[:10])
    with pytest.raises(ValueError, match="pass a condition"):
        D(x)
    with pytest.raises(ValueError, match="at least 1"):
        TableCritic(5, 2, pac=0)


# -- the experiment ---------------------------------------------------------------

def test_missing_categories_counts_real_column_category_pairs_never_made():
    real = pd.DataFrame({"a": ["x", "y", "z", "x"], "b": ["p", "q", "p", "p"]})
    fake = pd.DataFrame({"a": ["x", "x", "x", "x"], "b": ["q", "p", "r", "r"]})
    assert tabular.missing_categories(real, fake, ("a", "b")) == pytest.approx(2 / 5)  # y and z of 5 pairs
    assert tabular.missing_categories(real, real, ("a", "b")) == 0


def test_the_config_checks_the_synthesizer_and_the_packing_and_labels_the_variants():
    with pytest.raises(ValueError, match="unknown synthesizer 'gan'; use one of real, independent"):
        ctgan_adult.Config.for_profile("smoke", synthesizer="gan")
    with pytest.raises(ValueError, match="batch_size 45 must be a multiple of pac 10"):
        ctgan_adult.Config.for_profile("smoke", batch_size=45)
    config = ctgan_adult.Config.for_profile("smoke")
    variants = {**ctgan_adult.variants(config), **ctgan_adult.ablations(config)}
    names = ["real rows (TRTR)", "independent columns", "Gaussian copula", "CTGAN (ours)",
             "CTGAN (ours) without mode-specific normalisation", "CTGAN (ours) without training-by-sampling"]
    assert [v for v in variants if v != "ctgan package"] == names
    assert ("ctgan package" in variants) == ctgan_adult.package_available()
    assert not variants[names[4]].mode_specific and variants[names[4]].conditional
    assert variants[names[5]].mode_specific and not variants[names[5]].conditional
    both = ctgan_adult.Config.for_profile("smoke", mode_specific=False, conditional=False)
    assert both.label == "CTGAN (ours) without mode-specific normalisation or training-by-sampling"


@pytest.fixture(scope="module")
def smoke_ctgan():
    """The one CTGAN trained in this file: Adult at smoke size, two steps."""
    config = ctgan_adult.Config.for_profile("smoke")
    return config, ctgan_adult.build(config).fit(2, progress=False)


def test_ctgan_on_adult_trains_at_smoke_size_and_makes_a_table_of_real_categories(smoke_ctgan):
    config, trainer = smoke_ctgan
    for key in ("d.adv", "d.penalty", "g.adv", "g.cond"):
        assert len(trainer.history[key]) == 2 and np.isfinite(trainer.history[key]).all(), key
    data = ctgan_adult.table(config)
    fake = ctgan_adult.synthetic(trainer, 40, seed=1)
    assert list(fake.columns) == list(data.continuous + data.discrete) and len(fake) == 40
    for c in data.discrete:
        assert set(fake[c]) <= set(data.train[c]), c
    for c in data.continuous:  # Adult's continuous columns are whole numbers, and so are the generated ones
        assert (fake[c] == fake[c].round()).all(), c


def test_generated_rows_are_fixed_by_their_seed(smoke_ctgan):
    _, trainer = smoke_ctgan
    state = torch.get_rng_state()
    first = ctgan_adult.synthetic(trainer, 40, seed=1)
    assert torch.equal(torch.get_rng_state(), state)  # generating leaves training's random stream alone
    assert first.equals(ctgan_adult.synthetic(trainer, 40, seed=1))


def test_run_gives_every_variant_its_seeds_in_the_tables_order(monkeypatch):
    seen = []

    def fake_run_one(config):
        seen.append((config.label, config.seed))
        return {"metrics": {k: float(config.seed) for k in ctgan_adult.KEYS}, "fake": None}

    monkeypatch.setattr(ctgan_adult, "run_one", fake_run_one)
    monkeypatch.setattr(ctgan_adult, "sweep", lambda fn, jobs, seeds, progress, desc: [
        {"variant": label, "seed": c.seed, "config": c, **fn(c)} for label, c in jobs.items()])
    config = ctgan_adult.Config.for_profile("smoke", seeds=2, ablation_seeds=1)
    results = ctgan_adult.run(config, progress=False)
    trained = [label for label, _ in seen[:3]]
    assert all(label.startswith("CTGAN") or label == "ctgan package" for label in trained)  # long jobs first
    order = [(r["variant"], r["seed"]) for r in results]
    assert order[:2] == [("real rows (TRTR)", 0), ("real rows (TRTR)", 1)]
    assert order[-2:] == [("CTGAN (ours) without mode-specific normalisation", 0),
                          ("CTGAN (ours) without training-by-sampling", 0)]
    table = ctgan_adult.summary_table(results)
    assert table.loc["CTGAN (ours)", "f1_mean"] == "0.500 ± 0.500"  # seeds 0 and 1: mean 0.5, s.e. 0.5
    assert table.loc["CTGAN (ours) without training-by-sampling", "f1_mean"] == "0.000"  # one seed: no error bar
