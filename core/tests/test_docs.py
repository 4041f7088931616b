"""The README and docs point only at files that a clone of the repository has."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE_PATH = re.compile(r"`([\w./-]+\.md)`")


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: str(doc.relative_to(ROOT)))
def test_every_relative_link_points_at_a_file_in_the_repository(doc):
    text = doc.read_text()
    targets = [t for t in LINK.findall(text) if not re.match(r"[a-z]+:|#", t)] + CODE_PATH.findall(text)
    for target in targets:
        path = (doc.parent / target.split("#", 1)[0]).resolve()
        assert path.is_relative_to(ROOT), f"{doc.name}: {target} is outside the repository"
        assert path.exists(), f"{doc.name}: {target} does not exist"


def test_the_readme_links_to_the_architecture():
    assert "(docs/architecture.md)" in (ROOT / "README.md").read_text()
