"""A synthetic, valid and lint-clean corpus of N articles and N/4 resources.

The text is generated from word pools with a seeded `random.Random`, so the same
seed, size and day give the same files. Dates are offsets from the day of the run
(never the day itself, so no time zone can put an article in the future), because
a fixed calendar would make `last_checked` stale, a lint warning, within a year.

Each article reads like a real one to Python-Markdown: `##` and `###` headings,
paragraphs, bulleted and numbered lists, links to other articles (some to a heading
of theirs), external links, emphasis, inline code, a fenced code block, a block quote,
and, in some articles, a table or a GitHub alert. Headings are plain words, so their
anchors are easy to predict and every `#anchor` link resolves.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from yaml_env_tag import construct_env_tag

from generator.markdown.gfm import github_slug

REPO = Path(__file__).resolve().parent.parent
T = TypeVar("T")
DATA_FILES = ("benefits.yml", "categories.yml", "authors.yml")
WORDS_PER_ARTICLE = (760, 840)
DAYS_OF_ARTICLES = 6 * 365  # dates are spread over the past six years
REVIEWED_WITHIN_DAYS = 200
TITLE_MAX = 70
DESCRIPTION_RANGE = (70, 160)
_WORD = re.compile(r"\w+")
HOME = "---\ntitle: Home\n---\n\nPractical guides for finding, doing and making the most of an internship.\n"

TAGS = [
    "applications", "interviews", "planning", "job-search", "networking", "resume", "cover-letters",
    "remote-work", "pay", "rights", "international", "visas", "first-weeks", "feedback", "mentors",
    "career-change", "graduates", "summer", "part-time", "startups", "non-profits", "government",
    "engineering", "design", "research", "marketing", "finance", "healthcare", "law", "media",
    "portfolios", "references", "offers", "negotiation", "wellbeing", "time-management",
    "communication", "teamwork", "soft-skills", "tools",
]
TOPICS = [
    "your first internship", "a remote placement", "a summer internship", "a research internship",
    "an unpaid placement", "a part-time internship", "an internship abroad", "a startup internship",
    "a government internship", "a non-profit placement", "an engineering internship",
    "a design internship", "a marketing internship", "a finance internship", "a media internship",
    "a healthcare placement", "a law firm internship", "an internship during your degree",
    "a placement year", "a virtual internship", "an internship after graduation",
    "a hybrid placement", "a data internship", "a policy internship",
]
TASKS = [
    "writing a cover letter", "preparing for interviews", "tracking your applications",
    "asking for feedback", "planning your first week", "meeting your supervisor",
    "keeping a work log", "presenting your project", "negotiating the start date",
    "asking about pay", "finding a mentor", "following up after an interview",
    "updating your resume", "writing a short report", "reading the contract",
    "setting weekly goals", "learning the team's tools", "asking for a reference",
    "saying no to extra work", "researching the employer", "building a portfolio",
    "taking notes in meetings", "reviewing a colleague's work", "planning your last week",
]
ROLES = ["intern", "student", "graduate", "career changer", "first-year student", "placement student"]
PEOPLE = ["supervisor", "manager", "mentor", "career adviser", "team lead", "colleague", "recruiter"]
PLACES = ["a small company", "a large employer", "a public agency", "a charity", "a startup",
          "a university lab", "a regional office", "a hospital", "a newsroom", "a design studio"]
TIMES = ["in the first week", "before the deadline", "every Friday", "at the end of each month",
         "before your review", "early in the term", "a month before you start", "on your last day"]
OUTCOMES = ["a clearer idea of the work", "a stronger reference", "a better offer", "fewer surprises",
            "more useful feedback", "a story for your next interview", "a contact who remembers you",
            "work you can show", "a calmer first month", "a record of what you achieved"]
SKILLS = ["clear writing", "time management", "spreadsheets", "public speaking", "research",
          "project planning", "customer contact", "basic data analysis", "taking feedback",
          "working in a team", "asking good questions", "version control"]
CODE_WORDS = ["Ctrl+F", "git status", "resume-2024.pdf", "=SUM(B2:B9)", "notes.md", "#interns",
              "cover-letter.docx", "git log", "weekly-log.txt", "Cmd+Shift+4", "README", "main"]
HEADINGS_H2 = [
    "Start earlier than feels necessary", "Know what you are looking for", "Where to look first",
    "Make the first week count", "Ask good questions", "Keep a record of your work",
    "Getting feedback that helps", "Working with your supervisor", "Handling a difficult week",
    "What the law says", "Talking about pay", "Planning your time", "Building relationships",
    "Learning the tools", "Writing for your team", "Presenting your work", "When things go wrong",
    "Leaving on good terms", "Turning it into an offer", "What to do next", "A routine that works",
    "Common mistakes", "Questions to ask", "Before you accept", "Your rights at work",
    "Remote and hybrid work", "Staying healthy", "Reading the contract", "Choosing between offers",
    "Using your network",
]
HEADINGS_H3 = [
    "Your career service", "Job boards", "Direct approaches", "Alumni and friends", "The first day",
    "The first month", "Weekly check ins", "Written updates", "Small wins", "Bigger projects",
    "If you are paid", "If you are not paid", "Sample questions", "A simple template",
    "Online meetings", "In the office", "Useful habits", "Warning signs", "Who to ask",
    "What to bring", "After the interview", "Before the interview", "On your resume",
    "In a cover letter", "Saying thank you",
]
SENTENCES = [
    "Most {role}s find that {task} takes longer than expected, so start {time}.",
    "Ask your {person} how they would approach {task}, and write down what they say.",
    "At {place}, {task} is often the first thing people notice about a new {role}.",
    "A little planning {time} gives you {outcome}.",
    "Nobody expects someone new to know everything, but they do expect you to ask.",
    "If you are unsure, {task} is a safe place to begin.",
    "It's worth setting aside twenty minutes {time} for {task}.",
    "The {role}s who do best are rarely the most experienced; they're the ones who follow up.",
    "You'll get {outcome} if you treat {task} as part of the job rather than an extra.",
    "Good habits around {skill} travel with you from {place} to the next role.",
    "Your {person} has seen many {role}s before you and knows which questions matter.",
    "Write one sentence about what you learned {time}; it adds up quickly.",
    "Employers at {place} often say that {skill} matters more than any single qualification.",
    "Don't wait for a formal review to ask how you're doing.",
    "When {task} feels overwhelming, break it into steps you can finish in an hour.",
    "A short message to your {person} {time} prevents most misunderstandings.",
    "Even a placement at {place} can teach you {skill} if you ask for the right tasks.",
    "Keep copies of anything you produce; later they give you {outcome}.",
    "Think of {task} as practice for {skill}, not as a test you can fail.",
    "The difference between a good and a great placement is usually {skill}.",
    "Some {role}s keep a simple list of questions and bring it to every meeting.",
    "There is no perfect moment for {task}, so pick a time and protect it.",
    "Treat every conversation at {place} as a chance to learn how the work is really done.",
    "By the end of the placement, {task} should feel routine rather than stressful.",
]
BULLETS = [
    "Note the deadline and who to contact", "Bring a copy of your resume", "Ask what success looks like",
    "Agree on how often you will meet", "Keep a list of open questions", "Save examples of your work",
    "Check how expenses are paid", "Find out who approves your hours", "Learn the names of your team",
    "Write a short summary every Friday", "Ask which tools the team uses", "Confirm your start date in writing",
    "Read the employee handbook", "Set one goal for each week", "Thank people who helped you",
]
STEPS = [
    "Read the listing twice and underline the skills it asks for.",
    "Match each skill to one example from your studies or work.",
    "Draft the document, then leave it for a day.",
    "Ask a friend or adviser to read it aloud to you.",
    "Send it, and note the date in your tracker.",
    "Follow up politely after a week if you hear nothing.",
    "Prepare three questions for the interviewer.",
    "Review what went well and what you would change.",
]
QUOTES = [
    "The best interns I have worked with were not the ones who knew the most. They were the ones who asked, listened and came back with something done.",
    "Write down what you did each week. When review time comes, you will be glad you did.",
    "An internship is a long interview in both directions: you are also deciding whether you want the job.",
    "Ask the question now. It costs far less than fixing the mistake later.",
]
CODE_BLOCKS = [
    ("text", ["Subject: Thank you for today's interview", "", "Dear {name},", "",
              "Thank you for taking the time to talk with me about the internship.",
              "I enjoyed hearing about the team's work and would be glad to join.", "",
              "Best regards,", "{name2}"]),
    ("yaml", ["week: {week}", "goals:", "  - finish the onboarding checklist", "  - meet the team lead",
              "  - draft the first report", "questions:", "  - who reviews my work?"]),
    ("python", ["applications = {{", '    "submitted": {a},', '    "interviews": {b},', '    "offers": {c},',
                "}}", "rate = applications['interviews'] / applications['submitted']",
                "print(f\"Interview rate: {{rate:.0%}}\")"]),
    ("bash", ["git status", "git add report.md", 'git commit -m "Add week {week} report"', "git push"]),
    ("text", ["Monday    research employers and update the tracker",
              "Tuesday   tailor two applications",
              "Thursday  follow up on last week's applications",
              "Friday    review the week and plan the next one"]),
]
NAMES = ["Alex", "Sam", "Priya", "Jordan", "Mei", "Tomás", "Aisha", "Lena", "Kofi", "Noor"]
TITLE_PATTERNS = [
    "How to make the most of {topic}", "A practical guide to {topic}",
    "{Task} during {topic}", "What nobody tells you about {topic}",
    "{Task}: a step-by-step guide", "Getting ready for {topic}",
    "{Task} without the stress", "Ten questions about {topic}",
]
# Appended to some titles: with them there are tens of thousands of distinct titles.
TITLE_AUDIENCES = ["", "", "", " for students", " for graduates", " for career changers",
                   " for international students", " for first-year students", " for parents"]
TITLE_FIELDS = ["", "", "", " in engineering", " in healthcare", " in law", " in the arts", " in finance",
                " in journalism", " in government", " in research", " in retail", " in tech", " in education",
                " in hospitality", " in science", " in sport", " in charities", " in design", " in marketing"]
DESCRIPTION_PATTERNS = [
    "What to expect from {topic}, how to prepare for it, and the habits that turn it into {outcome}.",
    "A short guide to {task} for {role}s, with examples, a checklist and the questions to ask your {person}.",
    "How {role}s can approach {task}, what employers look for, and how to get {outcome}.",
    "Everything about {task} during {topic}: timing, common mistakes and a simple routine.",
]
RESOURCE_KINDS = ["Guide", "Directory", "Programme", "Toolkit", "Portal", "Handbook", "Network", "Service"]
RESOURCE_SUBJECTS = ["Internship", "Career", "Student work", "Placement", "Graduate", "Apprenticeship",
                     "Volunteering", "Workplace rights", "Interview practice", "Resume"]
AUDIENCES = ["College students", "Recent graduates", "International students", "Career changers",
             "Secondary school students", None, None]


@dataclass(frozen=True)
class ArticlePlan:
    """What other articles need to know about an article before its body is written."""

    slug: str
    title: str
    headings: tuple[str, ...]  # its `##` headings, in order: targets for `#anchor` links


@dataclass(frozen=True)
class Corpus:
    """Where a generated corpus was written, and what is in it."""

    root: Path  # our site: mkdocs.yml with the field-guide plugin, content/
    plain_root: Path  # the same articles as plain Material pages
    articles: int
    resources: int


class _Writer:
    """Sentences, blocks and articles from the pools above, all drawn from one Random."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, pool: list[T]) -> T:
        return self.rng.choice(pool)

    def sentence(self) -> str:
        return self.pick(SENTENCES).format(
            role=self.pick(ROLES), task=self.pick(TASKS), person=self.pick(PEOPLE), place=self.pick(PLACES),
            time=self.pick(TIMES), outcome=self.pick(OUTCOMES), skill=self.pick(SKILLS),
        )

    def paragraph(self, links: list[str]) -> str:
        """Three to five sentences, decorated with emphasis, inline code and `links`."""
        sentences = [self.sentence() for _ in range(self.rng.randint(3, 5))]
        decoration = self.rng.randrange(3)
        if decoration == 0:
            sentences.append(f"The key is *{self.pick(SKILLS)}*, not luck.")
        elif decoration == 1:
            sentences.append(f"Keep it in one place, such as `{self.pick(CODE_WORDS)}`, so you can find it again.")
        else:
            sentences.append(f"**Do not skip this step**: it is where {self.pick(TASKS)} usually goes wrong.")
        for link in links:
            sentences.insert(self.rng.randrange(len(sentences) + 1), link)
        return " ".join(sentences)

    def bullets(self) -> str:
        items = self.rng.sample(BULLETS, self.rng.randint(4, 6))
        items[0] += f" (for example `{self.pick(CODE_WORDS)}`)"
        return "\n".join(f"- {item}." for item in items)

    def steps(self) -> str:
        count = self.rng.randint(4, 6)
        start = self.rng.randrange(len(STEPS) - count + 1)
        return "\n".join(f"{number}. {step}" for number, step in enumerate(STEPS[start:start + count], 1))

    def quote(self) -> str:
        return f"> {self.pick(QUOTES)}\n>\n> — a {self.pick(PEOPLE)} at {self.pick(PLACES)}"

    def code(self) -> str:
        language, lines = self.pick(CODE_BLOCKS)
        values = {"name": self.pick(NAMES), "name2": self.pick(NAMES), "week": self.rng.randint(1, 12),
                  "a": self.rng.randint(20, 60), "b": self.rng.randint(3, 12), "c": self.rng.randint(0, 3)}
        body = "\n".join(line.format(**values) for line in lines)
        return f"```{language}\n{body}\n```"

    def table(self) -> str:
        rows = self.rng.sample(TASKS, 3)
        lines = ["| Task | When | Time it takes |", "| --- | --- | --- |"]
        lines += [f"| {task.capitalize()} | {self.pick(TIMES).capitalize()} | {self.rng.randint(1, 6) * 15} minutes |"
                  for task in rows]
        return "\n".join(lines)

    def alert(self) -> str:
        return f"> [!TIP]\n> {self.sentence()} {self.sentence()}"

    def link(self, target: ArticlePlan, to_heading: bool) -> str:
        """A sentence linking to `target`, to one of its headings when `to_heading`."""
        if to_heading:
            heading = self.pick(list(target.headings))
            return f"Our guide covers this under [{heading.lower()}]({target.slug}.md#{github_slug(heading)})."
        return f"See [{target.title.lower()}]({target.slug}.md) for more."

    def external_link(self, resources: int) -> str:
        number = self.rng.randint(1, max(1, resources))
        return f"The [official guidance](https://resource-{number}.example.org/) explains the details."

    def body(self, plan: ArticlePlan, others: list[ArticlePlan], resources: int) -> str:
        """About 800 words: an introduction, then one section per `##` heading; `others`
        are the articles it may link to (in random order).

        Every article gets lists, a quote and a code block; the other features rotate.
        Paragraphs are added to random sections until the word count is reached.
        """
        features = [self.bullets(), self.steps(), self.quote(), self.code()]
        if self.rng.random() < 0.35:
            features.append(self.table())
        if self.rng.random() < 0.25:
            features.append(self.alert())
        self.rng.shuffle(features)
        links = [self.link(target, to_heading=self.rng.random() < 0.25)
                 for target in others[:self.rng.randint(2, 4)]]
        links.append(self.external_link(resources))

        sections: list[list[str]] = [[f"## {heading}"] for heading in plan.headings]
        sections[0].append(self.paragraph([]))
        subsection_at = self.rng.randrange(1, len(sections))
        for heading in self.rng.sample(HEADINGS_H3, 2):
            sections[subsection_at].append(f"### {heading}")
            sections[subsection_at].append(self.paragraph([]))
        for index, feature in enumerate(features):
            sections[index % len(sections)].insert(1, feature)
            sections[index % len(sections)].insert(1, self.paragraph([links.pop()] if links else []))
        introduction = [self.paragraph(links)]

        target = self.rng.randint(*WORDS_PER_ARTICLE)
        while _words(introduction, sections) < target:
            section = self.rng.choice(sections)
            section.append(self.paragraph([]))
        return "\n\n".join(introduction + [block for section in sections for block in section]) + "\n"

    def title(self, taken: set[str]) -> str:
        """A title of at most TITLE_MAX characters that is not in `taken` (and is then
        added to it): real articles rarely share a title, and a repeated title would
        also hide work our build caches by title, such as social cards."""
        while True:
            task = self.pick(TASKS)
            title = self.pick(TITLE_PATTERNS).format(topic=self.pick(TOPICS), task=task, Task=task.capitalize())
            title = f"{title[0].upper()}{title[1:]}{self.pick(TITLE_AUDIENCES)}{self.pick(TITLE_FIELDS)}"
            if len(title) <= TITLE_MAX and title not in taken:
                taken.add(title)
                return title

    def description(self) -> str:
        while True:
            text = self.pick(DESCRIPTION_PATTERNS).format(
                topic=self.pick(TOPICS), task=self.pick(TASKS), role=self.pick(ROLES),
                person=self.pick(PEOPLE), outcome=self.pick(OUTCOMES),
            )
            if DESCRIPTION_RANGE[0] <= len(text) <= DESCRIPTION_RANGE[1]:
                return text[0].upper() + text[1:]


