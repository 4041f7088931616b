"""The sentiment models page (/insights/sentiment/) at 1366 px and on a 390 px phone, while a version's re-scoring is
under way: how far it has come, then done."""

import uuid

import pytest

from bench.sentiment_corpus import sentiment_corpus
from config.celery import app as celery_app
from insights.models import Mention
from insights.services.corrections import mentions_relabel
from insights.services.ingest import mentions_ingest
from insights.services.sentiment_models import sentiment_train
from insights.services.sentiment_rescore import sentiment_rescore
from insights.tests.factories import TermFactory, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rescore_waits():
    """The re-scoring task, queued on activation, waits in a queue of its own that no worker reads (tests otherwise
    run tasks eagerly, which would finish it inside the training and leave no progress to see); emptied after."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    eager, routes = celery_app.conf.task_always_eager, celery_app.conf.task_routes
    celery_app.conf.task_always_eager = False
    celery_app.conf.update(task_routes={"insights.tasks.sentiment_rescore_task": {"queue": queue}})
    yield
    celery_app.conf.update(task_routes=routes)
    celery_app.conf.task_always_eager = eager
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(queue)


def test_staff_see_the_rescoring_progress_on_desktop_and_phone(
    open_page, sign_in, demo_users, channels, screenshot, settings, rescore_waits
):
    settings.INSIGHTS_SENTIMENT_RESCORE_BATCH = 100
    settings.INSIGHTS_SENTIMENT_RETRAIN_AFTER = 10**9  # no training of its own after the corrections below
    TermFactory()
    corpus = sentiment_corpus(400, seed=15)
    mentions_ingest([item(i, text=text, author={"handle": f"@fan{i}"}) for i, (text, _) in enumerate(corpus)])
    ana = demo_users["ana.insights"]
    ids = dict(Mention.objects.values_list("external_id", "pk"))
    for value in ("positive", "neutral", "negative"):
        chosen = [ids[f"post-{i}"] for i, (_, label) in enumerate(corpus[:150]) if label == value]
        mentions_relabel(mention_ids=chosen, label=value, by=ana)
    version = sentiment_train(by=ana)  # active; its re-scoring waits in the queue
    sentiment_rescore(version=version.pk, max_batches=2)  # ids 1-200: 50 of the 250 unlabelled

    for name, options in {"desktop": {"viewport": {"width": 1366, "height": 900}},
                          "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
                          }.items():  # fmt: skip
        page = sign_in(ana, on=open_page(**options))
        page.goto("/insights/sentiment/")
        progress = page.locator("#rescore-progress")
        progress.get_by_text(f"Re-scoring with version {version.pk}: 50 of 250 mentions re-scored").wait_for()
        assert progress.locator("progress").get_attribute("value") == "50"
        screenshot(page, name)
        assert page.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]

    sentiment_rescore(version=version.pk)
    page.reload()
    page.locator("#rescore-progress").get_by_text("Re-scoring: done, 250 of 250 mentions re-scored.").wait_for()
    screenshot(page, "phone-done")
