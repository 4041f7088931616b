"""The housekeeping pages (channels, retired terms, cancelled and finished imports, inbox filters and bulk
labels, archived kits) fit a 390 px phone, for insights staff and for a program manager."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from advocacy.services.referrals import kit_archive
from advocacy.tests.factories import KitFactory
from insights.models import MentionImport, TrackedTerm
from insights.services.csv_import import import_cancel, import_run, import_start, import_upload
from insights.services.ingest import mentions_ingest
from insights.services.terms import term_retire
from insights.tests.factories import ChannelFactory, TermFactory, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "message,date,network\r\n"
    + "".join(f"Carl's Soda number {n} with a rather long sentence to wrap,2026-03-01T10:00:00+00:00,twitter\r\n"
              for n in range(3))
).encode()  # fmt: skip


def widths(page, paths, screenshot) -> dict[str, int]:
    wide = {}
    for name, path in paths.items():
        assert page.goto(path).ok, path
        screenshot(page, name)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.viewport_size["width"]:
            wide[path] = width
    return wide


def test_housekeeping_pages_fit_a_phone(phone, sign_in, demo_users, channels, settings, tmp_path, screenshot):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    ana = demo_users["ana.insights"]
    ChannelFactory(slug="a-channel-with-a-rather-long-slug-name", name="A channel with a rather long name")
    TermFactory()
    term_retire(term=TermFactory(name="Fizzco Cola", kind=TrackedTerm.Kind.COMPETITOR, query="fizzco"), by=ana)
    mentions_ingest([item(n) for n in range(1, 4)])
    waiting = import_upload(file=SimpleUploadedFile("waiting.csv", CSV), user=ana)
    cancelled = import_upload(file=SimpleUploadedFile("cancelled.csv", CSV), user=ana)
    import_cancel(upload=cancelled, by=ana)
    done = import_upload(file=SimpleUploadedFile("done.csv", CSV), user=ana)
    import_start(upload=done, mapping={"columns": {"text": "message", "published_at": "date", "channel": "network"},
                                       "source": "csv", "channel": ""})  # fmt: skip
    import_run(upload_id=done.pk)
    assert MentionImport.objects.get(pk=done.pk).status == MentionImport.Status.DONE
    KitFactory(title="Cherry summer")
    kit_archive(kit=KitFactory(title="Old winter kit"), by=None)

    sign_in(ana, on=phone)
    insights = {
        "channels": "/insights/channels/",
        "terms": "/insights/terms/",
        "imports": "/insights/imports/",
        "import-map": f"/insights/imports/{waiting.pk}/map/",
        "import-cancelled": f"/insights/imports/{cancelled.pk}/",
        "import-done": f"/insights/imports/{done.pk}/",
        "inbox-import": f"/insights/?import={done.pk}",
        "inbox-filters": "/insights/?source=listening-tool&start=2026-01-01&end=2026-12-31",
    }
    assert widths(phone, insights, screenshot) == {}

    # Bulk relabelling through the page, as a user would (a plain form post).
    phone.goto("/insights/")
    phone.locator("input[name=ids]").first.check()
    phone.locator("input[name=ids]").nth(1).check()
    phone.get_by_label("Label the ticked mentions").select_option("negative")
    phone.get_by_role("button", name="Set the label").click()
    phone.get_by_text("2 mentions labelled negative.").wait_for()
    screenshot(phone, "inbox-bulk-labelled")
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]

    phone.context.clear_cookies()
    sign_in(demo_users["ada.admin"], on=phone)
    manager = {"kits": "/program/kits/", "kits-archived": "/program/kits/?archived=1"}
    assert widths(phone, manager, screenshot) == {}
    phone.goto("/program/kits/?archived=1")
    phone.get_by_role("link", name="Old winter kit").click()
    phone.get_by_role("button", name="Unarchive").wait_for()
    screenshot(phone, "kit-archived")
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]