def _words(introduction: list[str], sections: list[list[str]]) -> int:
    """Words the way the generator counts them for reading time (`\\w+`)."""
    blocks = introduction + [block for section in sections for block in section]
    return sum(len(_WORD.findall(block)) for block in blocks)


def _others(rng: random.Random, plans: list[ArticlePlan], index: int, most: int = 4) -> list[ArticlePlan]:
    """Up to `most` distinct articles other than `plans[index]`, without copying the list."""
    picks = rng.sample(range(len(plans) - 1), min(most, len(plans) - 1))
    return [plans[pick + 1 if pick >= index else pick] for pick in picks]


def _slug(title: str, number: int) -> str:
    """A URL slug from the title, made unique by the article's number."""
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return f"{words[:48].rstrip('-')}-{number}"


def _front_matter(writer: _Writer, plan: ArticlePlan, today: dt.date, authors: list[str],
                  benefits: list[str]) -> dict[str, Any]:
    rng = writer.rng
    published = today - dt.timedelta(days=rng.randint(1, DAYS_OF_ARTICLES))
    meta: dict[str, Any] = {
        "title": plan.title,
        "description": writer.description(),
        "date": published,
    }
    if rng.random() < 0.3:
        meta["updated"] = published + dt.timedelta(days=rng.randint(0, (today - published).days - 1))
    meta["authors"] = rng.sample(authors, 2 if len(authors) > 1 and rng.random() < 0.2 else 1)
    meta["benefits"] = rng.sample(benefits, rng.randint(1, min(3, len(benefits))))
    meta["tags"] = rng.sample(TAGS, rng.randint(2, 3))
    # Reviewed within the last year, as a maintained site's articles are: the strict check
    # the benchmark runs first prints any review-due notice.
    meta["reviewed"] = max(meta.get("updated", published), today - dt.timedelta(days=REVIEWED_WITHIN_DAYS))
    meta["sources"] = [{"title": f"{writer.pick(RESOURCE_SUBJECTS)} guidance {number}",
                        "url": f"https://source-{number}.gov.test/guidance-{number}",
                        "publisher": "Example Agency", "accessed": meta["reviewed"]}
                       for number in rng.sample(range(1, 200), rng.randint(2, 4))]
    return meta


