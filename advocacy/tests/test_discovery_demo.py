"""seed_demo gives advocate discovery clear candidates: an obvious top fan, one already an ambassador."""

import pytest

from advocacy.demo import demo_program_seed
from advocacy.selectors.discovery import advocate_candidates, ambassadors_from_listening
from insights.demo import demo_insights_seed

pytestmark = pytest.mark.django_db


def test_the_demo_has_clear_candidates_one_of_them_an_ambassador_and_one_invited(demo_users):
    demo_insights_seed(mentions=300)
    demo_program_seed()
    demo_program_seed()  # twice: nothing doubles

    candidates = {candidate.key: candidate for candidate in advocate_candidates()}

    assert next(iter(candidates)) == "a:twitter:@fizzwhisperer"
    assert candidates["a:twitter:@amysipsfizz"].ambassador
    assert candidates["a:reddit:@rootbeer_rick"].invited
    assert {"a:instagram:@cherrycarla", "a:tiktok:@cherrycarla"} <= candidates.keys()  # one person, once merged
    assert ambassadors_from_listening() == 1
