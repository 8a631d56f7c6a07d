"""The compliance officer's day, walked in a real browser in English, Russian and Kazakh.

Per language, at one width: overview → register a system → classify (facts, impact, autonomy, the
prohibited-practice screen, approve) → add a risk → the annual review (start, record, sign off) →
import a file. Then every page visited is opened again at the other width (desktop 1440 px, phone
390 px). On every page: no raw internal value in the visible text (a choice key, "None",
"True"/"False", an ISO UTC timestamp, an `app_label.model` name) and, at phone width, nothing wider
than the screen. Screenshots of each page go to test-artifacts/screenshots/ (kept by CI).

Selectors here do not depend on the language (names of inputs, form actions), so the same walk runs
in all three.
"""

import re
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, models

from kzai.core.roles import Role
from kzai.jobs import tasks
from registry.models import AISystem
from risk.models import Review
from tests.browser.helpers import sign_in
from tests.factories import MembershipFactory, OrganizationFactory
from tests.registry.test_import import csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path("test-artifacts/screenshots")
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
MAX_SHOT_HEIGHT = 5000
PROJECT_APPS = ("kzai", "registry", "risk", "documents", "audit")


def _text_choices():
    found, todo = [], [models.TextChoices]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.split(".")[0] in PROJECT_APPS:
                found.append(subclass)
    return found


def _raw_value_patterns():
    """Regular expressions for what a person must never read."""
    # Keys with an underscore are never English words ("not_started", "intended_use").
    keys = {
        choice.value
        for choices in _text_choices()
        for choice in choices
        if "_" in choice.value and choice.value != str(choice.label)
    }
    model_labels = {
        f"{model._meta.app_label}.{model._meta.model_name}"
        for model in apps.get_models()
        if model.__module__.split(".")[0] in PROJECT_APPS
    }
    return {
        "choice key": re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(keys))) + r")(?![\w-])"),
        # Python's None/True/False printed as a value ("None claimed" is a label's English words).
        "None/True/False": re.compile(r"(?<![\w-])(None|True|False)(?![\w-]| \w)"),
        "ISO UTC timestamp": re.compile(
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|\+00:?00)\b"
        ),
        "app_label.model": re.compile(
            r"(?<![\w.])(" + "|".join(map(re.escape, sorted(model_labels))) + r")(?![\w])", re.IGNORECASE
        ),
    }


RAW = _raw_value_patterns()


class Walk:
    """Opens pages, checks each one and remembers them for the revisit at the other width."""

    def __init__(self, page, base_url, language, width_name):
        self.page, self.base_url, self.language, self.width_name = page, base_url, language, width_name
        self.visited: list[tuple[str, str]] = []
        self.problems: list[str] = []

    def check(self, name):
        """The current page: screenshot, no raw values, no sideways scrolling at phone width."""
        page = self.page
        page.wait_for_load_state("load")
        path = page.url.removeprefix(self.base_url)
        if path not in {visited for _name, visited in self.visited}:
            self.visited.append((name, path))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        where = f"[{self.language} {self.width_name}] {name} {path}"
        shot = SCREENSHOTS / f"{self.language}-{self.width_name}-{name}.jpg"
        # JPEG keeps the artifacts small and the walk quick; a very long page is shown by its top.
        height = page.evaluate("() => document.documentElement.scrollHeight")
        page.screenshot(path=str(shot), full_page=height <= MAX_SHOT_HEIGHT, type="jpeg", quality=70)
        text = page.locator("body").inner_text()
        for what, pattern in RAW.items():
            for match in pattern.finditer(text):
                context = text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " ⏎ ")
                self.problems.append(f"{where}: {what} «{match.group(0)}» in …{context}…")
        overflow = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if overflow[0] > overflow[1] + 1:
            wide = page.evaluate(
                """() => { const w = document.documentElement.clientWidth; const out = [];
                for (const el of document.querySelectorAll('body *')) { const r = el.getBoundingClientRect();
                  if (r.right > w + 1 && out.length < 3)
                    out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right)); }
                return out.join(', '); }"""
            )
            self.problems.append(f"{where}: {overflow[0]}px wide > {overflow[1]}px ({wide})")

    def open(self, name, path):
        self.page.goto(self.base_url + path)
        self.check(name)

    def submit(self, form_selector):
        """Submit the form through its (first) submit button and wait for the next page."""
        with self.page.expect_navigation():
            self.page.locator(form_selector).locator("button[type=submit]").first.click()