def _resource(writer: _Writer, number: int, today: dt.date, categories: list[str],
              benefits: list[str]) -> dict[str, Any]:
    rng = writer.rng
    subject = writer.pick(RESOURCE_SUBJECTS)
    entry: dict[str, Any] = {
        "title": f"{subject} {writer.pick(RESOURCE_KINDS).lower()} {number}",
        "url": f"https://resource-{number}.example.org/",
        "category": writer.pick(categories),
        "description": f"{writer.sentence()} {writer.sentence()}",
        "cost": writer.pick(["free", "free", "mixed", "paid"]),
        "last_checked": today - dt.timedelta(days=rng.randint(1, 180)),
        "benefits": rng.sample(benefits, rng.randint(0, 2)),
    }
    audience = rng.choice(AUDIENCES)
    if audience:
        entry["audience"] = audience
    return entry


PYTHON_NAME = "!!python/name:"


class PythonName(str):
    """A `!!python/name:module.attribute` tag of mkdocs.yml, kept as written."""

    def tagged(self) -> str:
        """As text that says what it is, for a settings file in JSON."""
        return PYTHON_NAME + self


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a date written twice is written out twice: content refuses aliases


_Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: PythonName(suffix))
_Loader.add_constructor("!ENV", construct_env_tag)  # site_url: the environment's, as MkDocs reads it
_Dumper.add_representer(PythonName, lambda dumper, name: dumper.represent_scalar(
    f"tag:yaml.org,2002:python/name:{name}", ""))


