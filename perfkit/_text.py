"""Chinese text similarity without word segmentation: character n-gram TF-IDF and cosines.

Used wherever perfkit compares short Chinese texts — overlapping projects (交叉重复,
:mod:`perfkit.cycle.application`), the indicator library's search and suggestions
(:mod:`perfkit.indicators`). No network, no sklearn: numpy and ``scipy.sparse`` only.

The recipe
----------
1. **Normalise**: NFKC (full-width letters and digits become half-width: ``ＰＭ２．５`` →
   ``pm2.5``), lower case, white space removed.
2. **Segment**: punctuation, symbols and digits split the text into segments
   (``农村 饮水安全，工程`` → ``农村饮水安全`` | ``工程``); n-grams never cross a segment
   boundary, so a number or a comma does not invent a bigram.
3. **n-grams**: the character n-grams of each segment (n = 2 by default); a segment shorter
   than n counts whole.
4. **TF-IDF**: tf = raw count; idf = ln((1 + N) / (1 + df)) + 1 (smooth idf, N documents);
   every row scaled to unit L2 length, so the cosine of two rows is their dot product. An
   empty text is a zero row: its similarity with everything (itself included) is 0.

Examples
--------
>>> s = text_similarity(["农村饮水安全工程", "农村饮水安全项目", "学生营养改善计划"])
>>> bool(s[0, 1] > 0.5 > s[0, 2])
True
>>> most_similar("饮水安全", ["学生营养改善计划", "农村饮水安全巩固提升工程"], k=1)["index"].tolist()
[1]
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd
from scipy import sparse

from .errors import InputError

__all__ = ["normalise_text", "segments", "char_ngrams", "TfidfModel", "fit_tfidf",
           "tfidf_matrix", "cosine_similarity_matrix", "text_similarity", "most_similar",
           "MOST_SIMILAR_COLUMNS"]

_SPACE = re.compile(r"\s+", re.UNICODE)
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)          # anything but letters, digits, CJK
_SPLIT = re.compile(r"[\W_0-9]+", re.UNICODE)       # … and digits: segment boundaries

#: fixed columns of :func:`most_similar`
MOST_SIMILAR_COLUMNS = {"index": "position of the text in the corpus (0-based)",
                        "text": "the corpus text as given",
                        "similarity": "cosine similarity with the query (0–1)"}


def _missing(text: Any) -> bool:
    if text is None or text is pd.NA:
        return True
    return isinstance(text, float) and np.isnan(text)


def _nfkc(text: Any) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text)).lower())


def normalise_text(text: Any, *, digits: bool = True) -> str:
    """NFKC, lower case, white space and punctuation removed (``None``/NaN → ``""``).

    Parameters
    ----------
    text : any
        Converted with ``str``.
    digits : bool
        Keep digits (default). With ``False`` digits are removed too, which is the text
        :func:`segments` sees (``"".join(segments(t)) == normalise_text(t, digits=False)``).

    Examples
    --------
    >>> normalise_text("农村 饮水安全（巩固提升）工程！")
    '农村饮水安全巩固提升工程'
    >>> normalise_text("ＰＭ２．５ 年均浓度")
    'pm25年均浓度'
    """
    if _missing(text):
        return ""
    pattern = _PUNCT if digits else _SPLIT
    return pattern.sub("", _nfkc(text))


def segments(text: Any) -> list[str]:
    """The segments of a text: normalised, split at punctuation, symbols and digits.

    >>> segments("新建改造供水管网10公里，受益人口")
    ['新建改造供水管网', '公里', '受益人口']
    """
    if _missing(text):
        return []
    return [s for s in _SPLIT.split(_nfkc(text)) if s]


def char_ngrams(text: Any, n: int = 2) -> list[str]:
    """Character n-grams of each segment (:func:`segments`); a segment shorter than n is kept
    whole. Order follows the text; repeats are kept (they are the term frequencies).

    >>> char_ngrams("饮水安全，井")
    ['饮水', '水安', '安全', '井']
    """
    n = _check_n(n)
    out: list[str] = []
    for s in segments(text):
        out.extend([s] if len(s) <= n else [s[i:i + n] for i in range(len(s) - n + 1)])
    return out


def _check_n(n: Any) -> int:
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError("must be a whole number ≥ 1 (the n-gram length)", argument="n", value=n)
    return int(n)


def _tokens(texts: Iterable[Any], n: int) -> tuple[list[list[str]], int]:
    toks = [char_ngrams(t, n) for t in texts]
    return toks, len(toks)


def _l2_rows(X: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    inv = np.divide(1.0, norms, out=np.zeros_like(norms, dtype=float), where=norms > 0)
    return sparse.csr_matrix(sparse.diags(inv) @ X)


@dataclass(frozen=True, eq=False)
class TfidfModel:
    """A fitted vocabulary and idf: ``transform`` maps any texts into the same space.

    Attributes
    ----------
    vocabulary : ndarray of str, sorted — the n-grams seen when fitting
    idf : ndarray of float — ln((1 + N) / (1 + df)) + 1 for each n-gram
    n : int — the n-gram length
    n_documents : int — N, the number of texts fitted
    """

    vocabulary: np.ndarray
    idf: np.ndarray
    n: int
    n_documents: int

    def transform(self, texts: Iterable[Any]) -> sparse.csr_matrix:
        """TF-IDF rows of ``texts`` in the fitted space.

        A text whose n-grams were all seen when fitting gives a unit row. An n-gram never seen
        has no column, but still counts in the row's length (with idf = ln(1 + N) + 1), so the
        row is shorter than 1 and a dot product with a fitted row is the true cosine.
        """
        toks, m = _tokens(texts, self.n)
        return self._from_tokens(toks, m)

    def _from_tokens(self, toks: list[list[str]], m: int) -> sparse.csr_matrix:
        V = len(self.vocabulary)
        lens = np.fromiter((len(t) for t in toks), dtype=np.int64, count=m)
        if V == 0 or lens.sum() == 0:
            return sparse.csr_matrix((m, V))
        flat = np.array([tok for t in toks for tok in t], dtype=str)
        rows = np.repeat(np.arange(m), lens)
        pos = np.searchsorted(self.vocabulary, flat)
        pos_c = np.minimum(pos, V - 1)
        known = self.vocabulary[pos_c] == flat
        X = sparse.csr_matrix((np.ones(int(known.sum())), (rows[known], pos_c[known])),
                              shape=(m, V))
        X.sum_duplicates()
        X = sparse.csr_matrix(X @ sparse.diags(self.idf))
        # n-grams never seen when fitting still count in the length of the row (with the idf of
        # an n-gram of document frequency 0), so that a dot product stays a true cosine
        sq = np.asarray(X.multiply(X).sum(axis=1)).ravel()
        if not known.all():
            unseen = pd.Series(1, index=pd.MultiIndex.from_arrays([rows[~known], flat[~known]]))
            tf = unseen.groupby(level=[0, 1]).size()
            extra = (tf.astype(float) ** 2).groupby(level=0).sum()
            sq[extra.index.to_numpy()] += extra.to_numpy() * self._idf_unseen ** 2
        norms = np.sqrt(sq)
        inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        return sparse.csr_matrix(sparse.diags(inv) @ X)

    @property
    def _idf_unseen(self) -> float:
        return float(np.log(1 + self.n_documents) + 1)


def fit_tfidf(texts: Iterable[Any], *, n: int = 2) -> TfidfModel:
    """Fit the vocabulary and smooth idf of character n-grams over ``texts``."""
    n = _check_n(n)
    toks, m = _tokens(texts, n)
    flat = [tok for t in toks for tok in t]
    if not flat:
        return TfidfModel(np.array([], dtype=str), np.array([], dtype=float), n, m)
    vocab, cols = np.unique(np.array(flat, dtype=str), return_inverse=True)
    lens = np.fromiter((len(t) for t in toks), dtype=np.int64, count=m)
    rows = np.repeat(np.arange(m), lens)
    X = sparse.csr_matrix((np.ones(len(cols)), (rows, cols.ravel())), shape=(m, len(vocab)))
    X.sum_duplicates()
    df = np.bincount(X.indices, minlength=len(vocab))
    idf = np.log((1 + m) / (1 + df)) + 1
    return TfidfModel(vocab, idf, n, m)


def tfidf_matrix(texts: Iterable[Any], *, n: int = 2) -> sparse.csr_matrix:
    """L2-normalised character n-gram TF-IDF rows of ``texts`` (fitted on ``texts``).

    Returns
    -------
    scipy.sparse.csr_matrix
        ``len(texts) × vocabulary``; an empty text is a zero row (``X.getnnz(axis=1) == 0``).
    """
    texts = list(texts)
    n = _check_n(n)
    model = fit_tfidf(texts, n=n)
    return model.transform(texts)


def cosine_similarity_matrix(X: Any, Y: Any = None) -> np.ndarray:
    """Dense cosine similarities of the rows of ``X`` with the rows of ``Y`` (default ``X``).

    Rows are L2-normalised first (zero rows stay zero, so their similarity is 0). Works with
    dense arrays and scipy sparse matrices; values are clipped to [−1, 1] against rounding.
    """
    def norm(A):
        if sparse.issparse(A):
            return _l2_rows(sparse.csr_matrix(A, dtype=float))
        A = np.atleast_2d(np.asarray(A, dtype=float))
        nr = np.linalg.norm(A, axis=1, keepdims=True)
        return np.divide(A, nr, out=np.zeros_like(A), where=nr > 0)

    A = norm(X)
    B = A if Y is None else norm(Y)
    if A.shape[1] != B.shape[1]:
        raise InputError(f"X has {A.shape[1]} columns but Y has {B.shape[1]}; both must be "
                         "rows in the same vector space", argument="Y", value=B.shape)
    S = A @ B.T
    S = S.toarray() if sparse.issparse(S) else np.asarray(S)
    return np.clip(S, -1.0, 1.0)


def text_similarity(texts: Iterable[Any], other: Iterable[Any] | None = None, *,
                    n: int = 2) -> np.ndarray:
    """Cosine similarity matrix of character n-gram TF-IDF vectors (dense, for small inputs).

    Parameters
    ----------
    texts : iterable
        Texts (``None``/NaN count as empty).
    other : iterable, optional
        A second list: the result is ``len(texts) × len(other)``; idf is fitted on both
        lists together. Without it the square matrix of ``texts`` with itself.
    n : int
        n-gram length (2: bigrams).

    Notes
    -----
    Text is NFKC-normalised, lower-cased and stripped of white space; punctuation and digits
    split it into segments, and n-grams never cross a segment boundary (a segment shorter
    than n counts whole). Empty texts have similarity 0 with everything. The matrix is
    symmetric, with 1 on the diagonal of every non-empty text.

    Examples
    --------
    >>> s = text_similarity(["农村饮水安全工程", "农村 饮水安全 工程！", "学生营养改善计划"])
    >>> round(float(s[0, 1]), 6), float(s[0, 2])
    (1.0, 0.0)
    """
    a = list(texts)
    if other is None:
        X = tfidf_matrix(a, n=n)
        return np.clip((X @ X.T).toarray(), 0.0, 1.0)
    b = list(other)
    model = fit_tfidf(a + b, n=n)
    X = model.transform(a)
    Y = model.transform(b)
    return np.clip((X @ Y.T).toarray(), 0.0, 1.0)


def most_similar(query: Any, corpus: Iterable[Any], *, k: int = 10, n: int = 2,
                 min_similarity: float = 0.0) -> pd.DataFrame:
    """The ``k`` corpus texts most similar to ``query`` (idf fitted on the corpus).

    Parameters
    ----------
    query : str
    corpus : iterable of str
    k : int
        How many to return at most.
    n : int
        n-gram length.
    min_similarity : float
        Keep only texts whose similarity is strictly above this (default 0: texts sharing no
        n-gram with the query are left out).

    Returns
    -------
    DataFrame
        Columns :data:`MOST_SIMILAR_COLUMNS`, most similar first; ties keep corpus order.
    """
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError("must be a whole number ≥ 1", argument="k", value=k)
    docs = list(corpus)
    model = fit_tfidf(docs, n=n)
    sim = np.zeros(len(docs))
    if docs:
        sim = np.clip((model.transform(docs) @ model.transform([query]).T).toarray().ravel(),
                      0.0, 1.0)
    idx = np.flatnonzero(sim > min_similarity)
    idx = idx[np.lexsort((idx, -sim[idx]))][:int(k)]
    return pd.DataFrame({"index": idx.astype(np.int64),
                         "text": [docs[i] for i in idx],
                         "similarity": sim[idx]}, columns=list(MOST_SIMILAR_COLUMNS))
