"""The review queue page (/insights/sentiment/review/) at 1366 px and on a 390 px phone: the least sure first,
and one click labels a mention in place."""

import pytest

from bench.sentiment_corpus import sentiment_corpus
from insights.models import Mention
from insights.services.ingest import mentions_ingest
from insights.tests.factories import TermFactory, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_label_the_least_sure_mention_in_one_click(open_page, sign_in, demo_users, channels, screenshot):
    TermFactory()
    texts = ["Carl's Soda raised prices again? Switching to Bubbleton."] + [t for t, _ in sentiment_corpus(40, seed=3)]
    mentions_ingest([item(i, text=text, author={"handle": f"@fan{i}"}) for i, text in enumerate(texts)])
    ana = demo_users["ana.insights"]

    for name, options in {"desktop": {"viewport": {"width": 1366, "height": 900}},
                          "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
                          }.items():  # fmt: skip
        page = sign_in(ana, on=open_page(**options))
        page.goto("/insights/sentiment/")
        page.get_by_role("link", name="Review queue: label the least sure").click()
        page.wait_for_url("**/insights/sentiment/review/")
        screenshot(page, name)
        assert page.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]
        first = page.locator("tbody tr").first
        pk = int(first.get_attribute("id").removeprefix("mention-"))
        first.get_by_role("button", name="Negative").click()
        page.locator(f"#mention-{pk}").get_by_text("by ").wait_for()
        screenshot(page, f"{name}-labelled")
        mention = Mention.objects.get(pk=pk)
        assert (mention.sentiment_label, mention.sentiment_set_by) == ("negative", ana)