def _dump(data: Any) -> str:
    return str(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000))


def _ids(path: Path) -> list[str]:
    """The ids a real data file defines: keys of a mapping, or `id` of each list item."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data) if isinstance(data, dict) else [item["id"] for item in data]


def repository_config() -> dict[str, Any]:
    """The repository's mkdocs.yml, read as plain data (its `!!python/name:` tags as `PythonName`)."""
    config: dict[str, Any] = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), _Loader)
    return config


def _our_config(config: dict[str, Any]) -> dict[str, Any]:
    """The repository's settings, with the theme folder found from anywhere and only the
    section pages (`…/index.md`) in nav: the about page is not part of the corpus."""
    ours = {**config, "theme": {**config["theme"], "custom_dir": str(REPO / "theme")}}
    ours["nav"] = [item for item in config.get("nav", []) if _nav_target(item).endswith("index.md")]
    return ours


def _nav_target(item: str | dict[str, Any]) -> str:
    """The page a top-level nav entry names (`Title: page.md` or `page.md`); text of a
    nested section, which no page path matches."""
    return item if isinstance(item, str) else str(next(iter(item.values())))


def _plain_config(config: dict[str, Any]) -> dict[str, Any]:
    """The same site settings and Markdown extensions, but Material alone: no custom_dir,
    no field-guide plugin, and only the home page in nav (articles are pages outside nav)."""
    theme = {key: value for key, value in config["theme"].items() if key != "custom_dir"}
    return {**config, "theme": {**theme, "font": False}, "plugins": ["search"], "nav": [{"Home": "index.md"}]}


