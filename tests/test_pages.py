"""The data the front page shows, from the site graph (generator/site/pages.py)."""

import datetime as dt
from collections import Counter

from generator.content.reader import load_content
from generator.site.graph import build_graph
from generator.site.pages import derive_pages, home_tags, resource_categories
from sitekit import CATEGORIES, RESOURCES

TODAY = dt.date(2026, 11, 18)


def graph_of(site):
    return build_graph(load_content(site.root), today=TODAY)


def test_home_tags_are_the_most_used_first_then_by_name_and_bounded(site):
    site.add_article("a", "A", "2026-01-01", tags=["pay", "law", "visas"])
    site.add_article("b", "B", "2026-02-01", tags=["pay", "law"])
    site.add_article("c", "C", "2026-03-01", tags=["pay", "interviews"])
    site.add_article("draft", "Draft", "2026-03-02", tags=["visas", "drafts-only"], draft=True)
    graph = graph_of(site)
    assert home_tags(graph.articles_by_tag) == [("pay", 3), ("law", 2), ("interviews", 1), ("visas", 1)]
    assert home_tags(graph.articles_by_tag, limit=2) == [("pay", 3), ("law", 2)]


def test_resource_categories_keep_display_order_with_counts_and_skip_empty_ones(site):
    site.write_data("categories.yml", [
        {"id": "empty", "title": "Empty", "description": "A category with no resource yet."},
        *CATEGORIES,
    ])
    counted = [(category.id, count) for category, count in resource_categories(graph_of(site))]
    by_category = Counter(resource["category"] for resource in RESOURCES)
    assert counted == [(category["id"], by_category[category["id"]]) for category in CATEGORIES]


def test_home_page_gets_a_lead_story_and_the_latest_after_it(site):
    for day in range(1, 10):
        site.add_article(f"a{day}", f"Article {day}", f"2026-10-0{day}")
    home = derive_pages(graph_of(site))["index.md"].context
    assert [article.slug for article in home["latest"]] == ["a9", "a8", "a7", "a6", "a5", "a4", "a3"]
