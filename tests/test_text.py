"""Shared Chinese text similarity (perfkit._text): normalisation, n-grams, TF-IDF, cosines."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from perfkit._text import (MOST_SIMILAR_COLUMNS, char_ngrams, cosine_similarity_matrix,
                           fit_tfidf, most_similar, normalise_text, segments, text_similarity,
                           tfidf_matrix)
from perfkit.errors import InputError


def test_normalise_text():
    assert normalise_text("农村 饮水安全（巩固提升）工程！") == "农村饮水安全巩固提升工程"
    assert normalise_text("ＰＭ２．５ 年均浓度") == "pm25年均浓度"          # NFKC + lower case
    assert normalise_text("5G 基站", digits=False) == "g基站"
    assert normalise_text(None) == "" and normalise_text(float("nan")) == ""
    t = "新建改造供水管网10公里，受益人口"
    assert "".join(segments(t)) == normalise_text(t, digits=False)


def test_char_ngrams_do_not_cross_segments():
    assert segments("新建改造供水管网10公里，受益人口") == ["新建改造供水管网", "公里", "受益人口"]
    assert char_ngrams("饮水安全，井") == ["饮水", "水安", "安全", "井"]
    assert char_ngrams("饮水安全", n=3) == ["饮水安", "水安全"]
    assert char_ngrams("饮水", n=3) == ["饮水"]                      # shorter than n: whole
    assert char_ngrams("营养", n=1) == ["营", "养"]
    with pytest.raises(InputError, match="n-gram"):
        char_ngrams("x", n=0)


def test_similarity_sanity():
    texts = ["农村饮水安全工程", "农村 饮水安全 工程！", "学生营养改善计划", "农村饮水", "", None]
    s = text_similarity(texts)
    assert s.shape == (6, 6)
    assert s[0, 1] == pytest.approx(1.0)                 # identical after normalisation
    assert s[2, 2] == pytest.approx(1.0)                 # identical → 1
    assert s[0, 2] == 0.0                                # no shared bigram → 0
    assert np.allclose(s, s.T)                           # symmetric
    assert 0 < s[0, 3] < 1
    assert s[4, 4] == 0 and s[5, 0] == 0                 # empty text: 0 with everything
    assert ((s >= 0) & (s <= 1)).all()


def test_tfidf_rows_and_smooth_idf():
    X = tfidf_matrix(["饮水安全", "饮水", ""])
    assert sparse.issparse(X) and X.shape[0] == 3
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    assert norms == pytest.approx([1.0, 1.0, 0.0])
    m = fit_tfidf(["饮水安全", "饮水", ""])
    idf = dict(zip(m.vocabulary, m.idf))
    # idf = ln((1 + N) / (1 + df)) + 1 with N = 3 documents
    assert idf["饮水"] == pytest.approx(np.log(4 / 3) + 1)
    assert idf["安全"] == pytest.approx(np.log(4 / 2) + 1)


def test_cross_similarity_and_cosine_matrix():
    a = ["农村饮水安全工程", "学生营养改善计划"]
    b = ["农村饮水安全项目", "营养改善", "公路养护"]
    s = text_similarity(a, b)
    assert s.shape == (2, 3)
    assert s[0, 0] > 0.5 and s[1, 1] > 0.5 and s[0, 2] == 0 and s[1, 2] == 0
    X = tfidf_matrix(a + b)
    dense = cosine_similarity_matrix(X.toarray())
    assert np.allclose(dense, cosine_similarity_matrix(X))
    assert np.allclose(cosine_similarity_matrix(X[:2], X[2:]), s)      # idf fitted on a + b
    assert cosine_similarity_matrix(np.array([[3.0, 4.0]]), np.array([[4.0, 3.0]]))[0, 0] \
        == pytest.approx(24 / 25)
    with pytest.raises(InputError):
        cosine_similarity_matrix(np.ones((1, 2)), np.ones((1, 3)))


def test_most_similar():
    corpus = ["学生营养改善计划", "农村饮水安全巩固提升工程", "农村公路养护", "饮水安全"]
    r = most_similar("农村饮水安全", corpus, k=2)
    assert list(r.columns) == list(MOST_SIMILAR_COLUMNS)
    assert set(r["index"]) == {1, 3} and len(r) == 2
    assert r["similarity"].is_monotonic_decreasing
    exact = most_similar("饮水安全", corpus, k=4)
    assert exact["index"].iloc[0] == 3 and exact["similarity"].iloc[0] == pytest.approx(1.0)
    # an n-gram the corpus never saw still counts in the query's length: not a perfect match
    extra = most_similar("饮水安全哈哈", corpus, k=1)
    assert extra["index"].iloc[0] == 3 and extra["similarity"].iloc[0] < 0.9
    assert most_similar("完全无关的词", corpus).empty
    with pytest.raises(InputError):
        most_similar("x", corpus, k=0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="农村饮水安全学生营养改善公路 ，1", max_size=10),
                min_size=1, max_size=6))
def test_similarity_properties(texts):
    s = text_similarity(texts)
    assert np.allclose(s, s.T)
    assert ((s >= 0) & (s <= 1 + 1e-12)).all()
    nonempty = np.array([bool(normalise_text(t, digits=False)) for t in texts])
    assert np.allclose(np.diag(s)[nonempty], 1.0)
    assert np.allclose(np.diag(s)[~nonempty], 0.0)
