import datetime as dt

from generator.content.reader import load_content
from generator.site.graph import RELATED_COUNT, build_graph

TODAY = dt.date(2026, 11, 18)


def graph_of(site):
    return build_graph(load_content(site.root), today=TODAY)


def slugs(articles):
    return [article.slug for article in articles]


def test_articles_are_newest_first_and_unpublished_ones_are_left_out(site):
    site.add_article("old", "Old", "2026-01-01")
    site.add_article("new", "New", "2026-11-01")
    site.add_article("draft", "Draft", "2026-11-02", draft=True)
    site.add_article("scheduled", "Scheduled", "2026-11-19")
    site.add_article("today", "Today", "2026-11-18")
    graph = graph_of(site)
    assert slugs(graph.articles) == ["today", "new", "old"]
    assert sorted(slugs(graph.unpublished)) == ["draft", "scheduled"]


def test_indexes_by_benefit_tag_and_author(site):
    site.add_article("a", "A", "2026-01-01", benefits=["networking"], tags=["law", "pay"])
    site.add_article("b", "B", "2026-02-01", benefits=["networking", "confidence"], tags=["pay"],
                     authors=["policy-desk"])
    site.add_article("hidden", "Hidden", "2026-03-01", benefits=["networking"], tags=["pay"], draft=True)
    graph = graph_of(site)
    assert slugs(graph.articles_by_benefit["networking"]) == ["b", "a"]
    assert slugs(graph.articles_by_benefit["confidence"]) == ["b"]
    assert slugs(graph.articles_by_benefit["real-world-experience"]) == []
    assert list(graph.articles_by_tag) == ["law", "pay"]
    assert slugs(graph.articles_by_tag["pay"]) == ["b", "a"]
    assert slugs(graph.articles_by_author["policy-desk"]) == ["b"]
    assert slugs(graph.articles_by_author["careers-desk"]) == ["a"]


def test_resources_by_category_and_benefit_keep_file_order(site):
    graph = graph_of(site)
    assert [r.title for r in graph.resources_by_category["job-boards"]] == ["Idealist", "Handshake"]
    assert [r.title for r in graph.resources_by_benefit["real-world-experience"]] == ["USAJOBS", "Idealist"]
    assert graph.resources_by_benefit["confidence"] == []


def test_related_prefers_shared_tags_then_benefits_then_closeness_in_date(site):
    site.add_article("subject", "Subject", "2026-06-01", benefits=["networking"], tags=["law"])
    site.add_article("same-tag", "Same tag", "2026-01-01", tags=["law"])
    site.add_article("same-benefit-near", "Near", "2026-06-02", benefits=["networking"])
    site.add_article("same-benefit-far", "Far", "2026-02-01", benefits=["networking"])
    site.add_article("both", "Both", "2026-01-02", benefits=["networking"], tags=["law"])
    site.add_article("unrelated", "Unrelated", "2026-06-01", benefits=["confidence"])
    graph = graph_of(site)
    assert slugs(graph.related["subject"]) == ["both", "same-tag", "same-benefit-near"][:RELATED_COUNT]
    assert graph.related["unrelated"] == []


def test_previous_and_next_follow_publication_order(site):
    for slug, date in (("one", "2026-01-01"), ("two", "2026-02-01"), ("three", "2026-03-01")):
        site.add_article(slug, slug.title(), date)
    graph = graph_of(site)
    assert graph.older["two"].slug == "one" and graph.newer["two"].slug == "three"
    assert graph.older["one"] is None and graph.newer["three"] is None