def _worker_soon(job_id):
    def run():
        try:
            tasks.run_job_task(job_id)
        finally:
            connection.close()

    threading.Timer(0.2, run).start()


def _choose(field, value):
    """Set a field that may be a select, radios or a number box (the scale is shown in words)."""
    tag, kind = field.evaluate("el => [el.tagName, el.type]")
    if tag == "SELECT":
        field.select_option(value)
    elif kind == "radio":
        field.page.locator(f"main [name={field.get_attribute('name')}][value='{value}']").check()
    else:
        field.fill(value)


def _question_above_its_options(page, name):
    """A group of checkboxes reads its question first (it was printed under them)."""
    group = page.locator(f"fieldset:has(input[name={name}])")
    question = group.locator("legend").bounding_box()
    first_option = group.locator(f"input[name={name}]").first.bounding_box()
    assert question["y"] + question["height"] <= first_option["y"] + 1


def _register(walk):
    page = walk.page
    walk.open("systems", "/registry/")
    walk.open("system-form", "/registry/systems/new/")
    page.locator("[name=code]").fill("SCORE-01")
    page.locator("[name=name]").fill("Retail credit scoring")
    page.locator("[name=intended_purpose]").fill("Scores consumer loan applications.")
    page.locator("[name=organization_role]").select_option("owner")
    page.locator("[name=sector]").select_option("banking")
    page.locator("[name=lifecycle_stage]").select_option("development")
    page.locator("[name=decision_role]").select_option("takes")
    page.locator("[name=processes_personal_data]").check()
    walk.submit("main form.card-form")
    walk.check("system-detail")
    return AISystem.objects.get(code="SCORE-01")


def _classify(walk, system):
    page = walk.page
    walk.open("classify-facts", f"/risk/systems/{system.pk}/classify/")
    walk.submit("main form.card-form")
    walk.check("classify-impact")
    _question_above_its_options(page, "affected_domains")
    page.locator("[name=disruption_impact][value=moral_or_material_harm]").check()
    page.locator("[name=affected_domains][value=users]").check()
    walk.submit("main form.card-form")
    walk.check("classify-autonomy")
    page.locator("[name=autonomy][value=decides_correctable]").check()
    walk.submit("main form.card-form")
    walk.check("classify-screen")
    for radio in page.locator("input[type=radio][name$=__present][value=no]").all():
        radio.check()
    walk.submit("main form.card-form")
    walk.check("classify-review")
    with page.expect_navigation():
        page.locator("button[name=approve]").click()
    walk.check("classify-obligations")
    walk.open("system-risk", f"/risk/systems/{system.pk}/")
    walk.open("obligations", "/risk/obligations/")
    # Screened, it may go into operation: the edit form, which schedules its annual review.
    walk.open("system-edit", f"/registry/systems/{system.pk}/edit/")
    page.locator("[name=lifecycle_stage]").select_option("in_operation")
    walk.submit("main form.card-form")
    walk.check("system-in-operation")


def _add_risk(walk, system):
    page = walk.page
    walk.open("risk-form", f"/risk/register/risks/new/?system={system.pk}")
    page.locator("select[name=system]").select_option(str(system.pk))
    page.locator("[name=title]").fill("Biased outcomes for protected groups")
    for name in ("category", "origin"):
        page.locator(f"select[name={name}]").select_option(index=1)
    for name, value in (("likelihood", "4"), ("severity", "5")):
        _choose(page.locator(f"main [name={name}]").first, value)
    walk.submit("main form.card-form")
    walk.check("risk-detail")
    walk.open("risk-register", "/risk/register/")
    walk.open("measure-form", f"/risk/register/measures/new/?system={system.pk}")
    _question_above_its_options(page, "risks")


