# Optuna's TPE as the reference for electron/core/sweeps/ (test/unit/electron/core/sweeps/tpe-optuna.test.ts).
# Reads {parzen: cases, studies: {seeds, trials}} on stdin; prints each log density and each study's values. Optuna 3.1 (Debian's python3-optuna) with the fix of
# optuna#5110 (Optuna 3.5) applied: its truncated normal log density lacked the -log(scale) term,
# which Cairn's Parzen estimator has, as Optuna has had since.
import json
import math
import sys

import numpy as np
import optuna
from optuna import distributions as D
from optuna.samplers._tpe import _truncnorm
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights

_logpdf_3_1 = _truncnorm.logpdf


def _logpdf_5110(x, a, b, loc=0, scale=1):
    return _logpdf_3_1(x, a, b, loc, scale) - np.log(scale)


_truncnorm.logpdf = _logpdf_5110
optuna.logging.set_verbosity(optuna.logging.WARNING)


def distribution(d):
    if d["kind"] == "float":
        return D.FloatDistribution(d["low"], d["high"], log=d["log"], step=d.get("step"))
    if d["kind"] == "int":
        return D.IntDistribution(d["low"], d["high"], log=d["log"], step=d["step"])
    return D.CategoricalDistribution(d["choices"])


def parzen(cases):
    out = []
    for c in cases:
        dist = distribution(c["d"])
        categorical = c["d"]["kind"] == "categorical"
        obs = [dist.to_internal_repr(o) for o in c["obs"]]
        xs = [dist.to_internal_repr(x) for x in c["xs"]]
        params = _ParzenEstimatorParameters(True, 1.0, True, False, default_weights, False)
        pe = _ParzenEstimator({"p": np.asarray(obs, dtype=float)}, {"p": dist}, params)
        out.append(pe.log_pdf({"p": np.asarray(xs, dtype=int if categorical else float)}).tolist())
    return out


def branin(trial):
    x = trial.suggest_float("x", -5, 10)
    y = trial.suggest_float("y", 0, 15)
    b = 5.1 / (4 * math.pi**2)
    c = 5 / math.pi
    return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x) + 10


def studies(seeds, trials):
    out = []
    for seed in range(seeds):
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
        study.optimize(branin, n_trials=trials)
        out.append([t.value for t in study.trials])
    return out


# One run answers both questions: importing Optuna is most of its time.
request = json.load(sys.stdin)
print(json.dumps({"parzen": parzen(request["parzen"]), "studies": studies(**request["studies"])}))
