"""Evaluation methods named by the founding document (§十四) and national rules (domain.md §8).

- 成本收益分析法 cost-benefit and 最低成本法 least-cost: :mod:`perfkit.methods.cba`
- 比较法 comparative: :mod:`perfkit.methods.compare`
- 因素分析法 factor analysis: :mod:`perfkit.methods.decomposition` (chain substitution, Shapley,
  LMDI) and :mod:`perfkit.methods.factor` (statistical factor analysis, KMO, Bartlett, drivers)
- 标杆管理法 benchmarking incl. DEA and Malmquist: :mod:`perfkit.methods.benchmark`
- 公众评判法 public assessment: :mod:`perfkit.methods.survey`
- weights (AHP, entropy, weight sensitivity): :mod:`perfkit.methods.weights`

Every function returns a frozen result object (see :class:`perfkit._results.Result`).
"""
from .benchmark import *  # noqa: F401,F403
from .benchmark import __all__ as _b
from .cba import *  # noqa: F401,F403
from .cba import __all__ as _c
from .compare import *  # noqa: F401,F403
from .compare import __all__ as _cmp
from .decomposition import *  # noqa: F401,F403
from .decomposition import __all__ as _d
from .factor import *  # noqa: F401,F403
from .factor import __all__ as _f
from .survey import *  # noqa: F401,F403
from .survey import __all__ as _s
from .weights import *  # noqa: F401,F403
from .weights import __all__ as _w

__all__ = [*_b, *_c, *_cmp, *_d, *_f, *_s, *_w]
