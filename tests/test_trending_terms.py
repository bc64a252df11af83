"""Trending terms: what posts mention, and which terms rose against a baseline window."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwitscher.domain.terms import extract_terms, rank_trending

pytestmark = pytest.mark.engine_independent


def test_a_post_mentions_its_words_and_hashtags_case_folded_without_stopwords():
    text = ("Heute STREIK bei der Bahn, und der Streik trifft auch die S-Bahn! #Streik "
            "@presse@example.org https://example.org/news 2024 We are on it")
    assert extract_terms(text) == ["streik", "bahn", "trifft", "s-bahn", "#streik"]


def test_english_and_german_stopwords_both_go_whatever_the_post_claims_to_be():
    assert extract_terms("The outage und die Störung") == ["outage", "störung"]


def counts(posts: list[str]) -> Counter[str]:
    return Counter(term for post in posts for term in extract_terms(post))


def test_a_term_that_rose_sharply_leads_and_steady_terms_do_not_trend():
    baseline = counts(["Unser Kundenservice hilft gern"] * 50 + ["Neue Filiale in Köln"] * 20
                      + ["Störung behoben"] * 2)
    current = counts(["Unser Kundenservice hilft gern"] * 45 + ["Störung im Netz Köln"] * 30)
    ranked = rank_trending(current, baseline)
    assert {t.term for t in ranked[:2]} == {"störung", "netz"}
    assert "kundenservice" not in [t.term for t in ranked]
    störung = next(t for t in ranked if t.term == "störung")
    assert (störung.count, störung.baseline_count) == (30, 2)
    assert störung.ratio > 5


def test_a_term_below_the_minimum_count_never_trends():
    ranked = rank_trending({"einmalig": 2, "häufig": 40}, {"häufig": 1}, current_total=100,
                           baseline_total=100)
    assert [t.term for t in ranked] == ["häufig"]


def test_with_an_empty_baseline_terms_rank_by_how_often_they_are_used():
    ranked = rank_trending({"alpha": 3, "beta": 9, "gamma": 5}, {})
    assert [t.term for t in ranked] == ["beta", "gamma", "alpha"]


def test_one_post_repeating_a_word_counts_once():
    assert extract_terms("Skandal Skandal SKANDAL skandal") == ["skandal"]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_gives_distinct_lower_case_terms(text):
    terms = extract_terms(text)
    assert len(terms) == len(set(terms))
    assert all(term == term.casefold() and term.strip() for term in terms)


@settings(max_examples=200, deadline=None)
@given(current=st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 500)),
       baseline=st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 500)))
def test_the_ranking_only_holds_terms_that_rose_and_is_ordered_by_score(current, baseline):
    ranked = rank_trending(current, baseline)
    assert [t.score for t in ranked] == sorted((t.score for t in ranked), reverse=True)
    total_now, total_before = sum(current.values()), sum(baseline.values())
    for term in ranked:
        assert term.count >= 3
        if total_before:
            assert term.count / total_now > term.baseline_count / total_before
