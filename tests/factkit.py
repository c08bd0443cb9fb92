"""Facts files for test sites: the UK adult wage (a past and a current value) and the
Graduate route (a scheduled change on 2027-01-01), as content/data/facts/*.yml reads."""

from __future__ import annotations

HEADER = "# yaml-language-server: $schema=../../../schemas/facts.schema.json\n"

WAGE_SOURCE = """  source:
    title: National Minimum Wage and National Living Wage rates
    url: https://www.gov.uk/national-minimum-wage-rates
    publisher: GOV.UK
    accessed: 2026-11-01
  review_by: 2027-03-15
"""

WAGE = """- id: uk-national-living-wage
  label: UK National Living Wage
  region: gb
  values:
    - value: "£12.21"
      from: 2025-04-01
      until: 2026-03-31
    - value: "£12.71"
      from: 2026-04-01
""" + WAGE_SOURCE


def wage_chart(adult_values: str, young_value: str, *, title: str = "") -> str:
    """A facts file whose adult and 18-to-20 UK wage facts make the chart group
    `uk-minimum-wage`: `adult_values` the adult fact's `values:` items as YAML, `title` the
    chart's title (on the first fact), if any."""
    titled = f", title: {title}" if title else ""
    return (HEADER + f"""- id: uk-national-living-wage
  label: UK National Living Wage
  region: gb
  values:
{adult_values}""" + WAGE_SOURCE + f"""  chart: {{group: uk-minimum-wage, label: "21 and over"{titled}}}
- id: uk-minimum-wage-18-20
  label: UK minimum wage for ages 18 to 20
  region: gb
  values:
    - value: "{young_value}"
      from: 2026-04-01
""" + WAGE_SOURCE + """  chart: {group: uk-minimum-wage, label: "18 to 20"}
""")

GRADUATE = """- id: uk-graduate-route-length
  label: Graduate route length
  region: gb
  values:
    - value: "2 years"
      from: 2021-07-01
      until: 2026-12-31
    - value: "18 months"
      from: 2027-01-01
  source:
    title: Graduate visa
    url: https://www.gov.uk/graduate-visa
    publisher: GOV.UK
    accessed: 2026-11-01
  review_by: 2027-06-30
"""

HOURS = """- id: uk-student-visa-term-time-hours-degree
  label: Student visa term-time work limit (degree level)
  region: gb
  values:
    - value: "20 hours"
      from: 2015-08-03
  source:
    title: Student visa, Your rights
    url: https://www.gov.uk/student-visa/work
    publisher: GOV.UK
    accessed: 2026-11-01
  review_by: 2027-06-30
- id: us-f1-on-campus-hours-in-session
  label: F-1 on-campus work limit while school is in session
  region: us
  values:
    - value: "20 hours"
      from: 2002-01-01
  source:
    title: Working in the United States
    url: https://studyinthestates.dhs.gov/students/work/working-in-the-united-states
    publisher: Study in the States (DHS)
    accessed: 2026-11-01
  review_by: 2027-06-30
"""

UK = HEADER + WAGE + GRADUATE
US = HEADER + """- id: us-federal-minimum-wage
  label: US federal minimum wage
  region: us
  values:
    - value: "$7.25"
      from: 2009-07-24
  source:
    title: Minimum Wage
    url: https://www.dol.gov/agencies/whd/minimum-wage
    publisher: U.S. Department of Labor
    accessed: 2026-11-01
  review_by: 2027-06-30
"""


def write_facts(site, files: dict[str, str] | None = None) -> None:
    """The facts files `files` (by name in content/data/facts/), or uk.yml and us.yml."""
    for name, text in (files or {"uk.yml": UK, "us.yml": US}).items():
        site.write(f"content/data/facts/{name}", text)
