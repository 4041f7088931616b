"""Tests for the tracked-term query language (insights.query): matching, precedence, errors and properties."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from insights.query import (
    And,
    Handle,
    Hashtag,
    InvalidTermQuery,
    Near,
    Not,
    Or,
    Phrase,
    Query,
    Term,
    TermMatcher,
    match,
    parse,
    required_tokens,
    tokenize,
)

EXAMPLE = '"carl\'s soda" OR @carlssoda OR #carlssoda -"carl\'s jr"'


def matches(query: str, text: str) -> bool:
    return parse(query).matches(text)


def assert_invalid(query: str, position: int, message: str) -> None:
    with pytest.raises(InvalidTermQuery) as raised:
        parse(query)
    assert (raised.value.message, raised.value.position) == (message, position)


# --- The example from the help text -----------------------------------------------------------------------------------


def test_the_example_matches_the_phrase_in_any_case():
    assert matches(EXAMPLE, "Loving Carl's Soda today")


def test_the_example_matches_the_handle():
    assert matches(EXAMPLE, "@CarlsSoda rocks")


def test_the_example_excludes_posts_mentioning_the_excluded_phrase():
    assert not matches(EXAMPLE, "Carl's Jr and carl's soda")


def test_the_example_does_not_match_a_longer_handle():
    assert not matches(EXAMPLE, "@carlssoda_fans")


# --- Words -----------------------------------------------------------------------------------------------------------


def test_a_word_matches_regardless_of_case():
    assert matches("soda", "I love SODA")


def test_a_word_matches_next_to_punctuation():
    assert matches("soda", "Soda! (the best)")


def test_a_word_does_not_match_a_longer_word():
    assert not matches("soda", "sodas and sodapop")


def test_a_word_does_not_match_inside_a_word():
    assert not matches("soda", "creamsoda")


def test_a_wildcard_matches_words_starting_with_the_prefix():
    assert matches("soda*", "sodapop")


def test_a_wildcard_matches_the_prefix_itself():
    assert matches("soda*", "soda")


def test_a_wildcard_does_not_match_the_prefix_inside_a_word():
    assert not matches("soda*", "creamsodas")


def test_an_apostrophe_is_part_of_the_word():
    assert not matches("carl", "carl's")


def test_a_curly_apostrophe_in_the_text_counts_as_a_straight_one():
    assert matches("carl's", "Carl’s")


def test_a_curly_apostrophe_in_the_query_counts_as_a_straight_one():
    assert parse("carl’s") == Term("carl's")


def test_single_quotes_around_a_word_are_not_part_of_it():
    assert matches("soda", "'soda'")


def test_accented_letters_are_letters():
    assert matches("café", "Au CAFÉ.")


def test_an_accented_word_differs_from_the_unaccented_one():
    assert not matches("café", "cafe")


def test_decomposed_accents_match_composed_ones():
    assert matches("café", "cafe\u0301")


def test_letters_of_other_scripts_stay_in_one_word():
    assert tokenize("नमस्ते दुनिया").sequence == ("नमस्ते", "दुनिया")


def test_a_hyphenated_query_word_is_a_phrase():
    assert parse("coca-cola") == Phrase(("coca", "cola"))


def test_a_hyphenated_query_word_matches_the_words_with_a_space():
    assert matches("coca-cola", "Coca Cola")


def test_lowercase_operator_words_are_ordinary_words():
    assert parse("soda or cola") == And((Term("soda"), Term("or"), Term("cola")))


def test_lowercase_near_is_an_ordinary_word():
    assert matches("near", "the store near me")


# --- Phrases ---------------------------------------------------------------------------------------------------------


def test_a_phrase_matches_consecutive_words():
    assert matches('"carl\'s soda"', "We drink CARL'S SODA daily")


def test_a_phrase_does_not_match_the_words_apart():
    assert not matches('"carl\'s soda"', "carl's cold soda")


def test_a_phrase_does_not_match_the_words_in_another_order():
    assert not matches('"carl\'s soda"', "soda, carl's")


def test_punctuation_inside_quotes_separates_words():
    assert parse('"carlssoda.com"') == Phrase(("carlssoda", "com"))


def test_typographic_quotes_delimit_a_phrase():
    assert parse("“carl's soda”") == Phrase(("carl's", "soda"))


def test_a_phrase_can_contain_a_hashtag():
    assert matches('"love #carlssoda"', "I love #CarlsSoda")


# --- Handles and hashtags --------------------------------------------------------------------------------------------


def test_a_handle_matches_regardless_of_case():
    assert matches("@carlssoda", "thanks @CarlsSoda!")


def test_a_handle_does_not_match_a_longer_handle():
    assert not matches("@carlssoda", "@carlssoda_fans @carlssodaofficial")


def test_a_handle_does_not_match_an_email_address():
    assert not matches("@carlssoda", "write to info@carlssoda.com")


def test_a_handle_does_not_match_the_hashtag():
    assert not matches("@carlssoda", "#carlssoda")


def test_a_hashtag_matches_regardless_of_case():
    assert matches("#carlssoda", "so good #CarlsSoda")


def test_a_hashtag_does_not_match_a_longer_hashtag():
    assert not matches("#carlssoda", "#carlssodalove")


def test_a_hashtag_does_not_match_the_plain_word():
    assert not matches("#carlssoda", "carlssoda")


def test_a_plain_word_matches_the_hashtag_of_that_word():
    assert matches("soda", "loving my #soda")


def test_a_plain_word_does_not_match_a_handle():
    assert not matches("carlssoda", "@carlssoda")


def test_a_wildcard_matches_a_hashtag_starting_with_the_prefix():
    assert matches("soda*", "#sodalove")


def test_a_wildcard_does_not_match_a_handle():
    assert not matches("carls*", "@carlssoda")


def test_tokenize_keeps_handles_and_hashtags_whole():
    assert tokenize("Hey @Carls_Soda, #SodaLove!").sequence == ("hey", "@carls_soda", "#sodalove")


# --- Operators -------------------------------------------------------------------------------------------------------


def test_implicit_and_requires_both_terms():
    assert not matches("soda cola", "soda only")


def test_implicit_and_matches_both_terms_in_any_order():
    assert matches("soda cola", "cola then soda")


def test_explicit_and_is_the_same_as_a_space():
    assert parse("soda AND cola") == parse("soda cola")


def test_or_matches_either_term():
    assert matches("soda OR cola", "just cola")


def test_or_does_not_match_neither_term():
    assert not matches("soda OR cola", "just water")


def test_a_dash_excludes_a_term():
    assert not matches("soda -diet", "diet soda")


def test_not_excludes_a_term():
    assert parse("soda NOT diet") == parse("soda -diet")


def test_an_exclusion_lets_other_posts_through():
    assert matches("soda -diet", "regular soda")


def test_an_exclusion_can_exclude_a_group():
    assert not matches("soda -(diet OR zero)", "zero soda")


def test_near_matches_words_within_the_distance():
    assert matches("soda NEAR/2 cola", "soda and cola")


def test_near_matches_in_either_order():
    assert matches("soda NEAR/2 cola", "cola and soda")


def test_near_does_not_match_words_further_apart():
    assert not matches("soda NEAR/3 cola", "soda with lime and cola")


def test_near_1_matches_adjacent_words():
    assert matches("soda NEAR/1 cola", "cola, soda")


def test_near_1_does_not_match_words_with_one_between():
    assert not matches("soda NEAR/1 cola", "cola or soda")


def test_near_measures_from_the_end_of_a_phrase():
    assert matches('"carl\'s soda" NEAR/2 love', "carl's soda i love")


def test_near_needs_two_separate_occurrences():
    assert not matches("soda NEAR/2 soda", "soda")


def test_near_matches_two_occurrences_of_the_same_word():
    assert matches("soda NEAR/2 soda", "soda, more soda")


def test_near_accepts_an_or_group():
    assert matches("(soda OR pop) NEAR/1 carl's", "carl's pop")


def test_a_near_chain_matches_when_each_link_is_close():
    assert matches("a NEAR/1 b NEAR/1 c", "a b c")


def test_a_near_chain_measures_from_the_previous_pair():
    assert not matches("a NEAR/1 b NEAR/1 c", "a b x c")


def test_parentheses_group_terms():
    assert not matches("(soda OR pop) carl", "soda")


# --- Precedence ------------------------------------------------------------------------------------------------------

A, B, C, D = Term("a"), Term("b"), Term("c"), Term("d")


def test_and_binds_tighter_than_or():
    assert parse("a b OR c") == Or((And((A, B)), C))


def test_explicit_and_binds_tighter_than_or():
    assert parse("a OR b AND c") == Or((A, And((B, C))))


def test_near_binds_tighter_than_and():
    assert parse("a b NEAR/2 c") == And((A, Near(B, C, 2)))


def test_near_binds_tighter_than_or():
    assert parse("a OR b NEAR/2 c") == Or((A, Near(B, C, 2)))


def test_not_binds_tighter_than_and():
    assert parse("NOT a b") == And((Not(A), B))


def test_near_is_left_associative():
    assert parse("a NEAR/1 b NEAR/2 c") == Near(Near(A, B, 1), C, 2)


def test_parentheses_override_precedence():
    assert parse("a (b OR c)") == And((A, Or((B, C))))


def test_parenthesized_groups_stay_nested():
    assert parse("(a b) c") == And((And((A, B)), C))


def test_a_top_level_exclusion_applies_to_the_whole_query():
    assert parse("a OR b -d") == parse("(a OR b) -d")


def test_a_top_level_exclusion_excludes_posts_matching_another_alternative():
    assert not matches("a OR b -d", "a d")


def test_top_level_exclusions_are_collected_from_every_alternative():
    assert parse("-c a OR b -d") == And((Or((A, B)), Not(C), Not(D)))


def test_a_top_level_exclusion_keeps_the_rest_of_its_alternative():
    assert parse("a OR b c -d") == And((Or((A, And((B, C)))), Not(D)))


def test_an_exclusion_after_a_single_alternative_is_an_ordinary_and():
    assert parse("-d a") == And((Not(D), A))


def test_an_exclusion_inside_parentheses_applies_to_its_group_only():
    assert matches("a OR (b -d)", "a d")


def test_an_exclusion_alternative_at_the_top_level_applies_to_the_whole_query():
    assert parse("a OR -d") == And((A, Not(D)))


# --- Canonical text --------------------------------------------------------------------------------------------------


def test_str_of_the_example_shows_the_exclusion_applying_to_the_whole_query():
    assert str(parse(EXAMPLE)) == '("carl\'s soda" OR @carlssoda OR #carlssoda) -"carl\'s jr"'


def test_to_string_is_str():
    query = parse("soda* -@carlssoda")
    assert query.to_string() == str(query) == "soda* -@carlssoda"


def test_str_parenthesizes_an_or_alternative_with_an_exclusion():
    query = Or((A, And((B, Not(D)))))
    assert str(query) == "a OR (b -d)"
    assert parse(str(query)) == query


def test_queries_are_hashable_values():
    assert {parse("a OR b"), parse("a  OR  b")} == {Or((A, B))}


# --- Errors ----------------------------------------------------------------------------------------------------------


def test_an_invalid_query_is_a_value_error_that_shows_its_position():
    with pytest.raises(ValueError, match=r"^The query is empty: .* \(at position 0\)$"):
        parse("")


def test_an_empty_query_is_refused():
    assert_invalid("", 0, 'The query is empty: type a word, a "phrase", an @handle or a #hashtag')


def test_a_blank_query_is_refused():
    assert_invalid("   ", 0, 'The query is empty: type a word, a "phrase", an @handle or a #hashtag')


def test_an_unclosed_parenthesis_is_reported_where_the_closing_one_is_expected():
    assert_invalid("soda (cola OR pop", 17, "Expected a closing parenthesis for the one opened at position 5")


def test_a_lone_opening_parenthesis_is_unclosed():
    assert_invalid("soda (", 6, "Expected a closing parenthesis for the one opened at position 5")


def test_the_innermost_unclosed_parenthesis_is_reported():
    assert_invalid("(a (b", 5, "Expected a closing parenthesis for the one opened at position 3")


def test_an_unmatched_closing_parenthesis_is_refused():
    assert_invalid("soda) cola", 4, "This closing parenthesis has no matching opening one")


def test_a_leading_closing_parenthesis_is_refused():
    assert_invalid(") soda", 0, "This closing parenthesis has no matching opening one")


def test_empty_parentheses_are_refused():
    assert_invalid("soda ()", 5, "Empty parentheses: put a term inside, e.g. (soda OR cola)")


def test_a_trailing_or_is_refused():
    assert_invalid("soda OR", 5, "OR needs a term after it, e.g. soda OR cola")


def test_a_leading_and_is_refused():
    assert_invalid("AND soda", 0, "AND needs a term before it, e.g. soda AND cola")


def test_an_or_after_an_opening_parenthesis_is_refused():
    assert_invalid("(OR soda)", 1, "OR needs a term before it, e.g. soda OR cola")


def test_an_or_before_a_closing_parenthesis_is_refused():
    assert_invalid("(soda OR) cola", 6, "OR needs a term after it, e.g. soda OR cola")


def test_two_operators_in_a_row_are_refused_at_the_second():
    assert_invalid("soda OR OR cola", 8, "OR can't follow OR; put a term between them")


def test_a_trailing_not_is_refused():
    assert_invalid("soda NOT", 5, "NOT needs a term after it, e.g. NOT diet")


def test_a_trailing_dash_is_refused():
    assert_invalid("soda -", 5, "A - must be followed directly by the term it excludes, e.g. -diet")


def test_a_dash_followed_by_a_space_is_refused():
    assert_invalid("soda - diet", 5, "A - must be followed directly by the term it excludes, e.g. -diet")


def test_a_query_of_only_an_exclusion_is_refused():
    assert_invalid("-foo", 0, "A query needs at least one term to match, not only exclusions")


def test_a_query_of_only_exclusions_is_refused():
    assert_invalid("NOT a -b", 0, "A query needs at least one term to match, not only exclusions")


def test_an_or_of_only_exclusions_is_refused():
    assert_invalid("-a OR -b", 0, "A query needs at least one term to match, not only exclusions")


def test_an_exclusion_as_an_alternative_inside_parentheses_is_refused():
    assert_invalid(
        "(soda OR -diet)",
        9,
        "This exclusion is an alternative of its own, so the query would match almost every post; "
        "pair it with a term to match, e.g. (soda -diet)",
    )


def test_an_exclusion_alternative_is_fine_next_to_a_required_term():
    assert parse("carl (soda OR -diet)") == And((Term("carl"), Or((Term("soda"), Not(Term("diet"))))))


def test_near_without_a_number_is_refused():
    assert_invalid("soda NEAR cola", 9, "NEAR/ needs a number, e.g. NEAR/3")


def test_near_with_a_slash_but_no_number_is_refused():
    assert_invalid("soda NEAR/ cola", 10, "NEAR/ needs a number, e.g. NEAR/3")


def test_near_with_a_negative_number_is_refused():
    assert_invalid("soda NEAR/-2 cola", 10, "NEAR/ needs a number, e.g. NEAR/3")


def test_near_zero_is_refused():
    assert_invalid("soda NEAR/0 cola", 10, "NEAR/0 can never match: the distance must be at least 1, e.g. NEAR/3")


def test_near_with_a_fraction_is_refused():
    assert_invalid("soda NEAR/2.5 cola", 11, "NEAR/ needs a whole number, e.g. NEAR/3")


def test_a_leading_near_is_refused():
    assert_invalid("NEAR/3 cola", 0, "NEAR/3 needs a term before it, e.g. soda NEAR/3 cola")


def test_a_trailing_near_is_refused():
    assert_invalid("soda NEAR/3", 5, "NEAR/3 needs a term after it, e.g. soda NEAR/3 cola")


def test_lowercase_near_with_a_distance_is_refused_with_a_hint():
    assert_invalid("soda near/3 cola", 9, "Unexpected character '/': operators are written in capitals: NEAR/3")


def test_near_refuses_an_and_group():
    assert_invalid(
        "soda NEAR/3 (cola pop)", 12, 'NEAR/3 can only join words, "phrases", @handles, #hashtags, or OR-groups of them'
    )


def test_near_refuses_an_exclusion():
    assert_invalid(
        "-soda NEAR/3 cola", 0, "An exclusion can't be one side of NEAR/3; to exclude the pair, wrap it: -(a NEAR/3 b)"
    )


def test_an_excluded_near_pair_is_fine():
    assert parse("pop -(soda NEAR/3 cola)") == And((Term("pop"), Not(Near(Term("soda"), Term("cola"), 3))))


def test_a_leading_wildcard_is_refused():
    assert_invalid("*soda", 0, "A * wildcard can only end a word, e.g. soda*")


def test_a_wildcard_inside_a_word_is_refused():
    assert_invalid("cola so*da", 7, "A * wildcard can only end a word, e.g. soda*")


def test_a_double_wildcard_is_refused_at_the_first_star():
    assert_invalid("soda**", 4, "A * wildcard can only end a word, e.g. soda*")


def test_a_lone_wildcard_is_refused():
    assert_invalid("soda *", 5, "A * wildcard must follow a letter or digit, e.g. soda*")


def test_a_wildcard_inside_quotes_is_refused():
    assert_invalid('"carl\'s sod*"', 11, "A * wildcard can't be used inside quotes; quotes match words exactly")


def test_a_wildcard_on_a_handle_is_refused():
    assert_invalid("@carls*", 6, "A * wildcard only works on plain words, not on @handles or #hashtags")


def test_a_wildcard_on_a_hyphenated_word_is_refused():
    assert_invalid("coca-co*", 7, "A * wildcard only works on a single word, e.g. soda*")


def test_an_unterminated_quote_is_reported_at_the_quote():
    assert_invalid("soda \"carl's", 5, 'This quote is never closed; add a closing " at the end')


def test_an_empty_phrase_is_refused():
    assert_invalid('soda ""', 5, 'This phrase is empty; put words between the quotes, e.g. "carl\'s soda"')


def test_a_phrase_of_punctuation_is_empty():
    assert_invalid('"?!"', 0, 'This phrase is empty; put words between the quotes, e.g. "carl\'s soda"')


def test_a_bare_at_sign_is_refused():
    assert_invalid("soda @ cola", 5, "@ must be followed by a name, e.g. @carlssoda")


def test_a_bare_hash_sign_is_refused():
    assert_invalid("#", 0, "# must be followed by a name, e.g. #carlssoda")


def test_an_apostrophe_in_a_handle_is_refused():
    assert_invalid("@carl's", 5, "@handles and #hashtags contain only letters, digits and _")


def test_an_ampersand_is_refused_with_a_hint():
    assert_invalid("soda && cola", 5, "Unexpected character '&': use AND, or just a space, to require both terms")


def test_a_comma_is_refused_with_a_hint():
    assert_invalid("soda, cola", 4, "Unexpected character ',': separate alternatives with OR, e.g. soda OR cola")


def test_a_dot_in_a_word_is_refused_with_a_hint():
    assert_invalid(
        "carlssoda.com", 9, "Unexpected character '.': put text with dots in double quotes, e.g. \"carlssoda.com\""
    )


def test_an_unknown_character_is_refused():
    assert_invalid(
        "soda $ cola",
        5,
        "Unexpected character '$': "
        'a query is made of words, "phrases", @handles, #hashtags, operators and parentheses',
    )


def test_an_invisible_character_is_named_by_its_code():
    with pytest.raises(InvalidTermQuery, match=r"\\u200b"):
        parse("soda\u200b")


def test_deep_nesting_is_refused_before_python_runs_out_of_stack():
    assert_invalid(
        "(" * 100 + "a" + ")" * 100,
        40,
        "This query nests more than 40 levels of parentheses, exclusions or NEARs; simplify it",
    )


# --- Building queries by hand ----------------------------------------------------------------------------------------


def test_a_term_must_be_a_normalized_word():
    with pytest.raises(ValueError, match="normalized word"):
        Term("Soda")


def test_a_term_must_be_a_single_word():
    with pytest.raises(ValueError, match="normalized word"):
        Term("carl soda")


def test_and_needs_two_operands():
    with pytest.raises(ValueError, match="two or more"):
        And((A,))


def test_near_refuses_an_and_operand():
    with pytest.raises(ValueError, match="Near joins"):
        Near(And((A, B)), C, 3)


# --- Entry points ----------------------------------------------------------------------------------------------------


def test_matches_tokens_lets_one_tokenization_serve_many_queries():
    tokens = tokenize("Carl's Soda is back #soda")
    matching = [q for q in ("soda", "#soda", "@soda", '"carl\'s soda"') if parse(q).matches_tokens(tokens)]
    assert matching == ["soda", "#soda", '"carl\'s soda"']


def test_match_accepts_a_parsed_query():
    assert match(parse("soda"), "soda time")


def test_match_accepts_query_text():
    assert not match("soda -diet", "diet soda")


# --- Properties ------------------------------------------------------------------------------------------------------

WORDS = ["soda", "cola", "carl's", "café", "pop", "sodapop", "or", "near", "and", "7up"]
HANDLES = ["carlssoda", "carlssoda_fans", "soda"]
TEXT_PIECES = [
    *WORDS,
    "Soda",
    "SODA!",
    "Carl’s",
    "CAFÉ,",
    "#soda",
    "#SodaPop",
    "@carlssoda",
    "@CarlsSoda_fans",
    "@soda",
    "#carlssoda",
    "-",
    "x",
]

leaves = st.one_of(
    st.builds(Term, st.sampled_from(WORDS)),
    st.builds(Term, st.sampled_from(["so", "soda", "c", "ca"]), st.just(True)),
    st.builds(
        Phrase,
        st.lists(st.sampled_from([*WORDS, "#soda", "@carlssoda"]), min_size=1, max_size=3).map(tuple),
    ),
    st.builds(Handle, st.sampled_from(HANDLES)),
    st.builds(Hashtag, st.sampled_from(HANDLES)),
)
distances = st.integers(min_value=1, max_value=4)
positional = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(Or, st.lists(inner, min_size=2, max_size=3).map(tuple)),
        st.builds(Near, inner, inner, distances),
    ),
    max_leaves=4,
)
queries = st.recursive(
    positional,
    lambda inner: st.one_of(
        st.builds(And, st.lists(inner, min_size=2, max_size=3).map(tuple)),
        st.builds(Or, st.lists(inner, min_size=2, max_size=3).map(tuple)),
        st.builds(Not, inner),
    ),
    max_leaves=8,
)
texts = st.lists(st.sampled_from(TEXT_PIECES), max_size=10).map(" ".join)


@given(queries)
def test_a_query_parses_back_from_its_string_unless_it_would_match_everything(query):
    if query.matches(""):  # e.g. -soda: parse() refuses those
        with pytest.raises(InvalidTermQuery):
            parse(str(query))
    else:
        assert parse(str(query)) == query


@given(st.text(alphabet=st.sampled_from(list("ab é’'\"()-*@#_.ORANDNOTEA/30")) | st.characters(), max_size=30))
def test_any_text_parses_to_a_round_tripping_query_or_a_positioned_error(text):
    try:
        query: Query | InvalidTermQuery = parse(text)
    except InvalidTermQuery as error:
        query = error
    if isinstance(query, InvalidTermQuery):
        assert 0 <= query.position <= len(text)
    else:
        assert parse(str(query)) == query


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_text_tokenizes_the_same_as_text_with_accents(text):
    # ASCII posts take a faster tokenizer; a non-ASCII word at the end sends the same text down the general one.
    assert tokenize(text).sequence == tokenize(text + " é").sequence[:-1]


def _word_form(token: str) -> str | None:
    """What a plain query word sees of a token: hashtags count as their word, handles not at all."""
    if token.startswith("@"):
        return None
    return token.removeprefix("#")


def _element_matches(element: str, token: str) -> bool:
    return token == element or (element[0] not in "@#" and _word_form(token) == element)


def _occurrences(query: Query, tokens: tuple[str, ...]) -> set[tuple[int, int]]:
    """Brute-force reference: every (first, last) token span where a positional query occurs."""
    positions = range(len(tokens))
    match query:
        case Term(word, False):
            return {(i, i) for i in positions if _word_form(tokens[i]) == word}
        case Term(word, True):
            return {(i, i) for i in positions if (_word_form(tokens[i]) or "").startswith(word)}
        case Phrase(words):
            return {
                (i, i + len(words) - 1)
                for i in range(len(tokens) - len(words) + 1)
                if all(_element_matches(word, tokens[i + k]) for k, word in enumerate(words))
            }
        case Handle(name):
            return {(i, i) for i in positions if tokens[i] == "@" + name}
        case Hashtag(name):
            return {(i, i) for i in positions if tokens[i] == "#" + name}
        case Or(operands):
            return set().union(*(_occurrences(operand, tokens) for operand in operands))
        case Near(left, right, distance):
            return {
                (min(a, c), max(b, d))
                for a, b in _occurrences(left, tokens)
                for c, d in _occurrences(right, tokens)
                if (c > b and c - b <= distance) or (a > d and a - d <= distance)
            }
    raise AssertionError(f"not positional: {query!r}")


def _reference_matches(query: Query, tokens: tuple[str, ...]) -> bool:
    match query:
        case Not(operand):
            return not _reference_matches(operand, tokens)
        case And(operands):
            return all(_reference_matches(operand, tokens) for operand in operands)
        case Or(operands):
            return any(_reference_matches(operand, tokens) for operand in operands)
    return bool(_occurrences(query, tokens))


@given(queries, texts)
def test_matching_agrees_with_a_brute_force_reference(query, text):
    assert query.matches(text) == _reference_matches(query, tokenize(text).sequence)


@given(queries, queries, texts)
def test_an_or_of_two_queries_matches_when_either_does(first, second, text):
    assume(not first.matches("") and not second.matches(""))
    combined = parse(f"({first}) OR ({second})")
    assert combined.matches(text) == (first.matches(text) or second.matches(text))


@given(queries, queries, texts)
def test_an_and_of_two_queries_matches_when_both_do(first, second, text):
    assume(not first.matches(""))
    combined = parse(f"({first}) AND ({second})")
    assert combined.matches(text) == (first.matches(text) and second.matches(text))


@given(queries, queries, texts)
def test_excluding_a_query_matches_when_it_does_not(first, second, text):
    assume(not first.matches(""))
    combined = parse(f"({first}) NOT ({second})")
    assert combined.matches(text) == (first.matches(text) and not second.matches(text))


@given(st.lists(positional, min_size=2, max_size=3), queries, texts)
def test_a_top_level_exclusion_excludes_from_every_alternative(alternatives, excluded, text):
    combined = parse(" OR ".join(f"({a})" for a in alternatives) + f" -({excluded})")
    expected = any(a.matches(text) for a in alternatives) and not excluded.matches(text)
    assert combined.matches(text) == expected


@given(queries, texts)
def test_a_text_without_any_required_token_does_not_match(query, text):
    required = required_tokens(query)
    tokens = tokenize(text)
    if required is not None and not tokens.holds_any(required):
        assert not query.matches_tokens(tokens)


@given(st.lists(queries, max_size=4), texts)
def test_a_term_matcher_finds_the_queries_that_match(many, text):
    matcher = TermMatcher(list(enumerate(many)))
    assert matcher.matching(text) == [n for n, query in enumerate(many) if query.matches(text)]


def test_required_tokens_skip_a_query_whose_words_are_absent():
    assert required_tokens(parse(EXAMPLE)) == frozenset({"carl's", "@carlssoda", "#carlssoda"})
    assert required_tokens(parse("soda -diet")) == frozenset({"soda"})
    assert required_tokens(parse('"cherry fizz" NEAR/3 (carl OR carls)')) == frozenset({"cherry"})


def test_required_tokens_are_unknown_for_wildcards_and_exclusions_that_stand_alone():
    assert required_tokens(parse("soda*")) is None
    assert required_tokens(parse("cola OR (pop -diet)")) is not None
    assert required_tokens(Not(Term("diet"))) is None
    assert required_tokens(parse("cola OR soda*")) is None