def _review(walk, system):
    page = walk.page
    review = Review.objects.get(system=system)
    walk.open("reviews", "/risk/reviews/")
    walk.open("review", f"/risk/reviews/{review.pk}/")
    with page.expect_navigation():
        page.locator(f"form[action$='/risk/reviews/{review.pk}/start/'] button").click()
    rows = page.locator("tbody tr[id^=item-]")
    for index in range(rows.count()):
        row_id = rows.nth(index).get_attribute("id")
        row = page.locator(f"#{row_id}")
        row.locator("select[name$=outcome]").select_option("confirmed")
        row.locator("button[type=submit]").click()
        page.locator(f"#{row_id} [data-outcome]:not([data-outcome=pending])").wait_for()
    page.reload()
    page.locator("textarea[name=summary]").fill("Register reviewed with the credit risk committee.")
    walk.submit(f"form[action$='/risk/reviews/{review.pk}/sign-off/']")
    walk.check("review-signed")
    review.refresh_from_db()
    assert review.status == "completed"


def _import(walk, tmp_path):
    page = walk.page
    upload = tmp_path / "systems.csv"
    # Choice keys, which a file may use in any language (labels are read in the importer's).
    upload.write_bytes(
        csv_bytes(
            "SCORE-02,Кредитный скоринг,Scores loans,owner,banking,yes,credit;retail,",
            "CHAT-01,Chatbot,Answers questions,possessor,banking,no,,",
        )
    )
    walk.open("import", "/registry/systems/import/")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.locator("main form[enctype] button[type=submit]").first.click()
    page.wait_for_url("**/registry/systems/import/?job=*", timeout=20_000)
    walk.check("import-checked")
    with page.expect_navigation():
        page.locator("form[action*='/import/commit/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/(registry/systems/import/\?job=|registry/).*"), timeout=20_000)
    page.locator("progress").wait_for(state="detached", timeout=20_000)
    walk.check("import-done")
    assert AISystem.objects.filter(code="CHAT-01").exists()


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [("en", "desktop", "phone"), ("ru", "phone", "desktop"), ("kk", "desktop", "phone")],
)
def test_the_officers_day(browser, live_server, monkeypatch, tmp_path, language, first, second):
    monkeypatch.setattr(tasks.run_job_task, "delay", _worker_soon)
    organization = OrganizationFactory(name="Qazaq Bank JSC", slug="qazaq")
    officer = MembershipFactory(organization=organization, role=Role.OFFICER)
    sizes = {"desktop": DESKTOP, "phone": PHONE}
    context = browser.new_context(locale="en-US", viewport=sizes[first])
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, officer.user.email)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        walk = Walk(page, live_server.url, language, first)
        walk.open("overview", "/")
        assert page.locator("html").get_attribute("lang") == language
        system = _register(walk)
        _classify(walk, system)
        _add_risk(walk, system)
        _review(walk, system)
        _import(walk, tmp_path)
        walk.open("parties", "/registry/parties/")
        walk.open("data-libraries", "/registry/data-libraries/")
        walk.open("activity", "/activity/")

        # The same pages at the other width.
        page.set_viewport_size(sizes[second])
        walk.width_name = second
        for name, path in list(walk.visited):
            walk.open(name, path)
        shown = walk.problems[:40]
        more = len(walk.problems) - len(shown)
        assert not walk.problems, "\n".join(shown + ([f"… and {more} more"] if more > 0 else []))
    except Exception:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{language}-failed.jpg"), type="jpeg", quality=70)
        raise
    finally:
        context.close()