def write_corpus(folder: Path, count: int, *, seed: int, today: dt.date) -> Corpus:
    """Write our site to `folder/ours` and the plain Material site to `folder/plain`."""
    rng = random.Random(f"field-guide-bench/{seed}/{count}")
    writer = _Writer(rng)
    data_dir = REPO / "content" / "data"
    authors, benefits = _ids(data_dir / "authors.yml"), _ids(data_dir / "benefits.yml")
    categories = _ids(data_dir / "categories.yml")
    resources = max(1, count // 4)

    ours, plain = folder / "ours", folder / "plain"
    for root in (ours, plain):
        (root / "content" / "articles").mkdir(parents=True)
        (root / "content" / "index.md").write_text(HOME, encoding="utf-8")
    config = repository_config()
    (ours / "mkdocs.yml").write_text(_dump(_our_config(config)), encoding="utf-8")
    (plain / "mkdocs.yml").write_text(_dump(_plain_config(config)), encoding="utf-8")
    (ours / "content" / "data").mkdir()
    for name in DATA_FILES:
        shutil.copyfile(data_dir / name, ours / "content" / "data" / name)
    entries = [_resource(writer, number, today, categories, benefits) for number in range(1, resources + 1)]
    (ours / "content" / "data" / "resources.yml").write_text(_dump(entries), encoding="utf-8")

    plans: list[ArticlePlan] = []
    titles: set[str] = set()
    for number in range(1, count + 1):
        title = writer.title(titles)
        plans.append(ArticlePlan(_slug(title, number), title, tuple(rng.sample(HEADINGS_H2, rng.randint(4, 6)))))
    for index, plan in enumerate(plans):
        others = _others(rng, plans, index)
        meta = _front_matter(writer, plan, today, authors, benefits)
        text = f"---\n{_dump(meta)}---\n\n{writer.body(plan, others, resources)}"
        for root in (ours, plain):
            (root / "content" / "articles" / f"{plan.slug}.md").write_text(text, encoding="utf-8")
    return Corpus(ours, plain, count, resources)
