"""Crisis templates read any text a person may type: whatever it holds, a template is either
refused with a clear reason when it is saved, or it can always be filled in when it is sent
(a crisis is no time to find out that it cannot)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwitscher.domain.crisis_texts import (
    FILLED_BY_THE_SYSTEM,
    PLACEHOLDERS,
    fill,
    missing_values,
    placeholders_in,
)
from zwitscher.domain.errors import ValidationFailed

pytestmark = pytest.mark.engine_independent

pieces = st.one_of(st.text(max_size=20), st.sampled_from(
    ["{", "}", "{{", "}}", "{place}", "{link}", "{what}", "{plase}", "{place:>9}", "{place!r}",
     "{}", "{0}", "{place.x}", "{place[0]}", "ä{advice}ß", "\u202e", "{ place }"]))
templates = st.lists(pieces, max_size=8).map("".join)
values = st.dictionaries(st.sampled_from(PLACEHOLDERS), st.text(max_size=40), max_size=6)


@settings(max_examples=400, deadline=None)
@given(text=templates, given_values=values)
def test_a_template_is_refused_clearly_or_can_always_be_filled_in(text, given_values):
    try:
        names = placeholders_in(text)
    except ValidationFailed as refusal:
        assert refusal.message.startswith("Validation failed: ")
        return
    assert set(names) <= set(PLACEHOLDERS)
    complete = {name: f"<{name}>" for name in PLACEHOLDERS} | {
        name: value for name, value in given_values.items() if value.strip()}
    assert not missing_values([text], complete)
    filled = fill(text, complete)
    for name in names:
        assert complete[name] in filled
    # Values are text, never read as placeholders themselves.
    assert fill(text, dict.fromkeys(PLACEHOLDERS, "{place}")).count("{place}") >= len(names)


def test_only_the_system_fills_in_the_link():
    assert missing_values(["{link} at {place}"], {}) == ["place"]
    assert FILLED_BY_THE_SYSTEM == {"link"}
