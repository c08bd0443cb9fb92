"""Which pages a dirty preview rebuild renders again: `incremental`, without MkDocs."""

import datetime as dt

from generator.site import incremental
from generator.site.pipeline import prepare

TODAY = dt.date(2026, 11, 18)


def fingerprints_of(site):
    prepared = prepare(site.root, today=TODAY, preview=True)
    return incremental.fingerprints(prepared.pages), prepared


def changed_by(site, edit) -> set[str]:
    before, _ = fingerprints_of(site)
    edit()
    after, _ = fingerprints_of(site)
    return incremental.changed(before, after)


def three_articles(site):
    site.add_article("a", "A", "2026-09-01", tags=["pay"], benefits=["networking"])
    site.add_article("b", "B", "2026-10-01", tags=["pay"], benefits=["networking"])
    site.add_article("c", "C", "2026-11-01", tags=["law"], benefits=["confidence"], authors=["policy-desk"])


def test_a_body_edit_changes_no_page_but_its_own_file(site):
    three_articles(site)
    # The article's own page is MkDocs' to render again: its source file changed.
    assert changed_by(site, lambda: site.add_article("a", "A", "2026-09-01", tags=["pay"], benefits=["networking"],
                                                     body="Other words here.\n")) == set()


def test_a_new_title_changes_every_page_that_shows_the_article(site):
    three_articles(site)
    stale = changed_by(site, lambda: site.add_article("a", "A, retitled", "2026-09-01", tags=["pay"],
                                                      benefits=["networking"]))
    # Listings, its topics, its neighbour by date, the article related to it, and its own page.
    assert {"articles/index.md", "tags/pay/index.md", "benefits/networking/index.md", "authors/careers-desk/index.md",
            "articles/b.md", "articles/a.md"} <= stale
    assert not stale & {"tags/law/index.md", "authors/policy-desk/index.md", "benefits/confidence/index.md",
                        "resources/index.md"}


def test_a_longer_article_changes_the_reading_time_listings_show(site):
    three_articles(site)
    long_body = "word " * 2000 + "\n"
    stale = changed_by(site, lambda: site.add_article("c", "C", "2026-11-01", tags=["law"], benefits=["confidence"],
                                                      authors=["policy-desk"], body=long_body))
    assert {"index.md", "articles/index.md", "tags/law/index.md", "authors/policy-desk/index.md"} <= stale


def test_data_edits_change_the_pages_that_show_the_data(site):
    three_articles(site)
    benefits = (site.content / "data/benefits.yml").read_text().replace("Networking", "Meeting people")
    stale = changed_by(site, lambda: site.write("content/data/benefits.yml", benefits))
    assert {"benefits/index.md", "benefits/networking/index.md", "articles/a.md", "articles/b.md"} <= stale
    assert "tags/law/index.md" not in stale


def test_new_pages_are_changed_and_shared_state_changes_every_page(site):
    three_articles(site)
    before, prepared = fingerprints_of(site)
    assert incremental.changed({}, before) == set(before)
    assert incremental.changed(before, before) == set()
    shared = incremental.fingerprints(prepared.pages, shared={"theme": 2})
    assert incremental.changed(before, shared) == set(before)


def test_articles_linking_to_a_page_that_appears_or_goes(site):
    site.add_article("a", "A", "2026-09-01", body="Read [the next one](new.md#part) first.\n")
    site.add_article("b", "B", "2026-10-01", body="Nothing to see.\n")
    _, prepared = fingerprints_of(site)
    assert incremental.linking_to(prepared.graph.articles, {"articles/new.md"}) == {"articles/a.md"}
    assert incremental.linking_to(prepared.graph.articles, set()) == set()


def test_the_tree_signature_changes_when_a_file_under_it_changes(tmp_path):
    (tmp_path / "theme").mkdir()
    template = tmp_path / "theme/main.html"
    template.write_text("one")
    before = incremental.tree_signature([tmp_path / "theme"])
    template.write_text("one, two")
    assert incremental.tree_signature([tmp_path / "theme"]) != before
